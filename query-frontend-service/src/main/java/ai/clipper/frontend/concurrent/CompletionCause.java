package ai.clipper.frontend.concurrent;

import java.util.concurrent.CompletionException;

/**
 * The failure a future really failed with: {@code CompletableFuture} wraps a stage's exception in
 * {@link CompletionException}s, which every layer that maps failures (defaults, HTTP and gRPC
 * answers, replica health) must see through the same way.
 */
public final class CompletionCause {

  private CompletionCause() {
  }

  /** {@code failure} without its {@link CompletionException} wrappers. */
  public static Throwable of(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
