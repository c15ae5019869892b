/**
 * Search spaces: the scale of every hyperparameter ({@link dev.caviar.space.Domain}), conditional
 * parameters, and the per-round {@link dev.caviar.space.Region}.
 *
 * <p>Every numeric domain maps its values to a <em>transformed coordinate</em> (the value itself,
 * its log10, {@code -log10(1 - beta)}, or a power-of-two exponent) in which sampling is uniform and
 * in which the narrowing computes its bounds. Pure Java; no randomness lives here: callers pass
 * unit coordinates drawn from their own seeded generators.
 */
package dev.caviar.space;
