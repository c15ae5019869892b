package dev.caviar.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report on hand-written study files: what it shows, and how it refuses a non-study. */
class StudyReportTest {
  @TempDir Path tmp;

  private StudyDirectory dir(Path p) {
    return StudyDirectory.at(p.toString(), new Configuration());
  }

  private Path round(Path study, int r, String trials, String region, String replicates)
      throws IOException {
    Path d = study.resolve("rounds").resolve(StudyDirectory.roundName(r));
    Files.createDirectories(d);
    Files.writeString(d.resolve("trials.json"), trials);
    Files.writeString(d.resolve("region.json"), region);
    Files.writeString(d.resolve("replicates.jsonl"), replicates);
    Files.writeString(d.resolve(StudyDirectory.MARKER), "");
    return d;
  }

  private static String trial(int t, String status, String mean, String lr, String opt) {
    return "{\"round\":0,\"trial\":"
        + t
        + ",\"carriedFrom\":-1,\"epochs\":1,\"seed\":1,\"status\":\""
        + status
        + "\",\"metric\":\"accuracy\",\"mean\":"
        + mean
        + ",\"std\":0.01,\"n\":2,\"min\":0.5,\"max\":0.6,\"diverged\":0,\"failed\":0,"
        + "\"params\":{\"learningRate\":"
        + lr
        + ",\"optimizer\":\""
        + opt
        + "\"}}";
  }

  private static String replicate(int t, String status, String reason) {
    return "{\"round\":0,\"trial\":"
        + t
        + ",\"shard\":0,\"seed\":3,\"status\":\""
        + status
        + "\",\"validationAccuracy\":0.5,\"validationLoss\":0.9,\"trainLoss\":\"Infinity\","
        + "\"epochsRun\":1,\"trainingNanos\":1000,"
        + (reason == null ? "" : "\"reason\":\"" + reason + "\",")
        + "\"curve\":[[1,1.2,\"NaN\",0.4],[2,0.8,0.9,0.5]]}\n";
  }

  // Trial 1's replicate as a current build writes it: an initial loss 30% above ln 10, where it
  // ran, and a second layer whose first-epoch ratio 0.05 is above the band.
  private static final String BABYSAT =
      "\"trainingNanos\":1000,\"initialLoss\":3.0,\"lnClasses\":2.302585092994046,"
          + "\"executor\":\"driver\",\"blas\":\"dev.ludovic.netlib.blas.JNIBLAS\",";

  private Path study() throws IOException {
    Path s = tmp.resolve("study");
    Files.createDirectories(s);
    Files.writeString(s.resolve("config.conf"), "study { name = hand <written> }\n");
    round(
        s,
        0,
        "["
            + trial(0, "OK", "0.6", "0.01", "adam")
            + ","
            + trial(1, "OK", "0.7", "0.02", "sgd")
            + ","
            + trial(2, "DIVERGED", "\"NaN\"", "5.0", "adam")
            + "]",
        "{\"round\":0,\"epochs\":1,"
            + "\"sampled\":{\"learningRate\":\"log[0.001, 10]\","
            + "\"optimizer\":\"choice[adam, sgd]\"},"
            + "\"bounds\":{\"learningRate\":{\"scale\":\"log\",\"low\":0.001,\"high\":10},"
            + "\"optimizer\":{\"scale\":\"choice\",\"values\":[\"adam\",\"sgd\"]}},"
            + "\"narrowing\":[{\"parameter\":\"learningRate\",\"old\":\"log[0.001, 10]\","
            + "\"new\":\"log[0.0001, 0.05]\",\"rule\":\"WIDENED_LOW\",\"eliteCount\":1,"
            + "\"note\":\"elite crowd the low edge\","
            + "\"oldBounds\":{\"scale\":\"log\",\"low\":0.001,\"high\":10},"
            + "\"newBounds\":{\"scale\":\"log\",\"low\":0.0001,\"high\":0.05}}]}",
        replicate(0, "OK", null)
            + replicate(1, "OK", null)
                .replace("\"trainingNanos\":1000,", BABYSAT)
                .replace("0.4],[2,0.8,0.9,0.5]", "0.4,[0.002,0.05]],[2,0.8,0.9,0.5,[0.001,0.004]]")
            + replicate(2, "DIVERGED", "loss 99 exceeds 10 x initial loss"));
    return s;
  }

  @Test
  void showsTheRoundsTheFlagsTheDivergenceAndEscapesText() throws IOException {
    String html = StudyReport.html(dir(study()));
    assertTrue(html.contains("<td class=\"diverged\">1</td>"), "one DIVERGED trial in round 1");
    assertTrue(html.contains("<span class=\"flag edge\">WIDENED_LOW</span>"), html);
    assertTrue(html.contains("loss 99 exceeds 10 x initial loss"), "the reason is listed");
    assertTrue(html.contains("hand &lt;written&gt;"), "the config is escaped");
    assertTrue(html.contains("has not finished"), "no best.json: said so");
    assertTrue(html.contains("alt=\"learningRate against validation accuracy\""));
    assertTrue(html.contains("alt=\"optimizer against validation accuracy\""));
    assertTrue(html.contains("<td>0.7</td>"), "best score of the round");
    assertTrue(html.contains("<b>1</b> training(s) flagged"), "babysitting counts the flagged");
    assertTrue(html.contains("initial loss 3.000 is more than 10% away from ln C"), "flag shown");
    assertTrue(html.contains("worst 0.0500 (epoch 1, layer 2)"), "the worst ratio named");
    assertTrue(html.contains("Trained on driver (JNIBLAS): 1."), "where it trained");
    assertTrue(html.contains("alt=\"update/weight ratios of the best trials\""), "ratio chart");
    assertFalse(html.contains("<script"), "no script: nothing to fail in a browser");
  }

  @Test
  void writeLeavesTheFileInTheStudyDirectory() throws IOException {
    Path s = study();
    String path = StudyReport.write(dir(s));
    assertTrue(path.endsWith(StudyReport.FILE), path);
    assertTrue(Files.readString(s.resolve(StudyReport.FILE)).startsWith("<!DOCTYPE html>"));
  }

  @Test
  void anEmptyDirectoryIsNotAStudy() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StudyReport.html(dir(empty)));
    assertTrue(e.getMessage().contains("not a Caviar study directory"), e.getMessage());
  }

  @Test
  void aStudyWithoutACompleteRoundHasNothingToReport() throws IOException {
    Path s = Files.createDirectories(tmp.resolve("young"));
    Files.writeString(s.resolve("config.conf"), "study {}\n");
    Files.createDirectories(s.resolve("rounds/_tmp-round-000"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StudyReport.html(dir(s)));
    assertTrue(e.getMessage().contains("no complete round"), e.getMessage());
  }

  @Test
  void anUnreadableTableIsNamed() throws IOException {
    Path s = study();
    Files.writeString(s.resolve("rounds/round-000/trials.json"), "{not json");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StudyReport.html(dir(s)));
    assertTrue(e.getMessage().contains("trials.json"), e.getMessage());
    assertEquals(false, Files.exists(s.resolve(StudyReport.FILE)), "no report from a broken study");
  }
}
