/**
 * The Spark side of a study: the runner that trains a round's (trial, shard) pairs
 * partition-locally, the driver loop that writes each round and the final model, and the Spark ML
 * face: {@link dev.caviar.spark.CaviarTuner}, a study as an {@code Estimator} on a DataFrame, and
 * {@link dev.caviar.spark.TunedModel}, the tuned network as a classification model that pipelines
 * save and load.
 */
package dev.caviar.spark;
