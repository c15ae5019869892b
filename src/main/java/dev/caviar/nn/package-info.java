/**
 * The network engine: a mini-batch, batch-normalised multilayer perceptron trained in float32 on
 * the BLAS that Spark MLlib ships ({@code dev.ludovic.netlib}).
 *
 * <p>Public: the serialisable {@link dev.caviar.nn.NetworkSpec} and its parts, the zero-copy {@link
 * dev.caviar.nn.DataView}, {@link dev.caviar.nn.Trainer}, its {@link dev.caviar.nn.TrainingResult}
 * and the inference-mode {@link dev.caviar.nn.Model}. Everything that holds weights or workspaces
 * is package-private. No Spark imports here (DESIGN.md, layer 0).
 */
package dev.caviar.nn;
