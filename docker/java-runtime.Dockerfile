# The java framework runtime: fetches the jar the launcher names in CLIPPER_ARTIFACT_URL, checks
# it against CLIPPER_ARTIFACT_DIGEST and serves the class MODEL_CLASS with the SDK's generic main
# (runtimes/java/run).
FROM clipper/java-base
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
COPY examples/target/clipper-examples.jar /opt/clipper/clipper-examples.jar
COPY runtimes/java/run /opt/clipper/runtime-java
ENV CLIPPER_SDK_JAR=/opt/clipper/clipper-examples.jar CLIPPER_PORT=7000 \
    CLIPPER_JAVA_OPTS="-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
EXPOSE 7000
CMD ["/opt/clipper/runtime-java"]
