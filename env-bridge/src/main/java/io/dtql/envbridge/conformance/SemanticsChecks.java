package io.dtql.envbridge.conformance;

import static io.dtql.envbridge.conformance.ConformanceContext.expectError;
import static io.dtql.envbridge.conformance.ConformanceContext.require;

import io.dtql.envbridge.AutoReset;
import io.dtql.envbridge.ResetResult;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.VectorEnv;
import io.grpc.Status;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Seeding, auto-reset and subset addressing: the semantics env.proto promises. */
final class SemanticsChecks {

  private SemanticsChecks() {}

  static List<Check> checks() {
    return List.of(
        new Check("seeding determinism", SemanticsChecks::seeding),
        new Check("auto-reset NEXT_STEP", SemanticsChecks::autoReset),
        new Check(
            "AUTORESET_DISABLED: ended env -> FAILED_PRECONDITION", SemanticsChecks::noAutoReset),
        new Check("idle session expires -> NOT_FOUND", SemanticsChecks::leaseExpiry),
        new Check("subset step and reset with env ids", SemanticsChecks::subset),
        new Check("StepStream steps equal unary Step steps", SemanticsChecks::stepStream));
  }

  /** Optional capability: when offered, streamed steps must be unary steps, bit for bit. */
  private static String stepStream(ConformanceContext ctx) {
    if (!ctx.serverInfo().hasCapability("step_stream")) {
      return "server does not offer step_stream (optional); unary Step only";
    }
    int n = 3;
    try (VectorEnv streamed = ctx.session(SessionOptions.of(n, 77));
        VectorEnv unary = ctx.unaryClient().createSession(ctx.taskId(), SessionOptions.of(n, 77))) {
      require(
          Arrays.equals(streamed.reset().observations(), unary.reset().observations()),
          "two sessions with base_seed 77 reset to different observations");
      Random random = new Random(4);
      int steps = 30;
      for (int t = 0; t < steps; t++) {
        float[] actions = ctx.randomActions(random, n);
        require(
            sameStep(streamed.step(actions), unary.step(actions)),
            "step " + t + ": StepStream and Step gave different results for the same actions");
      }
      return steps + " streamed steps bit-identical to unary steps";
    }
  }

  private static String seeding(ConformanceContext ctx) {
    int n = 3;
    long base = 123;
    try (VectorEnv a = ctx.session(SessionOptions.of(n, base));
        VectorEnv b = ctx.session(SessionOptions.withSeeds(base, base + 1, base + 2));
        VectorEnv c = ctx.session(SessionOptions.of(n, base))) {
      require(
          Arrays.equals(a.envSeeds(), new long[] {base, base + 1, base + 2}),
          "base_seed " + base + " gave env seeds " + Arrays.toString(a.envSeeds()));
      ResetResult ra = a.reset();
      require(
          Arrays.equals(ra.observations(), b.reset().observations()),
          "base_seed+i and the same explicit seeds reset to different observations");
      require(
          Arrays.equals(ra.observations(), c.reset().observations()),
          "two sessions with the same base_seed reset to different observations");
      require(
          !Arrays.equals(ra.observation(0), ra.observation(1)),
          "envs 0 and 1 (different seeds) reset to the same observation");
      Random random = new Random(2);
      int steps = 20;
      for (int t = 0; t < steps; t++) {
        float[] actions = ctx.randomActions(random, n);
        StepResult sa = a.step(actions);
        StepResult sb = b.step(actions);
        StepResult sc = c.step(actions);
        require(
            sameStep(sa, sb) && sameStep(sa, sc),
            "step " + t + ": same seeds and actions gave different results");
      }
      return "3 sessions bit-identical over reset + " + steps + " steps";
    }
  }

  private static boolean sameStep(StepResult x, StepResult y) {
    return Arrays.equals(x.observations(), y.observations())
        && Arrays.equals(x.rewards(), y.rewards())
        && Arrays.equals(x.terminated(), y.terminated())
        && Arrays.equals(x.truncated(), y.truncated());
  }

