/**
 * Study configs: HOCON text ({@code conf/*.conf}) to an immutable, validated {@link
 * dev.caviar.config.StudySpec}. {@link dev.caviar.config.StudyConfig} only maps text to
 * constructors and adds the file, line and key to any failure; the records validate. Each
 * vocabulary has one owner here: config keys (path, type, default, doc line) in {@code Keys}, from
 * which the reader, the unknown-key check and the {@code conf/README.md} test come; hyperparameters
 * (type, rule, default, how each reaches the engine) in {@link dev.caviar.config.Hyperparameters};
 * rules between hyperparameters in {@code CrossChecks}, asked of the engine so they are checked
 * before Spark starts. Scale names belong to {@link dev.caviar.space.Scales}.
 */
package dev.caviar.config;
