package ai.clipper.frontend.v2;

/**
 * One input tensor of a V2 request, its data still in the client's form: it is decoded only
 * once the app it is for is known to take its datatype.
 *
 * @param name the client's name for it (any name: an app has one input)
 * @param datatype the protocol's name, as sent (an unknown one is a 400)
 */
public record InputTensor(String name, String datatype, TensorShape shape, Data data) {

  /** The tensor's elements in the client's form. */
  @FunctionalInterface
  public interface Data {

    /**
     * The elements, read as {@code type}.
     *
     * @throws InferenceException (400) when they are not elements of that type or do not
     *     follow the shape's nesting
     */
    TensorValues decode(Datatype type, TensorShape shape);
  }
}
