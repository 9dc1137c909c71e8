package io.dtql.agent.behaviour;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.dtql.agent.checkpoint.CheckpointException;
import io.dtql.agent.checkpoint.FramedBinary;
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

/**
 * A behaviour policy on disk: the actor's weights only (no critics, no optimiser state) and a JSON
 * description, in a {@link FramedBinary} frame with magic "DTQLBPOL". The description holds at
 * least {@code task}, {@code obs_dim}, {@code act_dim} and {@code max_action}; the run that made
 * the policy adds what a manifest needs (training steps, seed, measured return, simulator).
 *
 * @param metadata the JSON description (copied)
 * @param actor tensors named {@code actor/<layer>/weight|bias}
 */
public record BehaviourPolicyFile(JsonObject metadata, Map<String, TensorData> actor) {
  private static final String MAGIC = "DTQLBPOL";
  private static final int VERSION = 1;

  public BehaviourPolicyFile {
    Objects.requireNonNull(metadata, "metadata");
    metadata = metadata.deepCopy();
    for (String key : new String[] {"task", "obs_dim", "act_dim", "max_action"}) {
      if (!metadata.has(key)) {
        throw new IllegalArgumentException("behaviour policy metadata lacks '" + key + "'");
      }
    }
    actor = Map.copyOf(actor);
  }

  /** A description with the fields every policy file needs. */
  public static JsonObject describe(String task, int obsDim, int actDim, float maxAction) {
    JsonObject json = new JsonObject();
    json.addProperty("task", task);
    json.addProperty("obs_dim", obsDim);
    json.addProperty("act_dim", actDim);
    json.addProperty("max_action", maxAction);
    return json;
  }

  /** A copy of the description (records hold it by value). */
  @Override
  public JsonObject metadata() {
    return metadata.deepCopy();
  }

  public String task() {
    return metadata.get("task").getAsString();
  }

  /** The policy as plain-Java code. */
  public BehaviourPolicy policy() {
    return new BehaviourPolicy(
        actor,
        metadata.get("obs_dim").getAsInt(),
        metadata.get("act_dim").getAsInt(),
        metadata.get("max_action").getAsFloat());
  }

  /** The bytes of the file; equal contents give equal bytes. */
  public byte[] encode() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 19);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      FramedBinary.writeString(out, metadata.toString());
      FramedBinary.writeState(out, Map.of(), actor);
    }
    return FramedBinary.frame(MAGIC, VERSION, bytes.toByteArray());
  }

  /** Writes atomically. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, encode());
  }

  /** Reads and verifies a policy file; damage or a foreign file is refused naming it. */
  public static BehaviourPolicyFile read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file, "behaviour policy file does not exist");
    }
    ByteBuffer in =
        FramedBinary.unframe(bytes, file, MAGIC, "behaviour policy file", VERSION, VERSION).bytes();
    try {
      JsonObject metadata = JsonParser.parseString(FramedBinary.readString(in)).getAsJsonObject();
      FramedBinary.readCounters(in);
      Map<String, TensorData> tensors = FramedBinary.readTensors(in);
      if (in.hasRemaining()) {
        throw new CheckpointException(file, in.remaining() + " unread bytes after the payload");
      }
      BehaviourPolicyFile policy = new BehaviourPolicyFile(metadata, tensors);
      policy.policy(); // checks the layer shapes against the description
      return policy;
    } catch (BufferUnderflowException
        | IllegalArgumentException
        | IllegalStateException
        | UnsupportedOperationException
        | JsonParseException e) {
      throw new CheckpointException(file, "not a valid behaviour policy: " + e.getMessage());
    }
  }
}
