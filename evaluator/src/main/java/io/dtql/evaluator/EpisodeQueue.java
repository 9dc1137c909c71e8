package io.dtql.evaluator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The episodes of one evaluation, shared by every session that runs them: a session takes an
 * episode when it has a free environment, reports it finished, or gives it back when its server
 * failed, so another session runs it again. Thread-safe.
 */
final class EpisodeQueue {
  private final Deque<EpisodeSpec> pending;
  private final Map<Integer, EpisodeResult> finished = new TreeMap<>();
  private final int total;
  private int running;
  private boolean aborted;

  EpisodeQueue(List<EpisodeSpec> episodes) {
    this.pending = new ArrayDeque<>(episodes);
    this.total = episodes.size();
  }

  /** The next episode to run, or null when none is waiting (now) or the evaluation was aborted. */
  synchronized EpisodeSpec poll() {
    if (aborted || pending.isEmpty()) {
      return null;
    }
    running++;
    return pending.poll();
  }

  /**
   * For a session with nothing running: waits until an episode is waiting (one given back by a
   * failed session) and takes it, or returns null once no episode waits and none runs anywhere (or
   * the evaluation was aborted).
   */
  synchronized EpisodeSpec take() throws InterruptedException {
    while (!aborted && pending.isEmpty() && running > 0) {
      wait();
    }
    return poll();
  }

  synchronized void finish(EpisodeResult result) {
    finished.put(result.index(), result);
    running--;
    notifyAll();
  }

  /** Episodes a failed session had started: queued again, each marked as a re-run. */
  synchronized void giveBack(Collection<EpisodeSpec> episodes) {
    List<EpisodeSpec> sorted = new ArrayList<>(episodes);
    sorted.sort(Comparator.comparingInt(EpisodeSpec::index));
    for (int i = sorted.size() - 1; i >= 0; i--) {
      pending.addFirst(sorted.get(i).retry()); // lowest index first, ahead of unstarted episodes
    }
    running -= episodes.size();
    notifyAll();
  }

  /** Stops every session at its next step: the evaluation failed and will not be completed. */
  synchronized void abort() {
    aborted = true;
    notifyAll();
  }

  synchronized boolean aborted() {
    return aborted;
  }

  /** The finished episodes in index order. */
  synchronized List<EpisodeResult> results() {
    return List.copyOf(finished.values());
  }

  /** Indices of episodes that never finished. */
  synchronized List<Integer> missing() {
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      if (!finished.containsKey(i)) {
        missing.add(i);
      }
    }
    return missing;
  }
}
