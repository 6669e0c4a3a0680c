package ai.clipper.frontend.selection;

import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.PolicyParams;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The selection layer's entry point for the query API: builds a request's {@link SelectionPlan}
 * from the metadata snapshot and the uid's state, and records feedback.
 *
 * <p>Personalisation: the state is per (app, uid), uid 0 being the shared one; a uid with no
 * feedback yet starts from the prior (all models equal), not from uid 0's state, so users whose
 * best models differ never pull each other's weights.
 */
@Component
public class ModelSelector {

  private final SelectionPolicies policies;
  private final SelectionStateStore store;
  private final SelectionMetrics metrics;

  ModelSelector(SelectionPolicies policies, SelectionStateStore store, SelectionMetrics metrics) {
    this.policies = policies;
    this.store = store;
    this.metrics = metrics;
  }

  /**
   * The plan for a request of {@code uid}. The {@code single} policy needs no state, so it never
   * touches Redis (Clipper's behaviour, at today's cost).
   *
   * @throws UnknownPolicyException when the app's policy is not one this frontend knows
   */
  public CompletableFuture<SelectionPlan> plan(MetadataSnapshot snapshot, App app, int uid) {
    SelectionPolicy policy = policy(app);
    // parsed once, when the snapshot read the app: no query parses JSON
    PolicyParams params = app.policyParams();
    if (policy == policies.single()) {
      return CompletableFuture.completedFuture(new SelectionPlan(app.name(), policy, params,
          singleTarget(snapshot, app), SelectionState.EMPTY, metrics));
    }
    List<ModelId> candidates = candidates(snapshot, app);
    if (candidates.isEmpty()) {
      return CompletableFuture.completedFuture(new SelectionPlan(app.name(), policy, params,
          candidates, SelectionState.EMPTY, metrics));
    }
    return store.cached(app.name(), uid).thenApply(state ->
        new SelectionPlan(app.name(), policy, params, candidates, state, metrics));
  }

  /** A plan that sends every query to {@code model}: a version the client asked for. */
  public SelectionPlan pinned(App app, Optional<ModelId> model) {
    return new SelectionPlan(app.name(), policies.single(), PolicyParams.DEFAULTS,
        model.stream().toList(), SelectionState.EMPTY, metrics);
  }

  /**
   * Clipper's single policy: an app's one model is its first linked model (linked models are in
   * name order), empty when it links none. Every API and the version pin use this rule.
   */
  public static Optional<String> singleModel(MetadataSnapshot snapshot, App app) {
    List<String> linked = snapshot.linkedModels(app.name());
    return linked.isEmpty() ? Optional.empty() : Optional.of(linked.get(0));
  }

  /**
   * The model versions a query of {@code app} may go to now: the single model at its current
   * version (none without one) or, for another policy, every candidate.
   */
  public List<ModelId> targets(MetadataSnapshot snapshot, App app) {
    return policies.named(app.policy()).orElse(null) == policies.single()
        ? singleTarget(snapshot, app) : candidates(snapshot, app);
  }

  private static List<ModelId> singleTarget(MetadataSnapshot snapshot, App app) {
    return singleModel(snapshot, app).flatMap(name -> snapshot.currentVersion(name)
        .map(version -> new ModelId(name, version))).stream().toList();
  }

  /** Whether the app's policy is Clipper's single-model one. */
  public boolean isSingle(App app) {
    return policy(app) == policies.single();
  }

  /** The linked models at their current version, in name order (without a version: skipped). */
  public List<ModelId> candidates(MetadataSnapshot snapshot, App app) {
    return snapshot.linkedModels(app.name()).stream()
        .flatMap(name -> snapshot.currentVersion(name).map(v -> new ModelId(name, v)).stream())
        .toList();
  }

  /** Records one feedback's losses per model version (state per model name) and counts it. */
  public CompletableFuture<Void> feedback(App app, int uid, Map<ModelId, Double> losses) {
    Map<String, Double> byName = new java.util.LinkedHashMap<>();
    losses.forEach((model, loss) -> byName.put(model.name(), loss));
    return store.record(app.name(), uid, byName)
        .doOnSuccess(done -> losses.keySet().forEach(model -> metrics.feedback(app.name(), model)))
        .toFuture();
  }

  /** The state as Redis holds it now, for inspection. */
  public Mono<SelectionState> state(App app, int uid) {
    return store.read(app.name(), uid);
  }

  private SelectionPolicy policy(App app) {
    return policies.named(app.policy()).orElseThrow(() -> new UnknownPolicyException(app.policy()));
  }
}
