/**
 * Command-line entry points ({@code caviar tune}, {@code caviar show}) and benchmarks: wiring only.
 * The study loop lives in {@code dev.caviar.spark.SparkStudy}, usable from notebooks too.
 */
package dev.caviar.job;
