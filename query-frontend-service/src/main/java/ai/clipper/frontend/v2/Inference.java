package ai.clipper.frontend.v2;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.query.InputLimit;
import ai.clipper.frontend.query.Prediction;
import ai.clipper.frontend.query.Query;
import ai.clipper.frontend.query.QueryPipeline;
import ai.clipper.frontend.registry.MetadataRegistry;
import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.frontend.selection.ModelSelector;
import ai.clipper.frontend.tracing.RequestTrace;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Scheduler;

/**
 * The Open Inference Protocol's semantics, whichever transport carries it: a V2 model is an app,
 * {@code versions/{v}} pins a version of its linked model, and inference runs on the same
 * {@link QueryPipeline} as Clipper's predict API (selection, cache, batching, SLO, admission
 * control), so both APIs give the same answers.
 */
@Component
public class Inference {

  /** What {@code GET /v2} and ServerMetadata say; we implement none of the optional extensions. */
  public record ServerMetadata(String name, String version, List<String> extensions) {
  }

  private static final String PLATFORM = "clipper";

  private final MetadataRegistry registry;
  private final QueryPipeline pipeline;
  private final ModelSelector selector;
  private final ApplicationAvailability availability;
  private final InputLimit limit;
  private final ServerMetadata server;

  Inference(MetadataRegistry registry, QueryPipeline pipeline, ModelSelector selector,
      ApplicationAvailability availability, InputLimit limit) {
    this.registry = registry;
    this.pipeline = pipeline;
    this.selector = selector;
    this.availability = availability;
    this.limit = limit;
    String version = Inference.class.getPackage().getImplementationVersion();
    this.server = new ServerMetadata(PLATFORM, version != null ? version : "dev", List.of());
  }

  public ServerMetadata server() {
    return server;
  }

  /** Ready once the metadata was read and the frontend accepts traffic (after its warm-up). */
  public boolean isReady() {
    return registry.current().version() >= 0
        && availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
  }

  /**
   * Whether a query could reach a replica now: the pinned version, or the model(s) the app's
   * policy picks from, has an UP replica.
   *
   * @throws InferenceException (404) for an unknown app or version
   */
  public boolean isModelReady(String model, Optional<String> version) {
    MetadataSnapshot snapshot = registry.current();
    App app = app(snapshot, model);
    List<ModelId> targets = version.isPresent()
        ? pinned(snapshot, app, version.get()).stream().toList()
        : selector.targets(snapshot, app);
    return targets.stream().anyMatch(id -> !snapshot.upReplicas(id).isEmpty());
  }

  /** @throws InferenceException (404) for an unknown app or version */
  public ModelMetadata metadata(String model, Optional<String> version) {
    MetadataSnapshot snapshot = registry.current();
    App app = app(snapshot, model);
    List<String> versions;
    if (version.isPresent()) {
      versions = pinned(snapshot, app, version.get()).map(ModelId::version).stream().toList();
    } else {
      versions = ModelSelector.singleModel(snapshot, app).map(name -> snapshot.models().keySet()
          .stream()
          .filter(id -> id.name().equals(name))
          .map(ModelId::version)
          .sorted(Comparator.naturalOrder())
          .toList()).orElse(List.of());
    }
    boolean strings = QueryInputs.nativeDatatype(app.inputType()) == Datatype.BYTES;
    ModelMetadata.Tensor input = new ModelMetadata.Tensor("input",
        QueryInputs.nativeDatatype(app.inputType()).name(),
        strings ? List.of(-1L) : List.of(-1L, -1L));
    return new ModelMetadata(app.name(), versions, PLATFORM, List.of(input), List.of(
        new ModelMetadata.Tensor(InferResult.OUTPUT, Datatype.BYTES.name(), List.of(-1L)),
        new ModelMetadata.Tensor(InferResult.DEFAULT, Datatype.BOOL.name(), List.of(-1L))));
  }

  /**
   * The answer to one request, by its deadline; fails (never throws) with the failure that
   * {@link InferenceException#of} maps.
   *
   * @param arrival when the request arrived: the SLO clock starts here
   * @param timer runs the SLO timers
   * @param trace records where the request's time goes, and is finished here
   */
  public CompletableFuture<InferResult> infer(InferRequest request, Instant arrival,
      Scheduler timer, RequestTrace trace) {
    return answer(request, arrival, timer, trace).whenComplete((result, failure) -> {
      if (failure != null) {
        trace.finish(request.model(), request.uid(), null, failure);
      }
    });
  }

  private CompletableFuture<InferResult> answer(InferRequest request, Instant arrival,
      Scheduler timer, RequestTrace trace) {
    try {
      MetadataSnapshot snapshot = registry.current();
      App app = app(snapshot, request.model());
      if (request.inputs().size() != 1) {
        throw InferenceException.invalid("model " + app.name() + " takes one input tensor, not "
            + request.inputs().size());
      }
      List<QueryInput> inputs = QueryInputs.split(app.name(), app.inputType(),
          request.inputs().get(0));
      if (!limit.allows(inputs.size())) {
        throw InferenceException.invalid("the batch holds " + inputs.size() + " queries, more"
            + " than the " + limit.max() + " one request may carry here"
            + " (" + InputLimit.PROPERTY + ")");
      }
      List<String> outputs = outputs(app, request.outputs());
      Query query = new Query(inputs, request.version(), request.uid(), arrival,
          request.timeout());
      return pipeline.predict(snapshot, app, query, timer, trace).thenApply(predictions -> {
        trace.finish(app.name(), request.uid(), Prediction.firstDefault(predictions), null);
        return new InferResult(app.name(),
            request.version().orElseGet(() -> versionOf(predictions)), request.id(),
            predictions, outputs,
            request.timing() ? trace.timing(System.nanoTime()) : null);
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static App app(MetadataSnapshot snapshot, String model) {
    return snapshot.app(model).orElseThrow(() -> InferenceException.notFound(
        "unknown model: " + model));
  }

  private static Optional<ModelId> pinned(MetadataSnapshot snapshot, App app, String version) {
    try {
      return Optional.of(QueryPipeline.selectVersion(snapshot, app, version).orElseThrow(() ->
          InferenceException.notFound("model " + app.name() + " links no model, so it has no"
              + " version " + version)));
    } catch (RuntimeException e) {
      throw InferenceException.of(e);
    }
  }

  private static List<String> outputs(App app, List<String> requested) {
    for (String name : requested) {
      if (!InferResult.ALL_OUTPUTS.contains(name)) {
        throw InferenceException.invalid("model " + app.name() + " has no output '" + name
            + "'; its outputs are " + InferResult.ALL_OUTPUTS);
      }
    }
    return requested.isEmpty() ? InferResult.ALL_OUTPUTS : requested;
  }

  /** The version that answered every row, or empty (defaults, an ensemble, a version switch). */
  private static String versionOf(List<Prediction> predictions) {
    List<String> models = predictions.stream().map(Prediction::model).distinct().toList();
    return models.size() == 1 && models.get(0) != null
        ? ModelId.parse(models.get(0)).version() : "";
  }
}
