package io.dtql.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildInfoTest {
  @Test
  void theBuildRecordsTheCommitOrSaysItIsUnknown() {
    BuildInfo info = BuildInfo.current();

    // Built by Maven from this repository (tests run on target/classes): a full commit id.
    // Elsewhere (no git, no .git) the build still succeeds and says "unknown".
    assertTrue(
        info.gitCommit().matches("[0-9a-f]{40}") || info.gitCommit().equals("unknown"),
        info.toString());
    assertTrue(info.gitDirty().matches("true|false|unknown"), info.toString());
    assertFalse(info.version().contains("${"), info.toString());
  }

  @Test
  void valuesTheBuildCouldNotFillInAreUnknown() {
    Properties unfilled = new Properties();
    unfilled.setProperty("git.commit", "${git.commit.line}");
    unfilled.setProperty("git.dirty", "");

    BuildInfo info = BuildInfo.of(unfilled);

    assertEquals(new BuildInfo("unknown", "unknown", "unknown", "unknown"), info);
    assertFalse(info.commitKnown());
    assertEquals("unknown (built without git information)", info.describe());
  }

  @Test
  void describeWarnsOfUncommittedChanges() {
    String commit = "f6820fa8799f52595f977a259d6f06f48ffba20e";

    assertEquals(
        commit + " (committed 2026-12-01T21:34:42+00:00)",
        new BuildInfo(commit, "2026-12-01T21:34:42+00:00", "false", "0.1").describe());
    assertTrue(
        new BuildInfo(commit, "2026-12-01T21:34:42+00:00", "true", "0.1")
            .describe()
            .contains("uncommitted changes"));
  }
}
