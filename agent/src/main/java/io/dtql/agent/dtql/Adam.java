package io.dtql.agent.dtql;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import io.dtql.agent.nn.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba) with PyTorch's defaults (betas 0.9/0.999, eps 1e-8, no weight decay) whose
 * whole state is exportable: the first and second moments live in the {@link ParameterStore} under
 * {@code optim/<name>/m|v/<param>} and the update count is a counter. DJL's own optimisers keep
 * their state private, so this one owns it.
 *
 * <p>Each parameter is updated by one native call (DJL's fused {@code adamUpdate}), which also
 * zeroes the parameter's gradient, so gradients never accumulate across steps. That kernel adds eps
 * to the uncorrected sqrt(v); passing eps * sqrt(1 - beta2^t) makes the update exactly PyTorch's
 * lr / (1 - beta1^t) * m / (sqrt(v / (1 - beta2^t)) + eps).
 */
public final class Adam {
  public static final float BETA1 = 0.9f;
  public static final float BETA2 = 0.999f;
  public static final float EPS = 1e-8f;

  private final List<NDArray> parameters;
  private final List<NDArray> firstMoments = new ArrayList<>();
  private final List<NDArray> secondMoments = new ArrayList<>();
  private final LearningRateSchedule schedule;
  private long updates;

  /**
   * @param name optimiser name in tensor names and counters
   * @param parameters trainable tensors, each created in {@code store} with a gradient
   * @param updatesDone updates already applied (0 fresh, the saved counter on restore)
   */
  public Adam(ParameterStore store, String name, List<NDArray> parameters,
      LearningRateSchedule schedule, long updatesDone) {
    if (updatesDone < 0) {
      throw new IllegalArgumentException("updates-done must be >= 0, got " + updatesDone);
    }
    this.parameters = List.copyOf(parameters);
    this.schedule = schedule;
    this.updates = updatesDone;
    for (NDArray p : this.parameters) {
      long[] shape = p.getShape().getShape();
      int size = Math.toIntExact(p.size());
      firstMoments.add(store.create("optim/" + name + "/m/" + p.getName(), shape, false,
          () -> new float[size]));
      secondMoments.add(store.create("optim/" + name + "/v/" + p.getName(), shape, false,
          () -> new float[size]));
    }
  }

  /** Counter name under which the update count is saved. */
  public static String counterName(String name) {
    return "optim/" + name + "/updates";
  }

  /** Updates done so far. */
  public long updates() {
    return updates;
  }

  /** Learning rate the next update will use. */
  public double nextRate() {
    return schedule.rate(updates);
  }

  /**
   * Sets every parameter's gradient to exactly 0 (also when it holds NaN, which multiplying by 0
   * would keep). Used when a loss turned out non-finite after its backward pass, so a later step
   * does not accumulate onto poisoned gradients.
   */
  public void discardGradients() {
    for (NDArray p : parameters) {
      try (NDArray grad = p.getGradient()) {
        grad.set(new NDIndex("..."), 0f);
      }
    }
  }

  /**
   * Applies one update from the gradients currently held by the parameters, then zeroes them.
   * Call outside any GradientCollector.
   *
   * @return the learning rate used
   */
  public double step() {
    double lr = schedule.rate(updates);
    updates++;
    double bias1 = 1 - Math.pow(BETA1, updates);
    double bias2 = 1 - Math.pow(BETA2, updates);
    float stepScale = (float) (lr * Math.sqrt(bias2) / bias1);
    float eps = (float) (EPS * Math.sqrt(bias2));
    for (int i = 0; i < parameters.size(); i++) {
      NDArray p = parameters.get(i);
      try (NDArray grad = p.getGradient()) {
        p.getNDArrayInternal().adamUpdate(
            new NDList(p, grad, firstMoments.get(i), secondMoments.get(i)), new NDList(p),
            (float) lr, stepScale, 0f, 1f, -1f, BETA1, BETA2, eps, false, false);
      }
    }
    return lr;
  }
}
