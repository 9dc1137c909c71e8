package io.dtql.evaluator;

import java.util.List;

/**
 * Some episodes of an evaluation could not be run: every server that could run them failed. Carries
 * what is missing and why, so nothing partial is presented as a result.
 */
public final class IncompleteEvaluationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<Integer> missingEpisodes;

  public IncompleteEvaluationException(
      String taskId, int episodes, List<Integer> missingEpisodes, List<String> faults) {
    super(
        String.format(
            "evaluation of %s incomplete: %d of %d episodes missing (%s); no server is left to run"
                + " them. Server failures: %s",
            taskId,
            missingEpisodes.size(),
            episodes,
            abbreviate(missingEpisodes),
            String.join("; ", faults)));
    this.missingEpisodes = List.copyOf(missingEpisodes);
  }

  public List<Integer> missingEpisodes() {
    return missingEpisodes;
  }

  private static String abbreviate(List<Integer> indices) {
    List<Integer> shown = indices.subList(0, Math.min(indices.size(), 10));
    String list = shown.toString();
    return indices.size() > shown.size() ? list + " and " + (indices.size() - 10) + " more" : list;
  }
}
