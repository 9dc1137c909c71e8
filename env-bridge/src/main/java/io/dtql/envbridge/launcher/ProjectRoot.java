package io.dtql.envbridge.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project root (the directory holding {@code python-env-server/}): system property {@code
 * dtql.home}, else environment variable {@code DTQL_HOME}, else the nearest ancestor of the working
 * directory that contains {@code python-env-server/}.
 */
public final class ProjectRoot {
  static final String MARKER = "python-env-server";

  private ProjectRoot() {}

  public static Path locate() {
    return locate(
        System.getProperty("dtql.home"), System.getenv("DTQL_HOME"), Path.of("").toAbsolutePath());
  }

  static Path locate(String property, String environment, Path workingDir) {
    if (property != null && !property.isBlank()) {
      return requireMarker(Path.of(property), "system property dtql.home");
    }
    if (environment != null && !environment.isBlank()) {
      return requireMarker(Path.of(environment), "environment variable DTQL_HOME");
    }
    for (Path dir = workingDir; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(MARKER))) {
        return dir;
      }
    }
    throw new EnvServerStartException(
        "cannot find the project root: neither system property dtql.home nor environment "
            + "variable DTQL_HOME is set, and no directory from "
            + workingDir
            + " upwards contains "
            + MARKER
            + "/");
  }

  private static Path requireMarker(Path root, String source) {
    if (!Files.isDirectory(root.resolve(MARKER))) {
      throw new EnvServerStartException(
          source + " points to " + root + ", which has no " + MARKER + "/ directory");
    }
    return root;
  }
}
