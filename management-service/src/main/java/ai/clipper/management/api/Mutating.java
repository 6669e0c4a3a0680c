package ai.clipper.management.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an admin endpoint that needs the bearer token when one is set: every call that changes
 * state, and the reads of what a container holds or wrote (a model artifact, a replica's logs).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface Mutating {
}
