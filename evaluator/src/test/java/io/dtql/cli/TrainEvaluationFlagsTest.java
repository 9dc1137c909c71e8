package io.dtql.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad evaluation flags of {@code dtql train} are usage errors, found before any server starts. */
class TrainEvaluationFlagsTest {
  @TempDir Path dir;

  private CliRun train(String... flags) throws Exception {
    Path dataset = Files.writeString(dir.resolve("data.hdf5"), "never read");
    String[] args = new String[flags.length + 4];
    args[0] = "train";
    args[1] = "--dataset=" + dataset;
    args[2] = "--preset=hopper-medium";
    args[3] = "--output-dir=" + dir.resolve("runs");
    System.arraycopy(flags, 0, args, 4, flags.length);
    return CliRun.of(args);
  }

  @Test
  void evalEveryZeroIsAUsageError() throws Exception {
    train("--eval-every=0").assertUsageError("train", "--eval-every must be >= 1, got 0");
  }

  @Test
  void evalEveryThatIsNoMultipleOfLogEveryIsAUsageError() throws Exception {
    train("--eval-every=15", "--log-every=10")
        .assertUsageError("train", "--eval-every 15 must be a multiple of log-every 10");
  }

  @Test
  void evalEpisodesBelowOneIsAUsageError() throws Exception {
    train("--eval-every=1000", "--eval-episodes=0")
        .assertUsageError("train", "--eval-episodes must be >= 1, got 0");
  }

  @Test
  void evaluationFlagsWithoutEvalEveryAreUsageErrors() throws Exception {
    train("--eval-episodes=2").assertUsageError("train", "--eval-episodes applies only with");
    train("--target=localhost:1").assertUsageError("train", "apply only with --eval-every");
  }
}
