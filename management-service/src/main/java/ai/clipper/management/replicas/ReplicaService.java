package ai.clipper.management.replicas;

import ai.clipper.management.domain.NotFoundException;
import ai.clipper.management.domain.RuleViolationException;
import ai.clipper.management.launcher.ReplicaOutputs;
import ai.clipper.management.launcher.ReplicaScaler;
import ai.clipper.management.metadata.MetadataStore;
import ai.clipper.management.models.ModelService;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Replica;
import ai.clipper.sdk.InputType;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The rules of replicas: containers started elsewhere ({@code NO_CONTAINER} models) register with
 * their model version's input type and unregister themselves, while launched replicas are the
 * launcher's to scale; each check is made by the store atomically with its write.
 */
@Service
public class ReplicaService {

  private final MetadataStore store;
  private final ReplicaScaler scaler;
  private final ReplicaOutputs outputs;

  ReplicaService(MetadataStore store, ReplicaScaler scaler, ReplicaOutputs outputs) {
    this.store = store;
    this.scaler = scaler;
    this.outputs = outputs;
  }

  /** All replicas, by model then replica id. */
  public List<Replica> all() {
    return store.replicas();
  }

  public Optional<Replica> find(ModelId id, int replicaId) {
    return store.replica(id, replicaId);
  }

  /** The replicas of one model version, by replica id. */
  public List<Replica> of(ModelId id) {
    return store.replicas(id);
  }

  /** The last lines the replica wrote before it last exited, when kept. */
  public Optional<String> lastExit(Replica replica) {
    return scaler.lastExit(replica.model(), replica.replicaId());
  }

  /** The last {@code lines} lines a launched replica wrote. */
  public List<String> output(ModelId id, int replicaId, int lines) {
    String what = describe(id, replicaId);
    if (store.replica(id, replicaId).isEmpty()) {
      throw new NotFoundException("There is no " + what);
    }
    return outputs.output(id, replicaId, lines)
        .orElseThrow(() -> new NotFoundException("The management service did not launch " + what
            + " (it registered itself), or no longer knows where it runs; its output is where"
            + " it runs"));
  }

  /** Records a replica that registered itself, UP; answers its new replica id. */
  public int register(ModelId id, InputType type, String host, int port) {
    int replicaId = store.nextReplicaId(id);
    store.registerReplica(new Replica(id, replicaId, host, port, type, Replica.Status.UP))
        .ifPresent(refusal -> {
          throw switch (refusal.reason()) {
            case NO_MODEL -> ModelService.notFound(id);
            case INCOMPATIBLE_INPUT_TYPE -> new RuleViolationException("Model with name '"
                + id.name() + "' and version '" + id.version() + "' has input_type "
                + refusal.inputType() + ", not " + type);
            default -> new IllegalStateException("Unexpected refusal " + refusal);
          };
        });
    return replicaId;
  }

  /** Forgets a replica that registered itself; launched ones are scaled, not removed. */
  public void unregister(ModelId id, int replicaId) {
    String what = describe(id, replicaId);
    store.unregisterReplica(id, replicaId).ifPresent(refusal -> {
      throw switch (refusal.reason()) {
        case NO_REPLICA -> new NotFoundException("There is no " + what);
        case LAUNCHED -> new RuleViolationException("The management service launched " + what
            + "; use set_num_replicas to scale it");
        default -> new IllegalStateException("Unexpected refusal " + refusal);
      };
    });
  }

  /** How the API names a replica in its answers. */
  public static String describe(ModelId id, int replicaId) {
    return "replica " + replicaId + " of model with name '" + id.name() + "' and version '"
        + id.version() + "'";
  }
}
