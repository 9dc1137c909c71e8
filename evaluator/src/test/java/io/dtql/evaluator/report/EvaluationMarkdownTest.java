package io.dtql.evaluator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.evaluator.EpisodeResult;
import io.dtql.evaluator.EvaluationSummary;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvaluationMarkdownTest {
  private static EpisodeResult episode(int index, List<Double> goal) {
    return new EpisodeResult(index, 7 + index, 1.0, 700, false, false, "local", false, goal);
  }

  @Test
  void episodesOfAGoalReachingTaskListTheirGoal() {
    EvaluationSummary maze =
        EvaluationSummary.of(
            "antmaze-umaze",
            "random",
            List.of(episode(0, List.of(0.65744845, 8.27805053)), episode(1, List.of(0.5, 9.4))));

    String md =
        EvaluationMarkdown.render(List.of(maze), Optional.empty(), "p.png", Provenance.empty());

    assertTrue(md.contains("| simulator | goal |"), md);
    assertTrue(md.contains("| local | (0.657, 8.278) |"), md);
    assertTrue(md.contains("| local | (0.500, 9.400) |"), md);
  }

  @Test
  void locomotionEpisodesHaveNoGoalColumn() {
    EvaluationSummary hopper =
        EvaluationSummary.of("hopper", "random", List.of(episode(0, List.of())));

    String md =
        EvaluationMarkdown.render(List.of(hopper), Optional.empty(), "p.png", Provenance.empty());

    assertFalse(md.contains("goal |"), md);
    assertEquals("-", EvaluationMarkdown.goalText(List.of()));
  }
}
