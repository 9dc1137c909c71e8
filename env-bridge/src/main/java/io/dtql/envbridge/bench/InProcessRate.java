package io.dtql.envbridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-process side of the comparison: runs the Python server's own benchmark ({@code python -m
 * dtql_envserver.bench}, the server's VectorEnv stepped in a plain loop, no gRPC) for one size and
 * returns its env steps per second. A fresh process per measurement, so it can run right before the
 * gRPC measurement it is compared with.
 */
final class InProcessRate {
  private static final Pattern RATE = Pattern.compile("\"env_steps_per_s\":\\s*([0-9.eE+-]+)");

  private final Path python;
  private final String task;
  private final double seconds;
  private final String cpusOrNull;

  /**
   * @param cpusOrNull a CPU list to pin the Python process to (as the server), or null
   */
  InProcessRate(Path python, String task, double seconds, String cpusOrNull) {
    this.python = python;
    this.task = task;
    this.seconds = seconds;
    this.cpusOrNull = cpusOrNull;
  }

  double measure(int numEnvs) {
    List<String> command =
        new ArrayList<>(
            List.of(
                python.toString(),
                "-m",
                "dtql_envserver.bench",
                "--json",
                "--task",
                task,
                "--seconds",
                Double.toString(seconds),
                "--rounds",
                "2",
                "--num-envs",
                Integer.toString(numEnvs)));
    if (cpusOrNull != null) {
      command.addAll(List.of("--cpu-affinity", cpusOrNull));
    }
    try {
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "in-process benchmark failed: " + String.join(" ", command) + "\n" + output);
      }
      Matcher m = RATE.matcher(output);
      if (!m.find()) {
        throw new IllegalStateException("no env_steps_per_s in the bench output:\n" + output);
      }
      return Double.parseDouble(m.group(1));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running the in-process benchmark", e);
    }
  }
}
