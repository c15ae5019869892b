package dev.caviar.job;

import dev.caviar.report.StudyDirectory;
import dev.caviar.report.StudyReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code caviar report DIR}: writes the study's self-contained HTML report, without Spark. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes report.html into a study's directory (any Hadoop path): the best configuration,",
      "the rounds and their narrowing, score against each hyperparameter on its own scale,",
      "learning curves and the spread across shards. It opens offline in any browser."
    })
final class Report implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "the study's output directory")
  String directory;

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    String path = StudyReport.write(StudyDirectory.at(directory, Caviar.hadoopConfiguration()));
    out.println("report: " + path);
    out.flush();
    return 0;
  }
}
