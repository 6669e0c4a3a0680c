package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The management service SIGKILLed and restarted while it runs replicas: its replica processes
 * run on without it, and each restart takes them back; none is doubled, none is left behind.
 */
class ManagementRestartIT {

  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final String MODEL = "restart-sum";

  @RegisterExtension
  static final ClipperStack stack = ClipperStack.withDefaults();

  @Test
  void threeKillsLaterExactlyTwoReplicaProcessesRunAndBothAreUp() throws Exception {
    stack.admin.ok("/admin/add_model", """
        {"model_name": "%s", "model_version": "1", "input_type": "doubles",
         "container_name": "java-sum"}""".formatted(MODEL));
    stack.admin.ok("/admin/set_num_replicas",
        "{\"model_name\": \"%s\", \"model_version\": \"1\", \"num_replicas\": 2}".formatted(MODEL));
    await().atMost(PATIENCE).until(() -> stack.upReplicas(MODEL, "1") == 2);
    List<Long> launched = replicaPids();
    assertThat(launched).hasSize(2);

    for (int kill = 1; kill <= 3; kill++) {
      stack.killAndRestartManagement();
      await().atMost(PATIENCE).until(() -> stack.upReplicas(MODEL, "1") == 2);
    }

    assertThat(replicaPids()).as("the replica processes, taken back after each restart")
        .containsExactlyInAnyOrderElementsOf(launched);
    assertThat(stack.upReplicas(MODEL, "1")).isEqualTo(2);
  }

  /** Every replica process of the model on this machine, whoever its parent is now. */
  private static List<Long> replicaPids() {
    return ProcessHandle.allProcesses()
        .filter(ManagementRestartIT::isReplica)
        // a run script that did not exec: count the replica once, by its outermost process
        .filter(process -> process.parent().map(parent -> !isReplica(parent)).orElse(true))
        .map(ProcessHandle::pid)
        .toList();
  }

  private static boolean isReplica(ProcessHandle process) {
    return ClipperStack.proc(process, "environ").contains("CLIPPER_MODEL_NAME=" + MODEL + "\n");
  }
}
