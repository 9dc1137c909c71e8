package io.dtql.envbridge;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a client needs to know about one task a server hosts.
 *
 * @param infos the info tensors a session of this task may ask for (e.g. MuJoCo's qpos and qvel);
 *     empty if it has none or the server predates protocol v1.2
 */
public record TaskSpec(
    String taskId,
    String envId,
    String description,
    BoxSpec observation,
    BoxSpec action,
    int maxEpisodeSteps,
    double controlTimestep,
    String simulator,
    String simulatorVersion,
    String modelSha256,
    Map<String, String> metadata,
    List<InfoSpec> infos) {

  /** A spec without infos. */
  public TaskSpec(
      String taskId,
      String envId,
      String description,
      BoxSpec observation,
      BoxSpec action,
      int maxEpisodeSteps,
      double controlTimestep,
      String simulator,
      String simulatorVersion,
      String modelSha256,
      Map<String, String> metadata) {
    this(
        taskId,
        envId,
        description,
        observation,
        action,
        maxEpisodeSteps,
        controlTimestep,
        simulator,
        simulatorVersion,
        modelSha256,
        metadata,
        List.of());
  }

  public TaskSpec {
    if (taskId == null || taskId.isBlank()) {
      throw new IllegalArgumentException("taskId must not be blank, got '" + taskId + "'");
    }
    Objects.requireNonNull(observation, "observation");
    Objects.requireNonNull(action, "action");
    if (maxEpisodeSteps < 0) {
      throw new IllegalArgumentException("maxEpisodeSteps must be >= 0, got " + maxEpisodeSteps);
    }
    if (!(controlTimestep >= 0) || Double.isInfinite(controlTimestep)) {
      throw new IllegalArgumentException(
          "controlTimestep must be finite and >= 0, got " + controlTimestep);
    }
    envId = Objects.requireNonNullElse(envId, "");
    description = Objects.requireNonNullElse(description, "");
    simulator = Objects.requireNonNullElse(simulator, "");
    simulatorVersion = Objects.requireNonNullElse(simulatorVersion, "");
    modelSha256 = Objects.requireNonNullElse(modelSha256, "");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    infos = infos == null ? List.of() : List.copyOf(infos);
    Set<String> names = new HashSet<>();
    for (InfoSpec info : infos) {
      if (!names.add(info.name())) {
        throw new IllegalArgumentException("infos lists '" + info.name() + "' twice");
      }
    }
  }

  /** The spec of info {@code name}, if this task reports it. */
  public Optional<InfoSpec> info(String name) {
    return infos.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /** Flat size of one observation. */
  public int obsDim() {
    return observation.flatSize();
  }

  /** Flat size of one action. */
  public int actDim() {
    return action.flatSize();
  }
}
