package io.dtql.agent.train;

/**
 * Whether and how a run evaluates its policy while training. The agent library only records these
 * (in {@code config.json}, with the other output settings, so a resumed run keeps its schedule);
 * the caller that owns a simulator does the evaluating, through a {@link PeriodicCallback}.
 *
 * @param every evaluate at every multiple of this step and at the last step; 0 = never
 * @param episodes episodes per evaluation
 */
public record EvaluationSettings(long every, int episodes) {
  public static final int DEFAULT_EPISODES = 10;

  /** No evaluation during training. */
  public static final EvaluationSettings OFF = new EvaluationSettings(0, DEFAULT_EPISODES);

  public EvaluationSettings {
    if (every < 0) {
      throw new IllegalArgumentException("eval-every must be >= 1, got " + every);
    }
    if (episodes <= 0) {
      throw new IllegalArgumentException("eval-episodes must be >= 1, got " + episodes);
    }
  }

  public boolean enabled() {
    return every > 0;
  }
}
