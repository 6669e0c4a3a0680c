package ai.clipper.frontend.v2.grpc;

import ai.clipper.frontend.tracing.QueryTracing;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** Hands a call's W3C {@code traceparent} metadata to the service, through the call's Context. */
final class TraceparentInterceptor implements ServerInterceptor {

  /** The calling client's {@code traceparent}, or null. */
  static final Context.Key<String> TRACEPARENT = Context.key(QueryTracing.HEADER);

  private static final Metadata.Key<String> HEADER =
      Metadata.Key.of(QueryTracing.HEADER, Metadata.ASCII_STRING_MARSHALLER);

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    String traceparent = headers.get(HEADER);
    if (traceparent == null) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(Context.current().withValue(TRACEPARENT, traceparent), call,
        headers, next);
  }
}
