"""The command line of the client: deploy an artifact file already saved.

    python3 -m clipper_client deploy NAME VERSION FILE [--input-type doubles] [--framework F]
        [--app APP] [--class CLASS] [--sample-input JSON] [--env NAME=VALUE ...]
        [--url http://127.0.0.1:1338] [--token T] [--timeout 120]

(./clipper deploy at the repository's root runs it against the local management service.) Prints
one line per step on stdout; on failure prints the error on stderr and exits 1 (2 for bad
arguments).
"""

import argparse
import json
import os
import sys
from typing import Optional, Sequence

from clipper_client import frameworks
from clipper_client.client import DEFAULT_URL, ClipperClient, ClipperError

APP_DEFAULT_OUTPUT = "-1"
APP_SLO_MICROS = 100000
TOKEN_VARIABLE = "CLIPPER_MANAGEMENT_AUTH_TOKEN"  # the variable that sets the service's token


def parser() -> argparse.ArgumentParser:
    """The parser of the whole command line."""
    return _parsers()[0]


def _parsers():
    """(the command line's parser, the deploy command's)."""
    main = argparse.ArgumentParser(
        prog="python3 -m clipper_client",
        description="Calls the admin API of Clipper's management service.")
    commands = main.add_subparsers(dest="command", metavar="COMMAND", required=True)
    deploy = commands.add_parser(
        "deploy", help="deploy an artifact file and wait for a replica UP",
        description="Uploads FILE, adds it as model NAME:VERSION served by the runtime of its "
                    "framework, waits until a replica is UP, and with --app links the model to "
                    "the app (created when missing).",
        epilog="Framework from the file's ending: %s." % ", ".join(
            "%s %s" % (ending, framework) for ending, framework in frameworks.FILE_ENDINGS.items()))
    deploy.add_argument("name", metavar="NAME", help="the model's name")
    deploy.add_argument("version", metavar="VERSION", help="the model's version")
    deploy.add_argument("file", metavar="FILE", help="the serialized model (the artifact)")
    deploy.add_argument("--input-type", default="doubles",
                        help="doubles, floats, ints, strings or bytes (default: doubles)")
    deploy.add_argument("--framework", metavar="F",
                        help="the runtime that serves FILE (%s); default: from FILE's ending"
                        % ", ".join(frameworks.RUNTIMES + (frameworks.JAVA,)))
    deploy.add_argument("--app", metavar="APP",
                        help="link the model to APP, creating it first when it does not exist "
                             "(the input type, default output %s, SLO %d us)"
                             % (APP_DEFAULT_OUTPUT, APP_SLO_MICROS))
    deploy.add_argument("--class", dest="model_class", metavar="CLASS",
                        help="for a jar: the class implementing ai.clipper.sdk.Model "
                             "(sent as env MODEL_CLASS)")
    deploy.add_argument("--sample-input", metavar="JSON",
                        help="one input each replica predicts before it serves: a JSON array of "
                             "numbers ('[1, 2.5]'), or a JSON string ('\"text\"', base64 for "
                             "bytes)")
    deploy.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="a variable for the replicas, e.g. PREDICT_METHOD=predict_proba "
                             "(repeatable)")
    deploy.add_argument("--url", default=DEFAULT_URL,
                        help="the management service (default: %s)" % DEFAULT_URL)
    deploy.add_argument("--token", default=os.environ.get(TOKEN_VARIABLE) or None,
                        help="the service's auth token (default: $%s)" % TOKEN_VARIABLE)
    deploy.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                        help="how long to wait for a replica UP (default: 120)")
    return main, deploy


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the command line; returns the exit status (argparse exits 2 itself on bad usage)."""
    arguments, deploy = _parsers()
    args = arguments.parse_args(argv)
    try:
        request = _deploy_request(args)
    except ValueError as error:
        deploy.error(str(error))  # exits 2 with the usage
    client = ClipperClient(args.url, token=args.token)
    try:
        client.deploy_file(args.name, args.version, args.input_type, args.file,
                           progress=_say, **request)
        if args.app:
            _link(client, args.app, args.name, args.input_type)
    except (ClipperError, ValueError) as error:
        print("error: %s" % error, file=sys.stderr, flush=True)
        return 1
    except OSError as error:  # the file (network errors are ClipperErrors)
        print("error: cannot read %s: %s" % (error.filename or args.file,
                                             error.strerror or error), file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr, flush=True)
        return 130
    return 0


def _deploy_request(args) -> dict:
    """deploy_file's framework, env, sample_input and timeout from the arguments; ValueError for
    arguments that do not fit together."""
    framework = args.framework or frameworks.framework_of_file(args.file)
    env = {}
    for assignment in args.env:
        name, equals, value = assignment.partition("=")
        if not equals or not name:
            raise ValueError("--env takes NAME=VALUE, not %r" % assignment)
        env[name] = value
    if args.model_class is not None:
        if framework != frameworks.JAVA:
            raise ValueError("--class is for a jar (the java runtime), not %s" % framework)
        env["MODEL_CLASS"] = args.model_class
    elif framework == frameworks.JAVA and not env.get("MODEL_CLASS"):
        raise ValueError("a jar needs --class: the class that implements ai.clipper.sdk.Model")
    sample = None
    if args.sample_input is not None:
        try:
            sample = json.loads(args.sample_input)
        except ValueError:
            sample = None
        if not isinstance(sample, (list, str)):
            raise ValueError("--sample-input takes JSON: an array of numbers like '[1, 2.5]' or "
                             "a string like '\"text\"', not %r" % args.sample_input)
    if args.timeout <= 0:
        raise ValueError("--timeout must be positive, not %g" % args.timeout)
    return {"framework": framework, "env": env, "sample_input": sample,
            "timeout": args.timeout}


def _link(client: ClipperClient, app: str, model: str, input_type: str) -> None:
    """Links model to app, creating the app first when the service has none of that name."""
    found = client.get_application(app)
    if found:
        _say("App %s exists (%s inputs)" % (app, found.get("input_type")))
    else:
        client.register_application(app, input_type, APP_DEFAULT_OUTPUT, APP_SLO_MICROS)
        _say("Created app %s (%s inputs, default output %s, SLO %d us)"
             % (app, input_type, APP_DEFAULT_OUTPUT, APP_SLO_MICROS))
    if model in (found.get("linked_models") or []):
        _say("Model %s is already linked to app %s" % (model, app))
        return
    client.link_model_to_app(app, model)
    _say("Linked model %s to app %s" % (model, app))


def _say(line: str) -> None:
    print(line, flush=True)
