package ai.clipper.sdk;

/**
 * Runs a model class as a container, configured by the {@code CLIPPER_*} environment variables.
 *
 * <pre>{@code
 * CLIPPER_MODEL_NAME=sum CLIPPER_PORT=7000 \
 *   java -cp model.jar ai.clipper.sdk.ModelContainerMain com.example.SumModel
 * }</pre>
 *
 * The class must implement {@link Model} and have a public no-argument constructor.
 */
public final class ModelContainerMain {

  private ModelContainerMain() {
  }

  /** Starts the model class named by {@code args[0]} and serves until the process is stopped. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ModelContainerMain <model class name>");
      System.exit(2);
    }
    ModelContainer container;
    try {
      container = ModelContainer.start(load(args[0]), ContainerConfig.fromEnvironment());
    } catch (IllegalStateException | IllegalArgumentException cannotServe) {
      System.err.println(cannotServe.getMessage());  // one line the admin API shows
      System.exit(1);
      return;
    }
    container.awaitTermination();
  }

  /** An instance of the named class, or an exit with one line that says what is wrong. */
  private static Model<?> load(String className) throws ReflectiveOperationException {
    Class<?> type;
    try {
      type = Class.forName(className);
    } catch (ClassNotFoundException e) {
      System.err.println("No class " + className + " on the classpath");
      System.exit(1);
      throw e;
    }
    if (!Model.class.isAssignableFrom(type)) {
      System.err.println(className + " does not implement " + Model.class.getName());
      System.exit(1);
    }
    return (Model<?>) type.getDeclaredConstructor().newInstance();
  }
}
