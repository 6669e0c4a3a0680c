package ai.clipper.management.apps;

import ai.clipper.management.domain.ConflictException;
import ai.clipper.management.domain.NotFoundException;
import ai.clipper.management.metadata.MetadataStore;
import ai.clipper.management.metadata.Refusal;
import ai.clipper.metadata.App;
import ai.clipper.metadata.PolicyParams;
import ai.clipper.metadata.PolicySchema;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * The rules of applications and their model links: every model linked to an app has a version,
 * and every version of it has the app's input type. Each rule is checked by the store in the same
 * atomic step as the write it guards, so concurrent calls cannot break it between the two.
 */
@Service
public class AppService {

  private final MetadataStore store;

  AppService(MetadataStore store) {
    this.store = store;
  }

  /** Adds the app; 409 when one of that name exists. */
  public void add(App app) {
    if (!store.addApp(app)) {
      throw new ConflictException("application '" + app.name() + "' already exists");
    }
  }

  /** Deletes the app with its links. */
  public void delete(String name) {
    if (!store.deleteApp(name)) {
      throw new NotFoundException("Application '" + name + "' does not exist");
    }
  }

  public List<App> all() {
    return store.apps();
  }

  public Optional<App> find(String name) {
    return store.app(name);
  }

  /** The app of that name; 404 when there is none. */
  public App existing(String name) {
    return store.app(name).orElseThrow(() -> noApp(name));
  }

  /** The names of the models linked to the app, sorted. */
  public Set<String> links(String app) {
    return store.links(app);
  }

  /**
   * Sets the app's selection policy, its parameters validated against the app's links at the
   * moment of the write: a link removed meanwhile validates them again.
   *
   * @return the parameters as stored
   */
  public PolicyParams setSelectionPolicy(String app, String policy, JsonNode params) {
    while (true) {
      PolicyParams valid = PolicySchema.validate(policy, params, store.links(app));
      Optional<Refusal> refusal = store.setSelectionPolicy(app, policy, valid);
      if (refusal.isEmpty()) {
        return valid;
      }
      if (refusal.get().reason() == Refusal.Reason.NO_APP) {
        throw noApp(app);
      }
    }
  }

  /** Links the models to the app, all or none, when each exists, fits and is not linked yet. */
  public void link(App app, List<String> models) {
    store.addLinks(app.name(), models).ifPresent(refusal -> {
      String model = refusal.subject();
      throw switch (refusal.reason()) {
        case NO_APP -> noApp(app.name());
        case NO_MODEL -> new NotFoundException("No model with name '" + model + "' exists.");
        case INCOMPATIBLE_INPUT_TYPE -> new ConflictException("Model with name '" + model
            + "' has incompatible input_type " + refusal.inputType() + ". Requested input_type: "
            + app.inputType());
        case ALREADY_LINKED -> new ConflictException(
            "A model with name " + model + " is already linked to '" + app.name() + "'.");
        default -> new IllegalStateException("Unexpected refusal " + refusal);
      };
    });
  }

  /** Unlinks the models from the app, all or none, when each is linked. */
  public void unlink(String app, List<String> models) {
    store.removeLinks(app, models).ifPresent(refusal -> {
      throw switch (refusal.reason()) {
        case NO_APP -> noApp(app);
        case NOT_LINKED -> new NotFoundException("Cannot remove nonexistent link between app "
            + app + " and model " + refusal.subject());
        default -> new IllegalStateException("Unexpected refusal " + refusal);
      };
    });
  }

  private static NotFoundException noApp(String name) {
    return new NotFoundException("No application with name '" + name + "' exists.");
  }
}
