package dev.caviar.spark;

import dev.caviar.data.LoadedData;
import dev.caviar.data.PackedShard;
import org.apache.spark.broadcast.Broadcast;

/**
 * What one study holds in a Spark session: its cached training shards and test parts, and the
 * broadcast training set of the broadcast layout. Released when the study ends, whether it ends
 * well or not, because the session may be borrowed (a notebook's, a pipeline's) and outlive it.
 */
final class StudyResources {
  private LoadedData data;
  private Broadcast<PackedShard> broadcast;

  LoadedData data(LoadedData loaded) {
    this.data = loaded;
    return loaded;
  }

  Broadcast<PackedShard> broadcast(Broadcast<PackedShard> b) {
    this.broadcast = b;
    return b;
  }

  /** Destroys the broadcast (on every executor) and unpersists the cached data; idempotent. */
  void release() {
    if (broadcast != null) {
      broadcast.destroy();
      broadcast = null;
    }
    if (data != null) {
      data.unpersist();
      data = null;
    }
  }
}
