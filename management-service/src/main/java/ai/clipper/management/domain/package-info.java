/**
 * The refusals the feature services ({@code apps}, {@code models}, {@code replicas}) throw when
 * a call breaks a rule; the admin API's one error handler turns each into its status.
 */
package ai.clipper.management.domain;
