/**
 * The SDK's gRPC plumbing (the predict service, self-registration). Internal: it may change at
 * any time, and nothing outside this module uses it; model authors use {@code ai.clipper.sdk}.
 */
package ai.clipper.sdk.internal;
