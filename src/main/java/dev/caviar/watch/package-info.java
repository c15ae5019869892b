/**
 * The watch mode ({@code caviar watch}, {@code caviar score}): a Spark Structured Streaming query
 * over arriving labelled files that scores the current model on each micro-batch before learning it
 * (prequential), keeps a bounded window as Parquet, re-tunes warm when the accuracy drops and
 * publishes model versions; exactly once across crashes through a commit log keyed by batch id.
 * Above {@code spark} (it runs studies with {@code SparkStudy}), below {@code job}.
 */
package dev.caviar.watch;
