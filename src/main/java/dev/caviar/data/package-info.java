/**
 * Reading, checking, standardising, sharding and packing the data a study tunes on.
 *
 * <p>Every reader goes through Spark and Hadoop paths (local, {@code hdfs://}, {@code s3a://}) and
 * never ships data from the driver: IDX and synthetic rows are produced inside the partitions that
 * hold them. All sources meet in one form, an {@code Example} (stable row id, integer label, dense
 * features), from which {@link dev.caviar.data.Datasets#load} standardises with training statistics
 * only, assigns rows to shards by row hash and packs each shard once into a {@link
 * dev.caviar.data.PackedShard}. A DataFrame handed to Spark ML's {@code CaviarTuner} ({@link
 * dev.caviar.data.FrameSource}) is one more source: its rows meet the others there, with the same
 * checks and ids as a Parquet file's. Bad input fails with a {@link dev.caviar.data.DataException}
 * that names the file, the row when it is known, the rule and the value.
 */
package dev.caviar.data;
