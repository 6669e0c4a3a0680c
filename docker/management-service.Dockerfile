# The management service (admin API on 1338).
FROM clipper/java-base
COPY management-service/target/management-service-*-exec.jar /opt/clipper/management-service.jar
EXPOSE 1338
ENTRYPOINT ["java", "-jar", "/opt/clipper/management-service.jar"]
