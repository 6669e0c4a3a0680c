# The management service (admin API on 1338).
FROM clipper/java-base
COPY management-service/target/management-service-*-exec.jar /opt/clipper/management-service.jar
EXPOSE 1338
# C1 only: about 60% of the start time (bench/startup); the admin API has no hot path
ENTRYPOINT ["java", "-XX:TieredStopAtLevel=1", "-jar", "/opt/clipper/management-service.jar"]
