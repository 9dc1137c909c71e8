package io.dtql.agent.data;

import java.util.OptionalInt;

/**
 * The observation and action widths a task expects; an empty value accepts any width. Loading a
 * hopper dataset (obs 11) for a walker2d task (obs 17) then fails at load time, not mid-training.
 */
public record ExpectedShape(OptionalInt obsDim, OptionalInt actDim) {
  public ExpectedShape {
    if (obsDim == null || actDim == null) {
      throw new IllegalArgumentException("obsDim and actDim must be OptionalInt, not null");
    }
    if (obsDim.isPresent() && obsDim.getAsInt() <= 0) {
      throw new IllegalArgumentException("obsDim must be > 0, got " + obsDim.getAsInt());
    }
    if (actDim.isPresent() && actDim.getAsInt() <= 0) {
      throw new IllegalArgumentException("actDim must be > 0, got " + actDim.getAsInt());
    }
  }

  /** Accepts any observation and action width. */
  public static ExpectedShape any() {
    return new ExpectedShape(OptionalInt.empty(), OptionalInt.empty());
  }

  /** Requires exactly these widths. */
  public static ExpectedShape of(int obsDim, int actDim) {
    return new ExpectedShape(OptionalInt.of(obsDim), OptionalInt.of(actDim));
  }
}
