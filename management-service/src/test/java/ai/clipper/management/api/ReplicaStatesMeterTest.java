package ai.clipper.management.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code clipper_management_replicas} follows the replicas Redis records, by state. */
class ReplicaStatesMeterTest extends RunningService {

  @Test
  void countsTheReplicasOfEachModelVersionByState() {
    String model = unique("counted");
    admin.post("/admin/add_model", "{'model_name':'" + model + "','model_version':'1',"
        + "'input_type':'doubles','container_name':'NO_CONTAINER'}");
    for (int port : new int[] {7001, 7002}) {
      admin.post("/admin/add_replica", "{'model_name':'" + model + "','model_version':'1',"
          + "'input_type':'doubles','host':'10.1.2.3','port':" + port + "}");
    }

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics())
        .contains("clipper_management_replicas{model=\"" + model + ":1\",state=\"up\"} 2.0")
        .contains("clipper_management_replicas{model=\"" + model + ":1\",state=\"down\"} 0.0"));

    admin.post("/admin/remove_replica", "{'model_name':'" + model + "','model_version':'1',"
        + "'model_replica_id':1}");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics())
        .contains("clipper_management_replicas{model=\"" + model + ":1\",state=\"up\"} 1.0"));
  }

  private String metrics() {
    return admin.get("/actuator/prometheus").body().asString();
  }
}
