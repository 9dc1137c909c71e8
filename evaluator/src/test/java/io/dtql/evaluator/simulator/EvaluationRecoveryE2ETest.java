package io.dtql.evaluator.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.io.Closeables;
import io.dtql.envbridge.launcher.LaunchOptions;
import io.dtql.evaluator.EpisodeResult;
import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.EvaluationSummary;
import io.dtql.evaluator.Evaluator;
import io.dtql.evaluator.RandomPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Evaluation against real local servers: the same episodes for any layout, and a server killed in
 * the middle is restarted and the episodes it held are run again, with the same results.
 */
@Tag("e2e")
class EvaluationRecoveryE2ETest {
  // Twelve short random-policy episodes: when the first ends, both servers still hold several.
  private static final EvaluationOptions TWELVE = new EvaluationOptions(12, 3, 21);

  private static EvaluationSummary evaluate(
      List<LocalSimulator> servers, EvaluationOptions options, Runnable afterFirstEpisode) {
    AtomicBoolean first = new AtomicBoolean(true);
    return Evaluator.evaluate(
        servers,
        "hopper",
        task -> new RandomPolicy(task.action().low(), task.action().high()),
        options,
        episode -> {
          if (first.getAndSet(false)) {
            afterFirstEpisode.run();
          }
        });
  }

  private static List<String> outcomes(EvaluationSummary s) {
    List<String> out = new ArrayList<>();
    for (EpisodeResult e : s.episodes()) {
      out.add(e.index() + ":" + e.seed() + ":" + e.length() + ":" + e.episodeReturn());
    }
    return out;
  }

  @Test
  void killedServersEpisodesAreRerunAfterARestartWithTheSameResults() {
    List<LocalSimulator> one = List.of(LocalSimulator.start("local 1", LaunchOptions.defaults()));
    List<LocalSimulator> two = new ArrayList<>();
    try {
      EvaluationSummary clean = evaluate(one, TWELVE, () -> {});
      EvaluationSummary oneEnv = evaluate(one, new EvaluationOptions(12, 1, 21), () -> {});
      assertEquals(outcomes(clean), outcomes(oneEnv), "3 envs or 1: the same episodes");

      two.add(LocalSimulator.start("local A", LaunchOptions.defaults()));
      two.add(LocalSimulator.start("local B", LaunchOptions.defaults()));
      long killedPid = two.get(1).server().pid();
      EvaluationSummary recovered =
          evaluate(
              two,
              new EvaluationOptions(12, 2, 21),
              () -> ProcessHandle.of(killedPid).ifPresent(ProcessHandle::destroyForcibly));

      assertEquals(outcomes(clean), outcomes(recovered), "re-runs give the same episodes");
      assertEquals(1, recovered.faults().size(), recovered.faults().toString());
      assertTrue(recovered.faults().get(0).startsWith("local B: "), recovered.faults().toString());
      assertFalse(recovered.rerunEpisodes().isEmpty(), "the killed server held episodes");
      assertTrue(two.get(1).server().pid() != killedPid, "local B was restarted");
    } finally {
      Closeables.closeAll(one);
      Closeables.closeAll(two);
    }
  }
}
