package io.dtql.agent.sac;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.dtql.agent.checkpoint.CheckpointException;
import io.dtql.agent.checkpoint.FramedBinary;
import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.TensorData;
import io.dtql.agent.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything an online SAC run needs to continue: the task, configuration and shape, the agent's
 * state, the loop's counters (environment steps, replay rows, episodes, the batch sampler's
 * generator) and the wall-clock seconds spent so far. A {@link FramedBinary} file with magic
 * "SACCKPT1":
 *
 * <pre>
 * payload: task (string) | config JSON (string) | obsDim | actDim | maxAction | step (long)
 *          | training seconds (double) | loop counters and the agent's counters/tensors
 * </pre>
 *
 * The replay buffer itself is in the run's {@link ReplayLog}; {@code loopCounters} says how many of
 * its rows belong to this checkpoint.
 */
public record SacCheckpoint(
    String task,
    SacConfig config,
    ProblemShape shape,
    AgentState agentState,
    Map<String, Long> loopCounters,
    double trainingSeconds) {
  private static final String MAGIC = "SACCKPT1";
  private static final int VERSION = 1;
  private static final String LOOP_PREFIX = "loop/";

  public SacCheckpoint {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(agentState, "agentState");
    loopCounters = Map.copyOf(loopCounters);
    if (!(trainingSeconds >= 0) || !Double.isFinite(trainingSeconds)) {
      throw new IllegalArgumentException(
          "training-seconds must be finite and >= 0, got " + trainingSeconds);
    }
  }

  /** Gradient updates done at this checkpoint. */
  public long step() {
    return agentState.step();
  }

  /** A loop counter, or an error naming the file if it is missing. */
  public long loopCounter(String name) {
    Long value = loopCounters.get(name);
    if (value == null) {
      throw new IllegalArgumentException("SAC checkpoint has no loop counter '" + name + "'");
    }
    return value;
  }

  /** Writes atomically: a reader never sees a partial checkpoint. */
  public void write(Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      FramedBinary.writeString(out, task);
      FramedBinary.writeString(out, config.toJson().toString());
      out.writeInt(shape.obsDim());
      out.writeInt(shape.actDim());
      out.writeFloat(shape.maxAction());
      out.writeLong(agentState.step());
      out.writeDouble(trainingSeconds);
      Map<String, Long> counters = new TreeMap<>(agentState.counters());
      loopCounters.forEach((name, value) -> counters.put(LOOP_PREFIX + name, value));
      FramedBinary.writeState(out, counters, agentState.tensors());
    }
    AtomicFiles.write(file, FramedBinary.frame(MAGIC, VERSION, bytes.toByteArray()));
  }

  /** Reads and verifies a SAC checkpoint; damage or a foreign file is refused naming it. */
  public static SacCheckpoint read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file, "file does not exist");
    }
    ByteBuffer in =
        FramedBinary.unframe(bytes, file, MAGIC, "SAC checkpoint", VERSION, VERSION).bytes();
    try {
      String task = FramedBinary.readString(in);
      SacConfig config =
          SacConfig.fromJson(JsonParser.parseString(FramedBinary.readString(in)).getAsJsonObject());
      ProblemShape shape = new ProblemShape(in.getInt(), in.getInt(), in.getFloat());
      long step = in.getLong();
      double seconds = in.getDouble();
      Map<String, Long> agentCounters = new TreeMap<>();
      Map<String, Long> loop = new TreeMap<>();
      FramedBinary.readCounters(in)
          .forEach(
              (name, value) -> {
                if (name.startsWith(LOOP_PREFIX)) {
                  loop.put(name.substring(LOOP_PREFIX.length()), value);
                } else {
                  agentCounters.put(name, value);
                }
              });
      Map<String, TensorData> tensors = FramedBinary.readTensors(in);
      if (in.hasRemaining()) {
        throw new CheckpointException(file, in.remaining() + " unread bytes after the payload");
      }
      return new SacCheckpoint(
          task, config, shape, new AgentState(step, tensors, agentCounters), loop, seconds);
    } catch (BufferUnderflowException
        | IllegalArgumentException
        | JsonParseException
        | IllegalStateException e) {
      throw new CheckpointException(file, "payload is malformed: " + e.getMessage());
    }
  }
}
