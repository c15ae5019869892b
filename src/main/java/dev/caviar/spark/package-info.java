/**
 * The Spark side of a study: the runner that trains a round's (trial, shard) pairs
 * partition-locally, the driver loop that writes each round and the final model, and the tuned
 * network as a Spark ML {@code Model}.
 */
package dev.caviar.spark;
