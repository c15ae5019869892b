package dev.caviar.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caviar.report.ResultTables;
import dev.caviar.report.StudyDirectory;
import dev.caviar.study.ReplicateScore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * What two runs of one study must agree on, read back from their directories: every round's trial
 * table, every (trial, shard) score with its seed and learning curve, and best.json (the best
 * configuration, its ties, the final model's seed and test score). Left out: wall times and the
 * model's path, and which executor trained each final member: the only things allowed to differ.
 */
public final class StudyResults {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StudyResults() {}

  public static Map<String, String> of(String directory, Configuration conf) throws Exception {
    StudyDirectory dir = StudyDirectory.at(directory, conf);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("complete rounds", dir.completeRounds().toString());
    for (int r : dir.completeRounds()) {
      String round = dir.roundPath(r);
      out.put(
          round.substring(round.lastIndexOf('/') + 1) + " trials.csv",
          dir.readText(round + "/trials.csv"));
      String f = round + "/replicates.jsonl";
      out.put(
          round.substring(round.lastIndexOf('/') + 1) + " replicates",
          String.join("\n", scores(ResultTables.readReplicates(dir.readText(f), f))));
    }
    if (dir.exists("best.json")) {
      ObjectNode best = (ObjectNode) JSON.readTree(dir.readText("best.json"));
      ObjectNode fin = (ObjectNode) best.path("final");
      fin.remove("trainingSeconds");
      fin.remove("model");
      // Which executor trained a member, and how long it took, are where and when, not what.
      for (com.fasterxml.jackson.databind.JsonNode m : fin.path("members")) {
        ((ObjectNode) m).remove("trainingSeconds");
        ((ObjectNode) m).remove("executor");
      }
      out.put("best.json", best.toPrettyString());
    }
    return out;
  }

  public static Map<String, String> of(String directory) throws Exception {
    return of(directory, new Configuration());
  }

  /** Scores without their training time. */
  static List<String> scores(List<ReplicateScore> scores) {
    List<String> out = new ArrayList<>();
    for (ReplicateScore s : scores) {
      out.add(
          String.join(
              "/",
              "" + s.round(),
              "" + s.trial(),
              "" + s.shard(),
              "" + s.seed(),
              "" + s.status(),
              "" + s.validationAccuracy(),
              "" + s.validationLoss(),
              "" + s.trainLoss(),
              "" + s.epochsRun(),
              "" + s.curve()));
    }
    return out;
  }
}
