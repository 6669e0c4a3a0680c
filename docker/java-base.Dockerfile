# A Java 17 runtime on the locally built Debian image: no registry needed.
FROM local/debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