  private static String autoReset(ConformanceContext ctx) {
    int n = 2;
    int limit = ctx.spec().maxEpisodeSteps() + 2;
    Random random = new Random(3);
    try (VectorEnv env = ctx.session(SessionOptions.of(n, 0))) {
      env.reset();
      int[] expectedSteps = new int[n];
      boolean[] endedLastStep = new boolean[n];
      int autoResets = 0;
      for (int t = 0; t < limit && autoResets == 0; t++) {
        StepResult r = env.step(ctx.extremeActions(random, n));
        for (int i = 0; i < n; i++) {
          String where = "step " + t + ", env " + i;
          if (endedLastStep[i]) {
            require(
                r.resetHappened()[i],
                where + ": episode ended last step but reset_happened " + "is false");
            require(r.rewards()[i] == 0.0, where + ": auto-reset reward is " + r.rewards()[i]);
            require(
                !r.terminated()[i] && !r.truncated()[i],
                where + ": auto-reset step has terminated/truncated set");
            require(
                r.episodeSteps()[i] == 0,
                where + ": auto-reset episode_steps is " + r.episodeSteps()[i] + ", expected 0");
            expectedSteps[i] = 0;
            autoResets++;
          } else {
            expectedSteps[i]++;
            require(!r.resetHappened()[i], where + ": reset_happened without an ended episode");
            require(
                r.episodeSteps()[i] == expectedSteps[i],
                where
                    + ": episode_steps is "
                    + r.episodeSteps()[i]
                    + ", expected "
                    + expectedSteps[i]);
          }
          endedLastStep[i] = r.episodeEnded(i);
        }
      }
      require(
          autoResets > 0, "no episode ended within max_episode_steps + 2 = " + limit + " steps");
      StepResult after = env.step(ctx.randomActions(random, n));
      for (int i = 0; i < n; i++) {
        if (expectedSteps[i] == 0) {
          require(
              after.episodeSteps()[i] == 1 && !after.resetHappened()[i],
              "the step after an auto-reset has episode_steps "
                  + after.episodeSteps()[i]
                  + ", reset_happened "
                  + after.resetHappened()[i]);
        }
      }
      return autoResets + " auto-reset(s) observed as env.proto specifies";
    }
  }

  private static String noAutoReset(ConformanceContext ctx) {
    int limit = ctx.spec().maxEpisodeSteps() + 1;
    Random random = new Random(5);
    SessionOptions options = SessionOptions.of(1, 0).withAutoReset(AutoReset.DISABLED);
    try (VectorEnv env = ctx.session(options)) {
      env.reset();
      int steps = 0;
      boolean ended = false;
      while (!ended && steps < limit) {
        ended = env.step(ctx.extremeActions(random, 1)).episodeEnded(0);
        steps++;
      }
      require(ended, "no episode ended within max_episode_steps + 1 = " + limit + " steps");
      String refusal =
          expectError(
              "Step after the episode ended with auto-reset disabled",
              () -> env.step(ctx.randomActions(random, 1)),
              Status.Code.FAILED_PRECONDITION);
      env.reset(new int[] {0}, null);
      StepResult after = env.step(ctx.randomActions(random, 1));
      require(
          after.episodeSteps()[0] == 1 && !after.resetHappened()[0],
          "after an explicit reset the first step has episode_steps "
              + after.episodeSteps()[0]
              + ", reset_happened "
              + after.resetHappened()[0]);
      return "ended after " + steps + " steps; " + refusal;
    }
  }

  private static String leaseExpiry(ConformanceContext ctx) throws InterruptedException {
    double lease = 1.0;
    // The contract does not say how promptly a server reaps; allow a few seconds of slack.
    long waitMillis = (long) (lease * 1000) + 3000;
    String id;
    VectorEnv env = ctx.session(SessionOptions.of(1, 0).withIdleTimeoutSeconds(lease));
    try {
      env.reset();
      id = env.sessionId();
      Thread.sleep(waitMillis);
      return expectError(
          "Reset " + waitMillis + " ms after the last call on a " + lease + " s lease",
          () -> ctx.probe().reset(id),
          Status.Code.NOT_FOUND);
    } finally {
      env.close(); // tolerates NOT_FOUND
    }
  }

  private static String subset(ConformanceContext ctx) {
    long base = 5;
    Random random = new Random(4);
    try (VectorEnv env = ctx.session(SessionOptions.of(3, base));
        VectorEnv envTwo = ctx.session(SessionOptions.withSeeds(base + 2))) {
      env.reset();
      envTwo.reset();
      float[] actions = ctx.randomActions(random, 2);
      StepResult r = env.step(new int[] {2, 0}, actions);
      require(
          Arrays.equals(r.envIds(), new int[] {2, 0}),
          "Step(env_ids=[2, 0]) answered env_ids " + Arrays.toString(r.envIds()));
      require(
          Arrays.equals(r.episodeSteps(), new int[] {1, 1}),
          "Step(env_ids=[2, 0]) episode_steps " + Arrays.toString(r.episodeSteps()));
      int actDim = ctx.spec().actDim();
      StepResult alone = envTwo.step(Arrays.copyOfRange(actions, 0, actDim));
      require(
          Arrays.equals(r.observation(0), alone.observation(0)),
          "env 2 stepped in a subset differs from the same seed stepped alone");
      StepResult all = env.step(ctx.randomActions(random, 3));
      require(
          Arrays.equals(all.episodeSteps(), new int[] {2, 1, 2}),
          "after stepping [2, 0] then all, episode_steps is "
              + Arrays.toString(all.episodeSteps())
              + ", expected [2, 1, 2]");
      ResetResult reset = env.reset(new int[] {1}, new long[] {99});
      require(
          Arrays.equals(reset.envIds(), new int[] {1}),
          "Reset(env_ids=[1]) answered env_ids " + Arrays.toString(reset.envIds()));
      try (VectorEnv fresh = ctx.session(SessionOptions.withSeeds(99))) {
        require(
            Arrays.equals(reset.observations(), fresh.reset().observations()),
            "env 1 reset with seed 99 differs from a fresh env seeded 99");
      }
      return "subset order, per-env episode_steps and reseeding as specified";
    }
  }
}
