package io.dtql.evaluator.collect;

import io.dtql.evaluator.collect.antmaze.AntMazeRecipe;
import io.dtql.evaluator.collect.antmaze.AntMazeRecipe.Goals;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * D4RL's dataset kinds and their default sizes: the locomotion kinds, made per task from its
 * catalogued behaviour policies, and the six antmaze datasets, each naming its maze.
 */
public enum DatasetKind {
  RANDOM(1_000_000),
  MEDIUM(1_000_000),
  /** The medium run's replay buffer; its size is the run's (the catalog's schedule). */
  MEDIUM_REPLAY(0),
  EXPERT(1_000_000),
  /** Medium then expert rows, half each. */
  MEDIUM_EXPERT(2_000_000),
  /** From the start cell to umaze's goal and around it. */
  ANTMAZE_UMAZE(new AntMazeRecipe("umaze", false, Goals.EVALUATION_GOAL)),
  ANTMAZE_UMAZE_DIVERSE(new AntMazeRecipe("umaze", true, Goals.ANY_FREE_CELL)),
  ANTMAZE_MEDIUM_PLAY(new AntMazeRecipe("medium", true, Goals.PLAY_CELLS)),
  ANTMAZE_MEDIUM_DIVERSE(new AntMazeRecipe("medium", true, Goals.ANY_FREE_CELL)),
  ANTMAZE_LARGE_PLAY(new AntMazeRecipe("large", true, Goals.PLAY_CELLS)),
  ANTMAZE_LARGE_DIVERSE(new AntMazeRecipe("large", true, Goals.ANY_FREE_CELL));

  /** Where the antmaze kinds find their walking controller in the behaviour catalog. */
  public static final String CONTROLLER_TASK = "ant-goal";

  public static final String CONTROLLER_KIND = "controller";

  private final int defaultRows;
  private final AntMazeRecipe antmaze;

  DatasetKind(int defaultRows) {
    this.defaultRows = defaultRows;
    this.antmaze = null;
  }

  DatasetKind(AntMazeRecipe antmaze) {
    this.defaultRows = 1_000_000;
    this.antmaze = antmaze;
  }

  /** How an antmaze dataset is recorded; empty for the locomotion kinds. */
  public Optional<AntMazeRecipe> antmaze() {
    return Optional.ofNullable(antmaze);
  }

  /** D4RL's size, or 0 where the size comes from the behaviour schedule. */
  public int defaultRows() {
    return defaultRows;
  }

  /** The task's catalog entries this kind is made from (none for random and antmaze). */
  public List<DatasetKind> behaviours() {
    if (antmaze != null) {
      return List.of();
    }
    return switch (this) {
      case RANDOM -> List.of();
      case MEDIUM_EXPERT -> List.of(MEDIUM, EXPERT);
      default -> List.of(this);
    };
  }

  /** The kebab-case name used on the command line and in files ("medium-replay"). */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static DatasetKind parse(String id) {
    for (DatasetKind k : values()) {
      if (k.id().equals(id)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown dataset kind '"
            + id
            + "'; kinds: "
            + String.join(", ", Arrays.stream(values()).map(DatasetKind::id).toList()));
  }
}
