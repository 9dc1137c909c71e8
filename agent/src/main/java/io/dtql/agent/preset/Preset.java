package io.dtql.agent.preset;

import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import java.util.HashMap;
import java.util.Map;

/**
 * One dataset's settings: the DTQL hyperparameters that differ from {@link
 * DtqlConfig#locomotionDefaults()} plus what the evaluator needs to know about the task (D4RL score
 * references live in the evaluator's D4rlScores, one table for every task).
 *
 * @param name preset name, e.g. {@code hopper-medium}
 * @param task environment family: hopper, halfcheetah, walker2d or antmaze
 * @param d4rlDataset the D4RL dataset id the settings were published for
 * @param shape observation and action sizes and the action bound
 * @param maxEpisodeSteps time limit of an evaluation episode
 * @param configOverrides kebab-case DtqlConfig fields and their values
 */
public record Preset(
    String name,
    String task,
    String d4rlDataset,
    ProblemShape shape,
    int maxEpisodeSteps,
    Map<String, String> configOverrides) {
  public Preset {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("preset name must be non-empty, got '" + name + "'");
    }
    if (task == null || task.isBlank()) {
      throw new IllegalArgumentException("preset " + name + ": task must be non-empty");
    }
    if (maxEpisodeSteps <= 0) {
      throw new IllegalArgumentException(
          "preset " + name + ": max_episode_steps must be > 0, got " + maxEpisodeSteps);
    }
    configOverrides = Map.copyOf(configOverrides);
  }

  /** The preset's full configuration, before any command-line override. */
  public DtqlConfig config() {
    return ConfigFields.withOverrides(DtqlConfig.locomotionDefaults(), withName(configOverrides));
  }

  /** The preset's configuration with command-line overrides applied on top. */
  public DtqlConfig config(Map<String, String> overrides) {
    return ConfigFields.withOverrides(config(), overrides);
  }

  private Map<String, String> withName(Map<String, String> overrides) {
    Map<String, String> all = new HashMap<>(overrides);
    all.put("preset", name);
    return all;
  }
}
