package io.dtql.agent.runtime;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The code this process runs: the git commit it was built from, read from {@code
 * io/dtql/agent/build.properties}, which the build writes into the jar (agent/pom.xml asks git). A
 * jar copied elsewhere still knows its commit. A build without git or outside a repository (or
 * classes compiled by an IDE) says {@value #UNKNOWN}.
 *
 * @param gitCommit full commit id, or {@value #UNKNOWN}
 * @param gitCommitTime the commit's committer date (ISO 8601), or {@value #UNKNOWN}
 * @param gitDirty "true" when tracked files differed from the commit at build time, "false", or
 *     {@value #UNKNOWN}
 * @param version the Maven project version
 */
public record BuildInfo(String gitCommit, String gitCommitTime, String gitDirty, String version) {
  public static final String UNKNOWN = "unknown";
  static final String RESOURCE = "/io/dtql/agent/build.properties";

  private static final BuildInfo CURRENT = load();

  public BuildInfo {
    gitCommit = known(gitCommit);
    gitCommitTime = known(gitCommitTime);
    gitDirty = known(gitDirty);
    version = known(version);
  }

  /** The build of the code running in this process. */
  public static BuildInfo current() {
    return CURRENT;
  }

  /** Reads the properties the build writes; a missing or unfilled value becomes unknown. */
  static BuildInfo of(Properties properties) {
    return new BuildInfo(
        properties.getProperty("git.commit"),
        properties.getProperty("git.commit.time"),
        properties.getProperty("git.dirty"),
        properties.getProperty("version"));
  }

  /** True when the commit is known. */
  public boolean commitKnown() {
    return !gitCommit.equals(UNKNOWN);
  }

  /**
   * One line for people: the commit, and a warning when the build had uncommitted changes, e.g.
   * {@code f6820fa8799f... (committed 2026-12-01T21:34:42+00:00; built with uncommitted changes)}.
   */
  public String describe() {
    if (!commitKnown()) {
      return UNKNOWN + " (built without git information)";
    }
    StringBuilder line = new StringBuilder(gitCommit);
    line.append(" (committed ").append(gitCommitTime);
    switch (gitDirty) {
      case "true" -> line.append("; built with uncommitted changes to tracked files");
      case "false" -> {}
      default -> line.append("; uncommitted changes unknown");
    }
    return line.append(')').toString();
  }

  /** The form a run's {@code config.json} records. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("git_commit", gitCommit);
    json.addProperty("git_commit_time", gitCommitTime);
    json.addProperty("git_dirty", gitDirty);
    json.addProperty("version", version);
    return json;
  }

  private static BuildInfo load() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
          properties.load(reader);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + " from the classpath", e);
    }
    return of(properties);
  }

  private static String known(String value) {
    return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.strip();
  }
}
