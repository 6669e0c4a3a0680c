# The query frontend (REST on 1337, V2 gRPC on 1339).
FROM clipper/java-base
COPY query-frontend-service/target/query-frontend-service-*-exec.jar /opt/clipper/query-frontend.jar
EXPOSE 1337 1339
ENTRYPOINT ["java", "-jar", "/opt/clipper/query-frontend.jar"]
