package io.dtql.agent.dtql;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.dtql.agent.nn.ParameterStore;
import java.util.List;

/**
 * Adam (Kingma and Ba) with PyTorch's defaults (betas 0.9/0.999, eps 1e-8, no weight decay) whose
 * whole state is exportable: the first and second moments are flat tensors in the {@link
 * ParameterStore} ({@code optim/<name>/m} and {@code /v}) and the update count is a counter. DJL's
 * own optimisers keep their state private, so this one owns it.
 *
 * <p>The parameters are views into one flat buffer (a {@link ParameterStore} group): an update
 * concatenates their gradients and applies DJL's fused native {@code adamUpdate} once to the whole
 * buffer, instead of about a dozen native ops per tensor. That kernel adds eps to the uncorrected
 * sqrt(v); passing eps * sqrt(1 - beta2^t) makes the step exactly PyTorch's lr / (1 - beta1^t) * m
 * / (sqrt(v / (1 - beta2^t)) + eps).
 */
public final class Adam {
  public static final float BETA1 = 0.9f;
  public static final float BETA2 = 0.999f;
  public static final float EPS = 1e-8f;

  private final NDArray flat;
  private final List<NDArray> parameters;
  private final NDArray firstMoment;
  private final NDArray secondMoment;
  private final LearningRateSchedule schedule;

  /**
   * Flattened handles on the parameters' gradient tensors, taken once after the first backward
   * pass. Autograd accumulates into an existing gradient in place, and this class only ever zeroes
   * them in place, so the handles stay valid: caching them saves two handle creations, a reshape
   * and an indexed fill per tensor per update.
   */
  private NDList flatGradients;

  private final NDManager gradientManager;
  private long updates;

  /**
   * @param name optimiser name in tensor names and counters
   * @param flat the group buffer the parameters are views of (see {@link
   *     ParameterStore#beginGroup})
   * @param parameters every trainable view into {@code flat}, in group order, covering it exactly
   * @param updatesDone updates already applied (0 fresh, the saved counter on restore)
   */
  public Adam(
      ParameterStore store,
      String name,
      NDArray flat,
      List<NDArray> parameters,
      LearningRateSchedule schedule,
      long updatesDone) {
    if (updatesDone < 0) {
      throw new IllegalArgumentException("updates-done must be >= 0, got " + updatesDone);
    }
    long covered = parameters.stream().mapToLong(NDArray::size).sum();
    if (covered != flat.size()) {
      throw new IllegalArgumentException(
          "parameters of optimiser '"
              + name
              + "' hold "
              + covered
              + " scalars but the flat buffer holds "
              + flat.size());
    }
    this.flat = flat;
    this.parameters = List.copyOf(parameters);
    this.schedule = schedule;
    this.updates = updatesDone;
    long[] shape = flat.getShape().getShape();
    int size = Math.toIntExact(flat.size());
    firstMoment = store.create("optim/" + name + "/m", shape, false, () -> new float[size]);
    secondMoment = store.create("optim/" + name + "/v", shape, false, () -> new float[size]);
    gradientManager = flat.getManager().newSubManager();
  }

  /** Counter name under which the update count is saved. */
  public static String counterName(String name) {
    return "optim/" + name + "/updates";
  }

  /** Updates done so far. */
  public long updates() {
    return updates;
  }

  /**
   * Sets every parameter's gradient to exactly 0 (also where it holds NaN, which multiplying by 0
   * would keep). Called after each update, and when a loss turned out non-finite after its backward
   * pass so a later step does not accumulate onto poisoned gradients.
   */
  public void discardGradients() {
    // The gradient handles and the fill value are created in the gradients' manager; attaching
    // them to a temporary manager frees them all.
    try (NDManager temp = flat.getManager().newSubManager()) {
      for (NDArray p : parameters) {
        NDArray grad = p.getGradient();
        grad.attach(temp);
        grad.set(new NDIndex("..."), 0f);
      }
    }
  }

  /**
   * Zeroes the gradients after an update with one in-place op per tensor. That keeps a NaN or
   * infinity (as NaN), but an update from such a gradient has already made the parameters
   * non-finite; {@link #discardGradients} is the exact reset for the non-finite-loss path.
   */
  private void zeroGradientsAfterUpdate() {
    for (NDArray g : flatGradients()) {
      g.subi(g); // x - x is +0 for every finite x (x * 0 would give -0 for x < 0)
    }
  }

  private NDList flatGradients() {
    if (flatGradients == null) {
      NDList views = new NDList(parameters.size());
      for (NDArray p : parameters) {
        NDArray grad = p.getGradient();
        grad.attach(gradientManager);
        NDArray view = grad.reshape(-1);
        view.attach(gradientManager);
        views.add(view);
      }
      flatGradients = views;
    }
    return flatGradients;
  }

  /**
   * Applies one update from the gradients currently held by the parameters, then zeroes them. Call
   * outside any GradientCollector.
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
    // The concatenated gradient is created in the parameters' manager; this one closes it.
    try (NDManager temp = flat.getManager().newSubManager()) {
      NDArray flatGrad = NDArrays.concat(flatGradients());
      flatGrad.attach(temp);
      flat.getNDArrayInternal()
          .adamUpdate(
              new NDList(flat, flatGrad, firstMoment, secondMoment),
              new NDList(flat),
              (float) lr,
              stepScale,
              0f,
              1f,
              -1f,
              BETA1,
              BETA2,
              eps,
              false,
              false);
    }
    zeroGradientsAfterUpdate();
    return lr;
  }
}
