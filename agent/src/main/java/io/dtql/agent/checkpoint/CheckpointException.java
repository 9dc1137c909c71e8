package io.dtql.agent.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that cannot be used: damaged, of another format, or of another run. */
public final class CheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(Path file, String problem) {
    super("checkpoint " + file + ": " + problem);
  }
}
