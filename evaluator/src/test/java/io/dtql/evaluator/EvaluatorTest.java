package io.dtql.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.envbridge.InvalidArgumentException;
import io.dtql.evaluator.simulator.SimulatorEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  private static final double[] LOW = {-1, -1};
  private static final double[] HIGH = {1, 1};

  private static EvaluationSummary evaluate(
      List<SimulatorEndpoint> endpoints, int episodes, int numEnvs, long seed) {
    return Evaluator.evaluate(
        endpoints,
        "hopper",
        task -> new RandomPolicy(LOW, HIGH),
        new EvaluationOptions(episodes, numEnvs, seed),
        e -> {});
  }

  private static SimulatorEndpoint fixed(String name, SeededFakeClient client) {
    return SimulatorEndpoint.fixed(name, client);
  }

  /** An endpoint whose server dies once, then comes back fresh on restart. */
  private static SimulatorEndpoint restartable(String name, int stepsBeforeDeath) {
    return new SimulatorEndpoint() {
      SeededFakeClient client = new SeededFakeClient(64).dieAfterSteps(stepsBeforeDeath);

      @Override
      public String name() {
        return name;
      }

      @Override
      public synchronized SeededFakeClient client() {
        return client;
      }

      @Override
      public synchronized boolean restart() {
        client = new SeededFakeClient(64);
        return true;
      }

      @Override
      public void close() {}
    };
  }

  /** What an episode is, without where it ran. */
  private static List<String> outcomes(EvaluationSummary summary) {
    List<String> out = new ArrayList<>();
    for (EpisodeResult e : summary.episodes()) {
      out.add(e.index() + ":" + e.seed() + ":" + e.length() + ":" + e.episodeReturn());
    }
    return out;
  }

  @Test
  void episodeIGetsSeedBasePlusIAndResultsComeInIndexOrder() {
    EvaluationSummary s = evaluate(List.of(fixed("a", new SeededFakeClient(64))), 7, 3, 40);
    assertEquals(7, s.episodes().size());
    for (int i = 0; i < 7; i++) {
      EpisodeResult e = s.episodes().get(i);
      assertEquals(i, e.index());
      assertEquals(40 + i, e.seed());
      assertEquals(2 + (40 + i) % 4, e.length(), "the episode ran on the env reset with its seed");
      assertFalse(e.rerun());
    }
  }

  @Test
  void theSameEpisodesForAnyNumberOfParallelEnvsOrServers() {
    List<String> one = outcomes(evaluate(List.of(fixed("a", new SeededFakeClient(64))), 9, 1, 5));
    List<String> three = outcomes(evaluate(List.of(fixed("a", new SeededFakeClient(64))), 9, 3, 5));
    List<String> twoServers =
        outcomes(
            evaluate(
                List.of(fixed("a", new SeededFakeClient(2)), fixed("b", new SeededFakeClient(2))),
                9,
                4,
                5));
    assertEquals(one, three);
    assertEquals(one, twoServers);
  }

  @Test
  void sessionsAreSizedToTheServersLimit() {
    List<Integer> batchSizes = new ArrayList<>();
    Policy recording =
        new Policy() {
          @Override
          public float[] act(double[] observations, RandomGenerator[] streams) {
            batchSizes.add(streams.length);
            return new float[streams.length * 2];
          }

          @Override
          public String name() {
            return "zero";
          }
        };
    Evaluator.evaluate(
        List.of(fixed("small", new SeededFakeClient(2))),
        "hopper",
        task -> recording,
        new EvaluationOptions(6, 10, 0),
        e -> {});
    assertEquals(2, batchSizes.stream().mapToInt(Integer::intValue).max().orElseThrow());
  }

  @Test
  void aDeadRemoteServersEpisodesAreRerunOnTheOthers() {
    SeededFakeClient dying = new SeededFakeClient(64).dieAfterSteps(2);
    List<String> clean = outcomes(evaluate(List.of(fixed("a", new SeededFakeClient(64))), 8, 4, 3));

    EvaluationSummary recovered =
        evaluate(
            List.of(fixed("dying", dying), fixed("healthy", new SeededFakeClient(64))), 8, 4, 3);

    assertEquals(clean, outcomes(recovered), "re-runs replay the lost episodes exactly");
    assertEquals(1, recovered.faults().size());
    assertTrue(recovered.faults().get(0).startsWith("dying: "), recovered.faults().toString());
    assertFalse(recovered.rerunEpisodes().isEmpty());
    for (EpisodeResult e : recovered.rerunEpisodes()) {
      assertEquals("healthy", e.simulator());
    }
  }

  @Test
  void aDeadLocalServerIsRestartedAndItsEpisodesRunAgainThere() {
    List<String> clean =
        outcomes(evaluate(List.of(fixed("a", new SeededFakeClient(64))), 6, 3, 11));
    EvaluationSummary recovered = evaluate(List.of(restartable("local", 3)), 6, 3, 11);
    assertEquals(clean, outcomes(recovered));
    assertEquals(1, recovered.faults().size());
    assertEquals(3, recovered.rerunEpisodes().size(), "the three episodes it was running");
  }

  @Test
  void whenNoServerIsLeftTheEvaluationFailsAndNamesTheMissingEpisodes() {
    SeededFakeClient dying = new SeededFakeClient(64).dieAfterSteps(1);
    IncompleteEvaluationException e =
        assertThrows(
            IncompleteEvaluationException.class,
            () -> evaluate(List.of(fixed("only", dying)), 5, 5, 0));
    assertEquals(List.of(0, 1, 2, 3, 4), e.missingEpisodes());
    assertTrue(e.getMessage().contains("5 of 5 episodes missing"), e.getMessage());
    assertTrue(e.getMessage().contains("only: Step failed with UNAVAILABLE"), e.getMessage());
  }

  @Test
  void aRefusedRequestIsNotAServerFaultAndStopsEverySession() {
    AtomicInteger calls = new AtomicInteger();
    Policy refused =
        new Policy() {
          @Override
          public float[] act(double[] observations, RandomGenerator[] streams) {
            if (calls.incrementAndGet() == 3) {
              throw new InvalidArgumentException("Step failed with INVALID_ARGUMENT: bad", null);
            }
            return new float[streams.length * 2];
          }

          @Override
          public String name() {
            return "refused";
          }
        };
    assertThrows(
        InvalidArgumentException.class,
        () ->
            Evaluator.evaluate(
                List.of(fixed("a", new SeededFakeClient(2)), fixed("b", new SeededFakeClient(2))),
                "hopper",
                task -> refused,
                new EvaluationOptions(20, 2, 0),
                e -> {}));
  }

  @Test
  void aNonFiniteActionIsRefusedBeforeItReachesTheSimulator() {
    Policy nan =
        new Policy() {
          @Override
          public float[] act(double[] observations, RandomGenerator[] streams) {
            float[] a = new float[streams.length * 2];
            a[1] = Float.NaN;
            return a;
          }

          @Override
          public String name() {
            return "nan";
          }
        };
    NonFiniteActionException e =
        assertThrows(
            NonFiniteActionException.class,
            () ->
                Evaluator.evaluate(
                    List.of(fixed("a", new SeededFakeClient(8))),
                    "hopper",
                    task -> nan,
                    new EvaluationOptions(2, 2, 7),
                    r -> {}));
    assertEquals(
        "policy nan returned a non-finite action (NaN) in episode 0 (seed 7) at step 0",
        e.getMessage());
  }

  @Test
  void aPolicyReturningTheWrongActionCountIsReportedByName() {
    Policy broken =
        new Policy() {
          @Override
          public float[] act(double[] observations, RandomGenerator[] streams) {
            return new float[1];
          }

          @Override
          public String name() {
            return "broken";
          }
        };
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                Evaluator.evaluate(
                    List.of(fixed("a", new SeededFakeClient(8))),
                    "hopper",
                    task -> broken,
                    new EvaluationOptions(1, 1, 0),
                    r -> {}));
    assertEquals(
        "policy broken returned 1 action values for 1 states of action dim 2", e.getMessage());
  }

  @Test
  void theSummaryCarriesABootstrapIntervalAroundTheMean() {
    EvaluationSummary s = evaluate(List.of(fixed("a", new SeededFakeClient(64))), 30, 8, 0);
    assertEquals(s.meanReturn(), s.returnInterval().estimate(), 1e-12);
    assertTrue(s.returnInterval().low() < s.meanReturn(), s.returnInterval().toString());
    assertTrue(s.returnInterval().high() > s.meanReturn(), s.returnInterval().toString());
    double low = s.normalizedInterval().orElseThrow().low();
    assertEquals(D4rlScores.normalize("hopper", s.returnInterval().low()).orElseThrow(), low, 1e-9);
  }
}
