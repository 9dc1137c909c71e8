package io.dtql.agent.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a command line asks of a resumed run. Every optional is empty when its flag was not given; a
 * resumed run then takes the value from its own {@code config.json}.
 *
 * @param target run directory, checkpoints directory or checkpoint file to continue from
 * @param dataset where the run's dataset is now, if it moved (it must still be the same data)
 * @param preset {@code --preset}: allowed only if it names the run's preset
 * @param steps {@code --steps}: equal to the run's train-steps, or larger to extend the run
 * @param seed {@code --seed}: allowed only if it is the run's seed
 * @param sets {@code --set} overrides: allowed only if each equals the run's value
 * @param force accept extending a run whose learning rates decay (see {@link ResumePlanner})
 */
public record ResumeRequest(
    Path target,
    Optional<Path> dataset,
    Optional<String> preset,
    OptionalLong steps,
    OptionalLong seed,
    Map<String, String> sets,
    boolean force) {
  public ResumeRequest {
    Objects.requireNonNull(target, "target");
    sets = Map.copyOf(sets);
  }
}
