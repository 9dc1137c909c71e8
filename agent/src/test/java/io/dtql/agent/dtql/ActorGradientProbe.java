package io.dtql.agent.dtql;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.dtql.agent.nn.GaussianActor;
import io.dtql.agent.nn.ParameterStore;
import io.dtql.agent.nn.ScoreNetwork;
import io.dtql.agent.nn.TwinQ;
import io.dtql.agent.runtime.IntraOpThreads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Debug tool, not a test: loads a state dumped by {@link ReferenceTraceExport} (step_K/state) into
 * the project's networks (no flat groups) and writes the gradient of each part of the actor loss
 * with respect to the actor's parameters, flattened in parameter order, for comparison with an
 * independent implementation at the same parameters, batch and noise.
 *
 * <p>Usage: {@code ActorGradientProbe TRACE K OUT}
 */
public final class ActorGradientProbe {
  private ActorGradientProbe() {}

  record Nets(GaussianActor actor, ScoreNetwork bc, TwinQ critic) {}

  public static void main(String[] args) throws IOException {
    IntraOpThreads.configure();
    Path step = Path.of(args[0]).resolve("step_" + args[1]);
    Path out = Path.of(args[2]);
    Files.createDirectories(out);
    Map<String, TensorData> state = new HashMap<>();
    try (var files = Files.list(step.resolve("state"))) {
      for (Path f : files.toList()) {
        String n = f.getFileName().toString();
        if (n.endsWith(".npy")) {
          state.put(n.substring(0, n.length() - 4).replace('.', '/'), readNpy(f));
        }
      }
    }
    TensorData obs = readNpy(step.resolve("batch_obs.npy"));
    TensorData piEps = readNpy(step.resolve("noise_pi_eps.npy"));
    TensorData trEps = readNpy(step.resolve("noise_tr_eps.npy"));
    double[] trSigma = readNpy64(step.resolve("noise_tr_sigma.npy"));
    int b = (int) obs.shape()[0];
    int act = 3;
    EdmDiffusion.NoiseDraw draw = new EdmDiffusion.NoiseDraw(b, act, trEps.data(), trSigma);
    double alpha = 5.0;

    Map<String, Function<Object[], NDArray>> parts = new java.util.LinkedHashMap<>();
    // each part: (nets, sm, states, heads, pi) -> scalar
    parts.put("pi_sum", a -> ((NDArray) a[4]).sum());
    parts.put("mean_sum", a -> ((GaussianActor.Heads) a[3]).mean().sum());
    parts.put(
        "tr",
        a ->
            EdmDiffusion.trustRegionLoss(
                ((Nets) a[0]).bc(), (NDArray) a[4], (NDArray) a[2], draw, 1f, (NDManager) a[1]));
    parts.put(
        "negq",
        a ->
            ((Nets) a[0])
                .critic()
                .minFrozen(((NDArray) a[2]).concat((NDArray) a[4], 1))
                .mean()
                .neg());
    parts.put(
        "objective",
        a -> {
          NDManager sm = (NDManager) a[1];
          NDArray tr =
              EdmDiffusion.trustRegionLoss(
                  ((Nets) a[0]).bc(), (NDArray) a[4], (NDArray) a[2], draw, 1f, sm);
          NDArray q = ((Nets) a[0]).critic().minFrozen(((NDArray) a[2]).concat((NDArray) a[4], 1));
          return DtqlLosses.actorObjective(tr, q, null, alpha, 0, sm);
        });
    leafGradients(state, obs, piEps, draw, out);
    for (Map.Entry<String, Function<Object[], NDArray>> part : parts.entrySet()) {
      try (NDManager root = NDManager.newBaseManager();
          ParameterStore store = new ParameterStore(root, state)) {
        SplittableRandom unused = new SplittableRandom(0);
        TwinQ critic = TwinQ.create(store, "critic", 14, 256, unused);
        ScoreNetwork bc = ScoreNetwork.create(store, "bc", 11, act, 256, unused);
        GaussianActor actor = GaussianActor.create(store, "actor", 11, act, 256, 1f, unused);
        Nets nets = new Nets(actor, bc, critic);
        float value;
        try (NDManager sm = root.newSubManager()) {
          NDArray states = sm.create(obs.data(), new Shape(b, 11));
          NDArray eps = sm.create(piEps.data(), new Shape(b, act));
          NDArray loss;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            GaussianActor.Heads heads = actor.heads(states);
            NDArray pi = actor.sample(heads, eps);
            loss = part.getValue().apply(new Object[] {nets, sm, states, heads, pi});
            gc.backward(loss);
          }
          value = loss.getFloat();
        }
        List<Float> grads = new ArrayList<>();
        int n = 0;
        for (NDArray p : actor.parameters()) {
          n += (int) p.size();
        }
        float[] flat = new float[n];
        int off = 0;
        for (NDArray p : actor.parameters()) {
          float[] g = p.getGradient().toFloatArray();
          System.arraycopy(g, 0, flat, off, g.length);
          off += g.length;
        }
        ReferenceTraceExport.writeNpy(out.resolve(part.getKey() + ".npy"), flat, new long[] {n});
        System.out.println(part.getKey() + " value " + value + " grads " + grads.size());
      }
    }
  }

  /** d TR / d x0 at x0 = pi's values (a leaf), with the network frozen or not. */
  static void leafGradients(
      Map<String, TensorData> state,
      TensorData obs,
      TensorData piEps,
      EdmDiffusion.NoiseDraw draw,
      Path out)
      throws IOException {
    int b = (int) obs.shape()[0];
    int act = 3;
    for (boolean frozen : new boolean[] {true}) {
      try (NDManager root = NDManager.newBaseManager();
          ParameterStore store = new ParameterStore(root, state)) {
        SplittableRandom unused = new SplittableRandom(0);
        ScoreNetwork bc = ScoreNetwork.create(store, "bc", 11, act, 256, unused);
        GaussianActor actor = GaussianActor.create(store, "actor", 11, act, 256, 1f, unused);
        try (NDManager sm = root.newSubManager()) {
          NDArray states = sm.create(obs.data(), new Shape(b, 11));
          NDArray eps = sm.create(piEps.data(), new Shape(b, act));
          float[] piValues = actor.sample(actor.heads(states), eps).toFloatArray();
          NDArray x0 = sm.create(piValues, new Shape(b, act));
          x0.setRequiresGradient(true);
          NDArray loss;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            loss =
                frozen
                    ? EdmDiffusion.trustRegionLoss(bc, x0, states, draw, 1f, sm)
                    : EdmDiffusion.behaviourCloningLoss(bc, x0, states, draw, 1f, sm);
            gc.backward(loss);
          }
          String name = "dx0_" + (frozen ? "frozen" : "trainable");
          ReferenceTraceExport.writeNpy(
              out.resolve(name + ".npy"), x0.getGradient().toFloatArray(), new long[] {b, act});
          ReferenceTraceExport.writeNpy(out.resolve("x0.npy"), piValues, new long[] {b, act});
          System.out.println(name + " value " + loss.getFloat());
        }
      }
    }
  }

  static TensorData readNpy(Path f) throws IOException {
    ByteBuffer buf = header(f);
    String h = descr(f);
    if (!h.contains("<f4")) {
      throw new IllegalArgumentException(f + " is not float32");
    }
    float[] data = new float[buf.remaining() / 4];
    buf.asFloatBuffer().get(data);
    return new TensorData(shape(f), data);
  }

  static double[] readNpy64(Path f) throws IOException {
    ByteBuffer buf = header(f);
    double[] data = new double[buf.remaining() / 8];
    buf.asDoubleBuffer().get(data);
    return data;
  }

  private static String descr(Path f) throws IOException {
    byte[] all = Files.readAllBytes(f);
    int len = (all[8] & 0xff) | ((all[9] & 0xff) << 8);
    return new String(all, 10, len, java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static long[] shape(Path f) throws IOException {
    String h = descr(f);
    String s = h.substring(h.indexOf("'shape': (") + 10);
    s = s.substring(0, s.indexOf(')'));
    List<Long> dims = new ArrayList<>();
    for (String p : s.split(",")) {
      if (!p.isBlank()) {
        dims.add(Long.parseLong(p.strip()));
      }
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  private static ByteBuffer header(Path f) throws IOException {
    byte[] all = Files.readAllBytes(f);
    int len = (all[8] & 0xff) | ((all[9] & 0xff) << 8);
    return ByteBuffer.wrap(all, 10 + len, all.length - 10 - len)
        .slice()
        .order(ByteOrder.LITTLE_ENDIAN);
  }
}
