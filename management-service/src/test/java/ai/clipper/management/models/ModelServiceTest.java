package ai.clipper.management.models;

import static ai.clipper.sdk.InputType.DOUBLES;
import static ai.clipper.sdk.InputType.INTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.management.ServiceContext;
import ai.clipper.management.apps.AppService;
import ai.clipper.management.domain.ConflictException;
import ai.clipper.management.domain.NotFoundException;
import ai.clipper.management.domain.RuleViolationException;
import ai.clipper.management.replicas.ReplicaService;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The rules of model versions, each refused by the same atomic step that would have written. */
class ModelServiceTest extends ServiceContext {

  @Autowired
  ModelService models;
  @Autowired
  AppService apps;
  @Autowired
  ReplicaService replicas;

  @Test
  void addsAVersionAndMakesItCurrent() {
    String model = unique("model");
    models.add(model(model, "1", INTS));
    models.add(model(model, "2", INTS));

    assertThat(models.isCurrent(new ModelId(model, "2"))).isTrue();
    assertThat(models.isCurrent(new ModelId(model, "1"))).isFalse();
  }

  @Test
  void refusesAVersionOfAnotherInputTypeThanAnAppLinkedToItsName() {
    String model = unique("model");
    App app = app(unique("app"), INTS);
    apps.add(app);
    models.add(model(model, "1", INTS));
    apps.link(app, List.of(model));

    assertThatThrownBy(() -> models.add(model(model, "2", DOUBLES)))
        .isInstanceOf(ConflictException.class)
        .hasMessage("Model with name '" + model + "' is linked to application '" + app.name()
            + "' with incompatible input_type ints. Requested input_type: doubles");
    assertThat(models.find(new ModelId(model, "2"))).isEmpty();
    assertThat(models.isCurrent(new ModelId(model, "1"))).isTrue();
  }

  @Test
  void acceptsAVersionOfAnotherInputTypeOnceTheAppIsUnlinked() {
    String model = unique("model");
    App app = app(unique("app"), INTS);
    apps.add(app);
    models.add(model(model, "1", INTS));
    apps.link(app, List.of(model));
    apps.unlink(app.name(), List.of(model));

    models.add(model(model, "2", DOUBLES));

    assertThat(models.existing(new ModelId(model, "2")).inputType()).isEqualTo(DOUBLES);
  }

  @Test
  void refusesAVersionThatExists() {
    String model = unique("model");
    models.add(model(model, "1", INTS));

    assertThatThrownBy(() -> models.add(model(model, "1", INTS)))
        .isInstanceOf(ConflictException.class)
        .hasMessage("model with name '" + model + "' and version '1' already exists");
  }

  @Test
  void refusesToMakeAMissingVersionCurrent() {
    String model = unique("model");
    models.add(model(model, "1", INTS));

    assertThatThrownBy(() -> models.setCurrentVersion(new ModelId(model, "7")))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("Cannot set non-existent version '7' for model with name '" + model + "'");
  }

  @Test
  void deletingAVersionForgetsItsSelfRegisteredReplicasAndMovesTheCurrentVersion() {
    String model = unique("model");
    ModelId first = new ModelId(model, "1");
    ModelId second = new ModelId(model, "2");
    models.add(model(model, "1", INTS));
    models.add(model(model, "2", INTS));
    replicas.register(second, INTS, "127.0.0.1", 7000);
    replicas.register(first, INTS, "127.0.0.1", 7001);

    models.delete(second);

    assertThat(replicas.of(second)).isEmpty();
    assertThat(replicas.of(first)).hasSize(1);
    assertThat(models.isCurrent(first)).isTrue();
    assertThatThrownBy(() -> models.delete(second)).isInstanceOf(NotFoundException.class)
        .hasMessage("Model with name '" + model + "' and version '2' does not exist");
  }

  @Test
  void refusesToScaleAVersionWhoseReplicasRegisterThemselves() {
    String model = unique("model");
    models.add(model(model, "1", INTS));

    assertThatThrownBy(() -> models.setNumReplicas(models.existing(new ModelId(model, "1")), 2))
        .isInstanceOf(RuleViolationException.class)
        .hasMessage("Model with name '" + model + "' and version '1' has container_name"
            + " NO_CONTAINER: its replicas register themselves");
  }
}
