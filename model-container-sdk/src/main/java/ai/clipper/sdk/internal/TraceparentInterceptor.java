package ai.clipper.sdk.internal;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands a call's {@code traceparent} metadata values to the service: the frontend sends one per
 * sampled query of the batch, so the key may repeat, which OpenTelemetry's gRPC propagation (one
 * parent per call) does not cover.
 */
final class TraceparentInterceptor implements ServerInterceptor {

  private static final Metadata.Key<String> TRACEPARENT =
      Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<List<String>> TRACEPARENTS =
      Context.keyWithDefault("clipper-traceparents", List.of());

  /** The {@code traceparent} values of the call being served, empty when it has none. */
  static List<String> current() {
    return TRACEPARENTS.get();
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    Iterable<String> values = headers.getAll(TRACEPARENT);
    if (values == null) {
      return next.startCall(call, headers);
    }
    List<String> traceparents = new ArrayList<>();
    values.forEach(traceparents::add);
    return Contexts.interceptCall(Context.current().withValue(TRACEPARENTS, traceparents), call,
        headers, next);
  }
}
