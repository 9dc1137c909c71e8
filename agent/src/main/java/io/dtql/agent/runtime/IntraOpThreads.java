package io.dtql.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many intra-op threads PyTorch gets, decided once before the engine starts.
 *
 * <p>Why: PyTorch's OpenMP threads wait for each other at the end of every op. When another process
 * keeps a core busy (the local simulator server, a second run, a build), a thread that lost its
 * core holds up the others and training fell from about 20 to 0.2-9 steps/s here, while one thread
 * kept about the single-thread rate. So by default every core that was busy with other work during
 * a short sample at start-up is left to that work: on a 2-core machine with one busy neighbour the
 * engine gets 1 thread, on a quiet one 2. An explicit {@code -Dai.djl.pytorch.num_threads=N} (or
 * {@code DTQL_THREADS=N}) always wins.
 *
 * @param threads intra-op threads chosen
 * @param cores processors the JVM may use
 * @param busyCores cores other processes kept busy during the sample (NaN when not measured)
 * @param reason one phrase for the log line
 */
public record IntraOpThreads(int threads, int cores, double busyCores, String reason) {
  public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
  public static final String INTEROP_PROPERTY = "ai.djl.pytorch.num_interop_threads";
  public static final String THREADS_ENV = "DTQL_THREADS";
  private static final long SAMPLE_MILLIS = 200;
  private static final Logger LOG = LoggerFactory.getLogger(IntraOpThreads.class);

  /**
   * Decides, sets DJL's thread properties (inter-op to 1: DTQL runs one op at a time) and logs the
   * decision. Call before anything touches the engine; later calls change nothing.
   */
  public static IntraOpThreads configure() {
    int cores = Runtime.getRuntime().availableProcessors();
    IntraOpThreads decision =
        decide(
            System.getProperty(THREADS_PROPERTY),
            System.getenv(THREADS_ENV),
            cores,
            () -> busyCoresOfOthers(cores));
    System.setProperty(THREADS_PROPERTY, Integer.toString(decision.threads()));
    if (System.getProperty(INTEROP_PROPERTY) == null) {
      System.setProperty(INTEROP_PROPERTY, "1");
    }
    LOG.info(
        "PyTorch intra-op threads: {} of {} cores ({})",
        decision.threads(),
        cores,
        decision.reason());
    return decision;
  }

  /** Measures how busy other processes keep the machine (cores, 0..cores). */
  @FunctionalInterface
  public interface LoadSample {
    double busyCores();
  }

  /** The decision from an explicit setting, else from the measured load of other processes. */
  static IntraOpThreads decide(String property, String env, int cores, LoadSample load) {
    if (isSet(property)) {
      return explicit(property, "-D" + THREADS_PROPERTY, cores);
    }
    if (isSet(env)) {
      return explicit(env, THREADS_ENV, cores);
    }
    double busy = load.busyCores();
    if (Double.isNaN(busy)) {
      return new IntraOpThreads(cores, cores, busy, "load not measurable here; all cores");
    }
    int free = cores - (int) Math.round(busy);
    int threads = Math.max(1, Math.min(cores, free));
    return new IntraOpThreads(
        threads,
        cores,
        busy,
        String.format(
            "other processes kept %.1f cores busy at start-up; set %s=N to choose",
            busy, THREADS_ENV));
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }

  private static IntraOpThreads explicit(String value, String source, int cores) {
    return new IntraOpThreads(
        parsePositive(value.trim(), source), cores, Double.NaN, "set by " + source);
  }

  private static int parsePositive(String text, String source) {
    try {
      int n = Integer.parseInt(text);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(source + " must be a positive integer, got '" + text + "'");
  }

  /**
   * Cores kept busy by other processes over a short window: machine-wide busy time from /proc/stat
   * minus this process's own CPU time (its start-up work is not a neighbour). NaN off Linux.
   */
  static double busyCoresOfOthers(int cores) {
    try {
      long[] before = machineTicks();
      long ownBefore = ownTicks();
      Thread.sleep(SAMPLE_MILLIS);
      long[] after = machineTicks();
      long ownAfter = ownTicks();
      long total = after[0] - before[0];
      long busy = after[1] - before[1] - (ownAfter - ownBefore);
      if (total <= 0) {
        return Double.NaN;
      }
      return Math.max(0, Math.min(cores, cores * (double) busy / total));
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  /** {total, busy} clock ticks of all CPUs since boot (busy = total - idle - iowait). */
  private static long[] machineTicks() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
    String[] f = lines.get(0).trim().split("\\s+"); // cpu user nice system idle iowait irq ...
    long total = 0;
    for (int i = 1; i < Math.min(f.length, 9); i++) { // up to steal; guest is inside user
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    return new long[] {total, total - idle};
  }

  /** This process's user + system clock ticks (fields 14 and 15 of /proc/self/stat). */
  private static long ownTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 3.. after the command name
  }
}
