package io.dtql.evaluator.collect;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** D4RL's locomotion dataset kinds and their default sizes. */
public enum DatasetKind {
  RANDOM(1_000_000),
  MEDIUM(1_000_000),
  /** The medium run's replay buffer; its size is the run's (the catalog's schedule). */
  MEDIUM_REPLAY(0),
  EXPERT(1_000_000),
  /** Medium then expert rows, half each. */
  MEDIUM_EXPERT(2_000_000);

  private final int defaultRows;

  DatasetKind(int defaultRows) {
    this.defaultRows = defaultRows;
  }

  /** D4RL's size, or 0 where the size comes from the behaviour schedule. */
  public int defaultRows() {
    return defaultRows;
  }

  /** The catalog entries this kind is made from (none for random). */
  public List<DatasetKind> behaviours() {
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
