package io.dtql.evaluator;

import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import io.dtql.evaluator.simulator.ServerFaults;
import io.dtql.evaluator.simulator.SimulatorEndpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a policy on a task: a fixed list of seeded episodes ({@link EpisodeSpec}), spread over
 * one session per simulator server.
 *
 * <p>The sessions take episodes from one shared queue, each on its own thread, so several servers
 * (local processes or remote machines) simulate in parallel while the policy acts for one session
 * at a time. When a server fails (dies, hangs past the deadline, drops the connection) the episodes
 * it was running go back to the queue and run again elsewhere: on the same endpoint after a restart
 * when it is a local server, on the remaining servers otherwise. The summary marks those episodes
 * as re-runs and lists the failures; if episodes remain that no server can run, the evaluation
 * fails with {@link IncompleteEvaluationException} and nothing is summarised. Any other error (a
 * refused request, a NaN action) stops every session and propagates.
 */
public final class Evaluator {
  private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);

  private Evaluator() {}

  /** As {@link #evaluate(List, String, Function, EvaluationOptions, Consumer)} on one client. */
  public static EvaluationSummary evaluate(
      EnvClient client,
      String taskId,
      Function<TaskSpec, Policy> policyFor,
      EvaluationOptions options,
      Consumer<EpisodeResult> onEpisode) {
    SimulatorEndpoint endpoint = SimulatorEndpoint.fixed("simulator", client);
    // The caller owns the client: the endpoint is not closed here.
    return evaluate(List.of(endpoint), taskId, policyFor, options, onEpisode);
  }

  /**
   * @param endpoints where to run sessions (not closed here; restarted if they fail and can be)
   * @param policyFor builds the policy once the task's spec is known (e.g. its action bounds); the
   *     policy is closed when the evaluation ends
   * @param onEpisode called once per finished episode, one call at a time, in finishing order
   */
  public static EvaluationSummary evaluate(
      List<? extends SimulatorEndpoint> endpoints,
      String taskId,
      Function<TaskSpec, Policy> policyFor,
      EvaluationOptions options,
      Consumer<EpisodeResult> onEpisode) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no simulator to evaluate on");
    }
    TaskSpec task = endpoints.get(0).client().describeTask(taskId);
    EpisodeQueue queue = new EpisodeQueue(EpisodeSpec.plan(options.seed(), options.episodes()));
    List<String> faults = Collections.synchronizedList(new ArrayList<>());
    Consumer<EpisodeResult> serialised =
        result -> {
          synchronized (onEpisode) {
            onEpisode.accept(result);
          }
        };
    try (Policy policy = policyFor.apply(task)) {
      Session[] sessions = new Session[endpoints.size()];
      for (int i = 0; i < sessions.length; i++) {
        sessions[i] =
            new Session(endpoints.get(i), task, policy, queue, options, faults, serialised);
      }
      runAll(sessions, queue);
      List<Integer> missing = queue.missing();
      if (!missing.isEmpty()) {
        throw new IncompleteEvaluationException(taskId, options.episodes(), missing, faults);
      }
      return EvaluationSummary.of(taskId, policy.name(), queue.results(), faults);
    }
  }

  /** Runs the sessions (one on this thread, the others on threads of their own) to the end. */
  private static void runAll(Session[] sessions, EpisodeQueue queue) {
    if (sessions.length == 1) {
      sessions[0].run();
    } else {
      List<Thread> threads = new ArrayList<>();
      for (Session session : sessions) {
        Thread thread = new Thread(session, "eval " + session.endpoint.name());
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          queue.abort();
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while evaluating", e);
        }
      }
    }
    RuntimeException first = null;
    for (Session session : sessions) {
      RuntimeException error = session.error.get();
      if (error != null && first == null) {
        first = error;
      } else if (error != null) {
        first.addSuppressed(error);
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** One endpoint's share of the work: sessions on it until the queue is done or it fails. */
  private static final class Session implements Runnable {
    private final SimulatorEndpoint endpoint;
    private final TaskSpec task;
    private final Policy policy;
    private final EpisodeQueue queue;
    private final EvaluationOptions options;
    private final List<String> faults;
    private final Consumer<EpisodeResult> onEpisode;
    private final AtomicReference<RuntimeException> error = new AtomicReference<>();

    Session(
        SimulatorEndpoint endpoint,
        TaskSpec task,
        Policy policy,
        EpisodeQueue queue,
        EvaluationOptions options,
        List<String> faults,
        Consumer<EpisodeResult> onEpisode) {
      this.endpoint = endpoint;
      this.task = task;
      this.policy = policy;
      this.queue = queue;
      this.options = options;
      this.faults = faults;
      this.onEpisode = onEpisode;
    }

    @Override
    public void run() {
      try {
        while (!runOnce()) {
          if (!endpoint.restart()) {
            LOG.warn("{}: dropped from this evaluation", endpoint.name());
            return;
          }
        }
      } catch (RuntimeException e) {
        error.set(e);
        queue.abort();
      }
    }

    /** One session until the queue is done (true) or the server fails (false). */
    private boolean runOnce() {
      int size = sessionSize();
      try (VectorEnv env = endpoint.client().createSession(task.taskId(), sessionOptions(size))) {
        requireSameTask(env.spec());
        new RolloutRunner(env, policy, queue, endpoint.name(), onEpisode).run();
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while evaluating", e);
      } catch (RuntimeException e) {
        if (!ServerFaults.isServerFault(e)) {
          throw e;
        }
        String fault = endpoint.name() + ": " + ServerFaults.summary(e);
        faults.add(fault);
        LOG.warn("{}; its running episodes go back to the queue", fault);
        return false;
      }
    }

    /** Asks for each episode's goal when the task reports one, so the report can name it. */
    private SessionOptions sessionOptions(int size) {
      SessionOptions plain = SessionOptions.of(size, options.seed());
      return task.info(EpisodeResult.GOAL_INFO).isPresent()
          ? plain.withInfoKeys(EpisodeResult.GOAL_INFO)
          : plain;
    }

    /** Environments per session: --num-envs, at most the episodes and the server's limit. */
    private int sessionSize() {
      int size = Math.min(options.numEnvs(), options.episodes());
      int limit = endpoint.client().serverInfo().maxEnvsPerSession();
      return limit > 0 ? Math.min(size, limit) : size;
    }

    /** Every server must host the same task the policy was built for. */
    private void requireSameTask(TaskSpec spec) {
      if (spec.obsDim() != task.obsDim()
          || spec.actDim() != task.actDim()
          || !Arrays.equals(spec.action().low(), task.action().low())
          || !Arrays.equals(spec.action().high(), task.action().high())) {
        throw new TaskMismatchException(
            String.format(
                "%s hosts task %s with obs %d / act %d and action bounds %s..%s, unlike the first"
                    + " server's obs %d / act %d, %s..%s",
                endpoint.name(),
                task.taskId(),
                spec.obsDim(),
                spec.actDim(),
                Arrays.toString(spec.action().low()),
                Arrays.toString(spec.action().high()),
                task.obsDim(),
                task.actDim(),
                Arrays.toString(task.action().low()),
                Arrays.toString(task.action().high())));
      }
    }
  }
}
