package io.dtql.agent.dtql;

import io.dtql.agent.data.DatasetLoader;
import io.dtql.agent.data.ExpectedShape;
import io.dtql.agent.data.Transitions;
import io.dtql.agent.preset.PresetRegistry;
import io.dtql.agent.runtime.IntraOpThreads;
import io.dtql.agent.train.BatchSampler;
import io.dtql.agent.train.SplitMix64;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Debug tool, not a test: trains a DtqlAgent on a dataset the way {@code dtql train} does (preset,
 * overrides, BatchSampler seeded from the run seed) and writes, for an independent implementation
 * to replay, the exact inputs and outputs of chosen updates:
 *
 * <ul>
 *   <li>{@code step_K/state/*.npy} and {@code step_K/state_after/*.npy}: every tensor of {@link
 *       DtqlAgent#exportState} before and after update K, for K in STEP_LIST, plus {@code
 *       counters.json};
 *   <li>{@code step_K/batch_*.npy}: the batch of update K (every K);
 *   <li>{@code step_K/noise_*.npy}: the noise update K draws (every K), recorded by replaying the
 *       agent's per-step generator in the order {@link DtqlAgent#update} consumes it (BC sigma
 *       uniforms and sigmas, BC eps; then, once the actor trains, the policy's eps, TR sigmas, TR
 *       eps);
 *   <li>{@code metrics.jsonl}: every step's metrics.
 * </ul>
 *
 * <p>Usage: {@code ReferenceTraceExport DATASET OUT STEPS SEED STEP_LIST [key=value overrides]}
 * where STEP_LIST is a comma list of update indices whose states to dump (a-b ranges allowed).
 */
public final class ReferenceTraceExport {
  private static final long NOISE_STREAM = 0x5DEECE66DL; // DtqlAgent.NOISE_STREAM

  private ReferenceTraceExport() {}

  public static void main(String[] args) throws IOException {
    IntraOpThreads.configure();
    Path dataset = Path.of(args[0]);
    Path out = Path.of(args[1]);
    long steps = Long.parseLong(args[2]);
    long seed = Long.parseLong(args[3]);
    TreeSet<Long> dump = parseSteps(args[4]);
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("seed", Long.toString(seed));
    for (int i = 5; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      overrides.put(kv[0], kv[1]);
    }
    DtqlConfig config = PresetRegistry.bundled().config("hopper-medium", overrides);
    ProblemShape shape = new ProblemShape(11, 3, 1f);
    Transitions data =
        DatasetLoader.load(dataset, new ExpectedShape(OptionalInt.of(11), OptionalInt.of(3)));
    BatchSampler sampler =
        new BatchSampler(data, config.batchSize(), SplitMix64.forSeed(config.seed()));
    Files.createDirectories(out);
    Files.writeString(out.resolve("config.txt"), config.toString());
    try (DtqlAgent agent = DtqlAgent.create(config, shape);
        Writer metrics = Files.newBufferedWriter(out.resolve("metrics.jsonl"))) {
      for (long k = 0; k < steps; k++) {
        Batch batch = sampler.next();
        Path dir = out.resolve("step_" + k);
        writeBatch(dir, batch);
        writeNoise(dir, config, k, batch.size(), shape.actDim());
        if (dump.contains(k)) {
          writeState(dir.resolve("state"), agent.exportState());
        }
        StepMetrics m = agent.update(batch);
        if (dump.contains(k)) {
          writeState(dir.resolve("state_after"), agent.exportState());
        }
        StringBuilder line = new StringBuilder("{\"step\":" + m.step());
        for (Map.Entry<String, Double> e : m.values().entrySet()) {
          line.append(",\"").append(e.getKey()).append("\":").append(e.getValue());
        }
        metrics.write(line.append("}\n").toString());
        if ((k + 1) % 100 == 0) {
          System.err.println("step " + (k + 1) + " " + m.values());
        }
      }
    }
  }

  private static TreeSet<Long> parseSteps(String list) {
    TreeSet<Long> s = new TreeSet<>();
    for (String part : list.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      if (part.contains("-")) {
        String[] ab = part.split("-");
        for (long k = Long.parseLong(ab[0]); k <= Long.parseLong(ab[1]); k++) {
          s.add(k);
        }
      } else {
        s.add(Long.parseLong(part));
      }
    }
    return s;
  }

  private static void writeNoise(Path dir, DtqlConfig config, long step, int b, int act)
      throws IOException {
    SplittableRandom noise =
        new SplittableRandom(RandomStreams.mix(config.seed() ^ NOISE_STREAM, step));
    EdmDiffusion.NoiseDraw bc = EdmDiffusion.draw(noise, b, act);
    writeNpy(dir.resolve("noise_bc_sigma.npy"), bc.sigma(), new long[] {b});
    writeNpy(dir.resolve("noise_bc_eps.npy"), bc.eps(), new long[] {b, act});
    if (step >= config.pretrainSteps()) {
      float[] eps = RandomStreams.gaussian(noise, b * act);
      EdmDiffusion.NoiseDraw tr = EdmDiffusion.draw(noise, b, act);
      writeNpy(dir.resolve("noise_pi_eps.npy"), eps, new long[] {b, act});
      writeNpy(dir.resolve("noise_tr_sigma.npy"), tr.sigma(), new long[] {b});
      writeNpy(dir.resolve("noise_tr_eps.npy"), tr.eps(), new long[] {b, act});
    }
  }

  private static void writeBatch(Path dir, Batch batch) throws IOException {
    Files.createDirectories(dir);
    int b = batch.size();
    writeNpy(dir.resolve("batch_obs.npy"), batch.observations(), new long[] {b, batch.obsDim()});
    writeNpy(dir.resolve("batch_act.npy"), batch.actions(), new long[] {b, batch.actDim()});
    writeNpy(dir.resolve("batch_rew.npy"), batch.rewards(), new long[] {b});
    writeNpy(
        dir.resolve("batch_next_obs.npy"),
        batch.nextObservations(),
        new long[] {b, batch.obsDim()});
    writeNpy(dir.resolve("batch_done.npy"), batch.dones(), new long[] {b});
  }

  private static void writeState(Path dir, AgentState state) throws IOException {
    Files.createDirectories(dir);
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, TensorData> e : state.tensors().entrySet()) {
      String file = e.getKey().replace('/', '.') + ".npy";
      names.add(e.getKey());
      writeNpy(dir.resolve(file), e.getValue().data(), e.getValue().shape());
    }
    StringBuilder json = new StringBuilder("{\"step\":" + state.step() + ",\"counters\":{");
    String sep = "";
    for (Map.Entry<String, Long> c : state.counters().entrySet()) {
      json.append(sep).append('"').append(c.getKey()).append("\":").append(c.getValue());
      sep = ",";
    }
    json.append("}}\n");
    Files.writeString(dir.resolve("counters.json"), json.toString());
  }

  static void writeNpy(Path file, float[] data, long[] shape) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : data) {
      buf.putFloat(f);
    }
    writeNpyRaw(file, "<f4", shape, buf.array());
  }

  static void writeNpy(Path file, double[] data, long[] shape) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double d : data) {
      buf.putDouble(d);
    }
    writeNpyRaw(file, "<f8", shape, buf.array());
  }

  private static void writeNpyRaw(Path file, String dtype, long[] shape, byte[] body)
      throws IOException {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText =
        shape.length == 1
            ? "(" + shape[0] + ",)"
            : "(" + dims.substring(0, dims.length() - 2) + ")";
    if (shape.length == 0) {
      shapeText = "()";
    }
    String header =
        "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
    int total = 10 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    header = header + " ".repeat(pad) + "\n";
    try (OutputStream os = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(os)) {
      out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
      byte[] h = header.getBytes(StandardCharsets.US_ASCII);
      out.write(h.length & 0xff);
      out.write((h.length >> 8) & 0xff);
      out.write(h);
      out.write(body);
    }
    if (Arrays.stream(shape).reduce(1, (a, c) -> a * c) * (dtype.equals("<f8") ? 8 : 4)
        != body.length) {
      throw new IllegalStateException("shape does not match data for " + file);
    }
  }
}
