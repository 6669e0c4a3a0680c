"""python3 -m clipper_client deploy NAME VERSION FILE [options]: see clipper_client.cli."""

import sys

from clipper_client.cli import main

if __name__ == "__main__":
    sys.exit(main())
