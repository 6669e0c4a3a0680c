package ai.clipper.management.replicas;

import static ai.clipper.sdk.InputType.DOUBLES;
import static ai.clipper.sdk.InputType.INTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.management.ServiceContext;
import ai.clipper.management.domain.NotFoundException;
import ai.clipper.management.domain.RuleViolationException;
import ai.clipper.management.metadata.MetadataStore;
import ai.clipper.management.models.ModelService;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Replica;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The rules of self-registered replicas, each refused by the atomic step that would write. */
class ReplicaServiceTest extends ServiceContext {

  @Autowired
  ReplicaService replicas;
  @Autowired
  ModelService models;
  @Autowired
  MetadataStore store;

  @Test
  void registersAReplicaUpWithItsModelsInputType() {
    ModelId id = newModel();

    int replicaId = replicas.register(id, INTS, "10.0.0.7", 7000);

    assertThat(replicas.find(id, replicaId)).hasValueSatisfying(replica -> {
      assertThat(replica.status()).isEqualTo(Replica.Status.UP);
      assertThat(replica.host()).isEqualTo("10.0.0.7");
    });
  }

  @Test
  void refusesAReplicaOfAnotherInputTypeAndRecordsNothing() {
    ModelId id = newModel();

    assertThatThrownBy(() -> replicas.register(id, DOUBLES, "10.0.0.7", 7000))
        .isInstanceOf(RuleViolationException.class)
        .hasMessage("Model with name '" + id.name() + "' and version '1' has input_type ints,"
            + " not doubles");
    assertThat(replicas.of(id)).isEmpty();
  }

  @Test
  void refusesAReplicaOfAMissingVersion() {
    ModelId id = new ModelId(unique("model"), "1");

    assertThatThrownBy(() -> replicas.register(id, INTS, "10.0.0.7", 7000))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("Model with name '" + id.name() + "' and version '1' does not exist");
  }

  @Test
  void unregistersASelfRegisteredReplicaOnce() {
    ModelId id = newModel();
    int replicaId = replicas.register(id, INTS, "10.0.0.7", 7000);

    replicas.unregister(id, replicaId);

    assertThat(replicas.find(id, replicaId)).isEmpty();
    assertThatThrownBy(() -> replicas.unregister(id, replicaId))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("There is no replica " + replicaId + " of model with name '" + id.name()
            + "' and version '1'");
  }

  @Test
  void refusesToUnregisterALaunchedReplica() {
    ModelId id = newModel();
    store.putReplica(new Replica(id, 9, "10.0.0.7", 7000, INTS, Replica.Status.UP),
        Map.of("pid", "42"));

    assertThatThrownBy(() -> replicas.unregister(id, 9))
        .isInstanceOf(RuleViolationException.class)
        .hasMessage("The management service launched replica 9 of model with name '"
            + id.name() + "' and version '1'; use set_num_replicas to scale it");
    assertThat(replicas.find(id, 9)).isPresent();
  }

  private ModelId newModel() {
    String name = unique("model");
    models.add(model(name, "1", INTS));
    return new ModelId(name, "1");
  }
}
