/** Command-line entry points: wiring only (may import every other package). */
package dev.caviar.job;
