package io.dtql.envbridge.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to start a local environment server.
 *
 * @param pythonOrNull the interpreter; null means {@code
 *     <projectRoot>/python-env-server/.venv/bin/python}
 * @param serverArgs extra arguments after {@code --host 127.0.0.1 --port 0}, e.g. {@code
 *     --max-sessions 4}
 * @param startTimeout how long to wait for the LISTENING line and then for health SERVING
 */
public record LaunchOptions(Path pythonOrNull, List<String> serverArgs, Duration startTimeout) {

  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

  public LaunchOptions {
    serverArgs = serverArgs == null ? List.of() : List.copyOf(serverArgs);
    Objects.requireNonNull(startTimeout, "startTimeout");
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
    }
  }

  /** The project's virtual environment, no extra arguments, 60 s start timeout. */
  public static LaunchOptions defaults() {
    return new LaunchOptions(null, List.of(), DEFAULT_START_TIMEOUT);
  }

  public LaunchOptions withPython(Path python) {
    return new LaunchOptions(python, serverArgs, startTimeout);
  }

  public LaunchOptions withServerArgs(String... args) {
    return new LaunchOptions(pythonOrNull, List.of(args), startTimeout);
  }

  public LaunchOptions withStartTimeout(Duration timeout) {
    return new LaunchOptions(pythonOrNull, serverArgs, timeout);
  }
}
