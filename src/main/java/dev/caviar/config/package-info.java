/**
 * Study configs: HOCON text ({@code conf/*.conf}) to an immutable, validated {@link
 * dev.caviar.config.StudySpec}. {@link dev.caviar.config.StudyConfig} only maps text to
 * constructors and adds the file, line and key to any failure; the records validate. Unknown keys
 * are errors with the nearest known key suggested. {@code conf/README.md} documents every key in
 * {@link dev.caviar.config.StudyConfig#KEYS}; a test keeps the two in sync.
 */
package dev.caviar.config;
