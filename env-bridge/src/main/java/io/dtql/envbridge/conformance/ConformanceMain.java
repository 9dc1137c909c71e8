package io.dtql.envbridge.conformance;

import io.dtql.envbridge.grpc.ClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs the conformance suite against a server: {@code ConformanceMain --target host:port [--task
 * hopper] [--deadline-seconds 30] [--tls-ca ca.pem]}. Prints one line per check and then {@code N
 * passed, M failed}; exits 0 iff every check passed (2 on a usage error).
 */
public final class ConformanceMain {

  private ConformanceMain() {}

  public static void main(String[] args) {
    String target = null;
    String task = "hopper";
    double deadlineSeconds = ClientOptions.DEFAULT_CALL_DEADLINE.toSeconds();
    Path tlsCa = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--target" -> target = value(args, ++i, "--target");
          case "--task" -> task = value(args, ++i, "--task");
          case "--tls-ca" -> tlsCa = Path.of(value(args, ++i, "--tls-ca"));
          case "--deadline-seconds" ->
              deadlineSeconds = Double.parseDouble(value(args, ++i, "--deadline-seconds"));
          default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
        }
      }
      if (target == null) {
        throw new IllegalArgumentException("--target host:port is required");
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(
          "usage: ConformanceMain --target host:port [--task hopper] [--deadline-seconds 30]"
              + " [--tls-ca ca.pem]");
      System.exit(2);
      return;
    }
    ClientOptions options =
        ClientOptions.defaults()
            .withCallDeadline(Duration.ofMillis(Math.round(deadlineSeconds * 1000)))
            .withClientName("dtql-conformance")
            .withTlsCaFile(tlsCa);
    List<CheckResult> results =
        new ConformanceSuite(target, task, options).run(r -> System.out.println(r.line()));
    long passed = results.stream().filter(CheckResult::passed).count();
    long failed = results.size() - passed;
    System.out.println(passed + " passed, " + failed + " failed");
    System.exit(failed == 0 ? 0 : 1);
  }

  private static String value(String[] args, int index, String flag) {
    if (index >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[index];
  }
}
