package dev.caviar.nn;

import dev.ludovic.netlib.blas.BLAS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BLAS netlib picks for this JVM (native OpenBLAS through JNI when found, else the Vector-API
 * or plain Java one), logged once because throughput differs by 4x between them (PERFORMANCE.md).
 */
final class DefaultBlas {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultBlas.class);

  private DefaultBlas() {}

  private static final class Holder {
    static final BLAS INSTANCE = pick();

    private static BLAS pick() {
      BLAS blas = BLAS.getInstance();
      LOG.info("nn engine BLAS: {}", blas.getClass().getName());
      return blas;
    }
  }

  static BLAS get() {
    return Holder.INSTANCE;
  }
}
