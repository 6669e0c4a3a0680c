# An example Java model: the examples jar run by the SDK's generic main. The launcher sets
# CLIPPER_MODEL_NAME, CLIPPER_MODEL_VERSION, CLIPPER_INPUT_TYPE and CLIPPER_PORT.
FROM clipper/java-base
ARG MODEL_CLASS
COPY examples/target/clipper-examples.jar /opt/clipper/clipper-examples.jar
ENV MODEL_CLASS=${MODEL_CLASS} CLIPPER_PORT=7000 \
    JAVA_TOOL_OPTIONS="-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
EXPOSE 7000
CMD ["sh", "-c", "exec java -cp /opt/clipper/clipper-examples.jar ai.clipper.sdk.ModelContainerMain \"$MODEL_CLASS\""]
