package ai.clipper.management;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The management service: Clipper's admin API on port 1338, metadata in Redis, replicas. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ManagementApplication {

  public static void main(String[] args) {
    SpringApplication.run(ManagementApplication.class, args);
  }
}
