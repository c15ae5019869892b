/**
 * The study: trials, their results, seeded samplers, coarse-to-fine narrowing and the ask/tell
 * {@link dev.caviar.study.Study} loop, with the {@link dev.caviar.study.TrialRunner} port that the
 * Spark runner and the in-memory {@link dev.caviar.study.FunctionRunner} implement.
 *
 * <p>Everything here is a pure function of the study seed and the results told: replaying the
 * results of completed rounds rebuilds the same state, which is what {@code --resume} relies on.
 */
package dev.caviar.study;
