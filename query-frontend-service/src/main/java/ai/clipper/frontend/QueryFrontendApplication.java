package ai.clipper.frontend;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The query frontend: answers {@code /{app}/predict} from model containers within each SLO. */
@SpringBootApplication
public class QueryFrontendApplication {

  public static void main(String[] args) {
    SpringApplication.run(QueryFrontendApplication.class, args);
  }
}
