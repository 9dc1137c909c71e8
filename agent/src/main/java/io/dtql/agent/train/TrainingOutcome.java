package io.dtql.agent.train;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a training loop ended.
 *
 * @param finalStep the agent's step when the loop returned
 * @param stoppedEarly true when a stop request ended the loop before totalSteps
 * @param lastCheckpoint the checkpoint written last by this loop, if it wrote any
 */
public record TrainingOutcome(
    long finalStep, boolean stoppedEarly, Optional<Path> lastCheckpoint) {}
