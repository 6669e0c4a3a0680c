# The query frontend (REST on 1337, V2 gRPC on 1339).
FROM clipper/java-base
COPY query-frontend-service/target/query-frontend-service-*-exec.jar /opt/clipper/query-frontend.jar
EXPOSE 1337 1339
# G1 on a fixed, pre-touched heap (docs/configuration.md, "JVM flags"); the manifests give the pod room for it
ENTRYPOINT ["java", "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-jar", "/opt/clipper/query-frontend.jar"]
