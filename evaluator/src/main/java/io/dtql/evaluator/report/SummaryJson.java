package io.dtql.evaluator.report;

import com.google.gson.GsonBuilder;
import io.dtql.agent.io.AtomicFiles;
import io.dtql.evaluator.EpisodeResult;
import io.dtql.evaluator.EvaluationSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes evaluation summaries as JSON, for CI pipelines and notebooks. */
public final class SummaryJson {
  private SummaryJson() {}

  public static void write(List<EvaluationSummary> summaries, Path file) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (EvaluationSummary s : summaries) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("task", s.taskId());
      m.put("policy", s.policyName());
      m.put("episodes", s.episodes().size());
      m.put("return_mean", s.meanReturn());
      m.put("return_std", s.stdReturn());
      m.put("return_min", s.minReturn());
      m.put("return_max", s.maxReturn());
      m.put("length_mean", s.meanLength());
      m.put("return_ci95", List.of(s.returnInterval().low(), s.returnInterval().high()));
      s.meanNormalized().ifPresent(v -> m.put("d4rl_score_mean", v));
      s.stdNormalized().ifPresent(v -> m.put("d4rl_score_std", v));
      s.normalizedInterval()
          .ifPresent(ci -> m.put("d4rl_score_ci95", List.of(ci.low(), ci.high())));
      m.put("rerun_episodes", s.rerunEpisodes().stream().map(EpisodeResult::index).toList());
      m.put("server_failures", s.faults());
      List<Map<String, Object>> eps = new ArrayList<>();
      for (EpisodeResult e : s.episodes()) {
        Map<String, Object> em = new LinkedHashMap<>();
        em.put("index", e.index());
        em.put("seed", e.seed());
        em.put("return", e.episodeReturn());
        em.put("length", e.length());
        em.put("terminated", e.terminated());
        em.put("physics_unstable", e.physicsUnstable());
        em.put("simulator", e.simulator());
        em.put("rerun", e.rerun());
        if (!e.goal().isEmpty()) {
          em.put("goal", e.goal());
        }
        eps.add(em);
      }
      m.put("episode_results", eps);
      out.add(m);
    }
    String json = new GsonBuilder().setPrettyPrinting().create().toJson(out);
    AtomicFiles.write(file, json.getBytes(StandardCharsets.UTF_8));
  }
}
