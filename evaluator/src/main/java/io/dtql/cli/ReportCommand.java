package io.dtql.cli;

import io.dtql.evaluator.report.Provenance;
import io.dtql.evaluator.report.TrainingReport;
import io.dtql.evaluator.report.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dtql report RUN_DIR}: a training run as a Markdown report with charts. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write a report of a training run: report.md with the evaluation score during training, the"
          + " training curves as PNG charts, and where the run and the report came from.",
      "",
      "RUN_DIR is a directory dtql train wrote (config.json, metrics.jsonl). A run still training,"
          + " or killed, reports what it has logged so far."
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "RUN_DIR",
      description = "The training run, e.g. runs/hopper-medium__dtql__0__20261121-201500.")
  Path runDir;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Directory for report.md and its charts (default: RUN_DIR/report).")
  Path output;

  @Override
  public Integer call() throws IOException {
    try {
      TrainingRun.requireRun(runDir);
    } catch (TrainingRun.NotARunException e) {
      throw Usage.error(spec, e.getMessage());
    }
    Path target = output != null ? output : runDir.resolve(TrainingReport.DEFAULT_DIRECTORY);
    Usage.require(
        !Files.exists(target) || Files.isDirectory(target),
        spec,
        (output != null ? "--output " : "report directory ")
            + target
            + " is a file; name a directory for report.md and its charts");
    TrainingReport.Result result = TrainingReport.write(runDir, target, Provenance.software());
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "report: "
            + result.markdown()
            + " ("
            + result.charts().size()
            + " chart"
            + (result.charts().size() == 1 ? "" : "s")
            + ")");
    result.headline().ifPresent(out::println);
    result.notes().forEach(note -> out.println("note: " + note));
    out.flush();
    return 0;
  }
}
