package ai.clipper.management.apps;

import static ai.clipper.sdk.InputType.DOUBLES;
import static ai.clipper.sdk.InputType.INTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.management.ServiceContext;
import ai.clipper.management.domain.ConflictException;
import ai.clipper.management.domain.NotFoundException;
import ai.clipper.management.models.ModelService;
import ai.clipper.metadata.App;
import ai.clipper.metadata.InvalidPolicyException;
import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/** The rules of apps and links, each refused by the same atomic step that would have written. */
class AppServiceTest extends ServiceContext {

  @Autowired
  AppService apps;
  @Autowired
  ModelService models;

  @Test
  void linksAModelWhoseEveryVersionHasTheAppsInputType() {
    App app = newApp(DOUBLES);
    String model = unique("model");
    models.add(model(model, "1", DOUBLES));
    models.add(model(model, "2", DOUBLES));

    apps.link(app, List.of(model));

    assertThat(apps.links(app.name())).containsExactly(model);
  }

  @Test
  void refusesToLinkAModelWithAnyVersionOfAnotherInputType() {
    App app = newApp(DOUBLES);
    String model = unique("model");
    models.add(model(model, "1", DOUBLES));
    models.add(model(model, "2", INTS));
    models.setCurrentVersion(new ModelId(model, "1"));

    assertThatThrownBy(() -> apps.link(app, List.of(model)))
        .isInstanceOf(ConflictException.class)
        .hasMessage("Model with name '" + model + "' has incompatible input_type ints."
            + " Requested input_type: doubles");
    assertThat(apps.links(app.name())).isEmpty();
  }

  @Test
  void refusesToLinkAModelWithoutVersions() {
    App app = newApp(DOUBLES);

    assertThatThrownBy(() -> apps.link(app, List.of("ghost")))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("No model with name 'ghost' exists.");
  }

  @Test
  void linksNoneOfSeveralModelsWhenOneIsLinkedAlready() {
    App app = newApp(INTS);
    String first = unique("model");
    String second = unique("model");
    models.add(model(first, "1", INTS));
    models.add(model(second, "1", INTS));
    apps.link(app, List.of(second));

    assertThatThrownBy(() -> apps.link(app, List.of(first, second)))
        .isInstanceOf(ConflictException.class)
        .hasMessage("A model with name " + second + " is already linked to '" + app.name() + "'.");
    assertThat(apps.links(app.name())).containsExactly(second);
  }

  @Test
  void refusesToLinkToAnAppDeletedMeanwhile() {
    App app = newApp(INTS);
    String model = unique("model");
    models.add(model(model, "1", INTS));
    apps.delete(app.name());

    assertThatThrownBy(() -> apps.link(app, List.of(model)))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("No application with name '" + app.name() + "' exists.");
  }

  @Test
  void unlinksNoneOfSeveralModelsWhenOneIsNotLinked() {
    App app = newApp(INTS);
    String linked = unique("model");
    models.add(model(linked, "1", INTS));
    apps.link(app, List.of(linked));

    assertThatThrownBy(() -> apps.unlink(app.name(), List.of(linked, "ghost")))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("Cannot remove nonexistent link between app " + app.name()
            + " and model ghost");
    assertThat(apps.links(app.name())).containsExactly(linked);
  }

  @Test
  void refusesWeightsForAModelThatIsNotLinked() {
    App app = newApp(INTS);
    String linked = unique("model");
    models.add(model(linked, "1", INTS));
    apps.link(app, List.of(linked));

    assertThatThrownBy(() -> apps.setSelectionPolicy(app.name(), "ab",
        JsonMapper.builder().build().readTree("{\"weights\":{\"other\":1}}")))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("model 'other' is not linked to the app");
    assertThat(apps.existing(app.name()).policy()).isEqualTo(App.DEFAULT_POLICY);
  }

  @Test
  void refusesASecondAppOfTheSameName() {
    App app = newApp(INTS);

    assertThatThrownBy(() -> apps.add(app(app.name(), DOUBLES)))
        .isInstanceOf(ConflictException.class)
        .hasMessage("application '" + app.name() + "' already exists");
  }

  private App newApp(InputType type) {
    App app = app(unique("app"), type);
    apps.add(app);
    return app;
  }
}
