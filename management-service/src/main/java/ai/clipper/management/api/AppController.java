package ai.clipper.management.api;

import static ai.clipper.management.api.RequestRules.required;

import ai.clipper.management.api.AdminRequests.AddApp;
import ai.clipper.management.api.AdminRequests.AppName;
import ai.clipper.management.api.AdminRequests.ForApp;
import ai.clipper.management.api.AdminRequests.GetState;
import ai.clipper.management.api.AdminRequests.Links;
import ai.clipper.management.api.AdminRequests.SetSelectionPolicy;
import ai.clipper.management.api.AdminRequests.Verbose;
import ai.clipper.management.api.AdminViews.AppView;
import ai.clipper.management.api.AdminViews.Message;
import ai.clipper.management.apps.AppService;
import ai.clipper.metadata.App;
import ai.clipper.metadata.PolicyParams;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/** Clipper's admin endpoints for applications and their model links, plus ping: HTTP only. */
@RestController
@RequestMapping("/admin")
class AppController {

  private final AppService apps;

  AppController(AppService apps) {
    this.apps = apps;
  }

  @GetMapping("/ping")
  Message ping() {
    return new Message("PONG");
  }

  @Mutating
  @PostMapping("/add_app")
  Message addApp(@RequestBody AddApp request) {
    String name = RequestRules.name(request.name(), "name");
    App app = new App(name, RequestRules.inputType(request.inputType()),
        required(request.defaultOutput(), "default_output"),
        required(request.latencySloMicros(), "latency_slo_micros"), App.DEFAULT_POLICY,
        !Boolean.FALSE.equals(request.cacheEnabled()))
        .withOverload(RequestRules.overload(request.overload()));
    if (app.latencySloMicros() <= 0) {
      throw InvalidRequestException.invalid("Invalid value for latency_slo_micros: "
          + app.latencySloMicros() + " (must be greater than 0)");
    }
    apps.add(app);
    return new Message("Successfully added application with name '" + name + "'");
  }

  @Mutating
  @PostMapping("/delete_app")
  Message deleteApp(@RequestBody AppName request) {
    String name = required(request.name(), "name");
    apps.delete(name);
    return new Message("Successfully deleted application with name '" + name + "'");
  }

  @PostMapping("/get_all_applications")
  List<?> allApps(@RequestBody(required = false) Verbose request) {
    List<App> all = apps.all();
    return Verbose.of(request)
        ? all.stream().map(app -> AppView.of(app, apps.links(app.name()))).toList()
        : all.stream().map(App::name).toList();
  }

  @PostMapping("/get_application")
  Object app(@RequestBody AppName request) {
    String name = required(request.name(), "name");
    return apps.find(name).<Object>map(app -> AppView.of(app, apps.links(name)))
        .orElse(Map.of());
  }

  @PostMapping("/get_linked_models")
  Set<String> linkedModels(@RequestBody ForApp request) {
    return apps.links(existingApp(request.appName()).name());
  }

  /** Clipper's default policy keeps no state but the app's default output, answered raw. */
  @PostMapping("/get_state")
  JsonNode state(@RequestBody GetState request) {
    required(request.uid(), "uid");
    return StringNode.valueOf(existingApp(request.appName()).defaultOutput());
  }

  /**
   * Ours: chooses how the frontends pick among the app's linked models (see
   * docs/selection.md); the learned state per (app, uid) is kept, so switching policies keeps it.
   */
  @Mutating
  @PostMapping("/set_selection_policy")
  Message setSelectionPolicy(@RequestBody SetSelectionPolicy request) {
    App app = existingApp(request.appName());
    String policy = required(request.policy(), "policy");
    PolicyParams params = apps.setSelectionPolicy(app.name(), policy, request.params());
    return new Message("Successfully set the selection policy of application '" + app.name()
        + "' to " + policy + " with params " + params.toJson());
  }

  @Mutating
  @PostMapping("/add_model_links")
  Message addLinks(@RequestBody Links request) {
    App app = existingApp(request.appName());
    List<String> models = modelNames(request);
    apps.link(app, models);
    return new Message(models.size() == 1
        ? "Successfully linked model with name '" + models.get(0) + "' to application '"
            + app.name() + "'"
        : "Successfully linked models with names " + quoted(models) + " to application '"
            + app.name() + "'");
  }

  @Mutating
  @PostMapping("/delete_model_links")
  Message deleteLinks(@RequestBody Links request) {
    App app = existingApp(request.appName());
    List<String> models = modelNames(request);
    apps.unlink(app.name(), models);
    return new Message("Success!");
  }

  private App existingApp(String name) {
    required(name, "app_name");
    return apps.existing(name);
  }

  private static List<String> modelNames(Links request) {
    List<String> models = required(request.modelNames(), "model_names");
    if (models.isEmpty()) {
      throw InvalidRequestException.invalid("model_names must name at least one model");
    }
    models.forEach(model -> RequestRules.noSeparators(model, "model_names"));
    return models.stream().distinct().toList();
  }

  private static String quoted(List<String> names) {
    return names.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
  }
}
