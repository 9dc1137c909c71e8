package io.dtql.agent.dtql;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dtql.agent.nn.ScoreNetwork;
import io.dtql.agent.nn.SinusoidalEmbedding;
import java.util.random.RandomGenerator;

/**
 * The EDM (Karras et al. 2022) denoising loss DTQL uses for both the behaviour-cloning diffusion
 * model and the trust-region term. Per-sample noise quantities (sigma, the preconditioning
 * coefficients, the time embedding) are computed in Java float64 and uploaded once, which keeps the
 * number of native ops per loss small.
 */
public final class EdmDiffusion {
  public static final double SIGMA_DATA = 0.5;
  public static final double SIGMA_MIN = 0.002;
  public static final double SIGMA_MAX = 80.0;

  /** Location and scale of the log-logistic noise-level distribution (of log sigma). */
  public static final double LOG_SIGMA_LOC = Math.log(0.5);

  public static final double LOG_SIGMA_SCALE = 0.5;

  private EdmDiffusion() {}

  /** c_skip = sd^2 / (sigma^2 + sd^2). */
  public static double cSkip(double sigma) {
    return SIGMA_DATA * SIGMA_DATA / (sigma * sigma + SIGMA_DATA * SIGMA_DATA);
  }

  /** c_out = sigma * sd / sqrt(sigma^2 + sd^2). */
  public static double cOut(double sigma) {
    return sigma * SIGMA_DATA / Math.sqrt(sigma * sigma + SIGMA_DATA * SIGMA_DATA);
  }

  /** c_in = 1 / sqrt(sigma^2 + sd^2). */
  public static double cIn(double sigma) {
    return 1.0 / Math.sqrt(sigma * sigma + SIGMA_DATA * SIGMA_DATA);
  }

  /**
   * Maps a uniform draw u in [0, 1) to a log-logistic sigma truncated to [SIGMA_MIN, SIGMA_MAX] by
   * inverse CDF: u is rescaled into [F(sigma_min), F(sigma_max)] of the untruncated CDF.
   */
  public static double sigmaFromUniform(double u) {
    double lo = logisticCdf(Math.log(SIGMA_MIN));
    double hi = logisticCdf(Math.log(SIGMA_MAX));
    double p = lo + u * (hi - lo);
    double logSigma = LOG_SIGMA_LOC + LOG_SIGMA_SCALE * Math.log(p / (1 - p));
    return Math.exp(logSigma);
  }

  private static double logisticCdf(double logSigma) {
    return 1.0 / (1.0 + Math.exp(-(logSigma - LOG_SIGMA_LOC) / LOG_SIGMA_SCALE));
  }

  /**
   * One draw of everything random in a diffusion loss for a batch, in Java memory.
   *
   * @param eps standard normal noise (batch * actDim)
   * @param sigma noise level per sample
   */
  public record NoiseDraw(int batch, int actDim, float[] eps, double[] sigma) {
    public NoiseDraw {
      if (eps.length != batch * actDim || sigma.length != batch) {
        throw new IllegalArgumentException(
            "noise draw needs eps of "
                + batch * actDim
                + " and sigma of "
                + batch
                + " values, got "
                + eps.length
                + " and "
                + sigma.length);
      }
    }
  }

  /** Draws sigma (truncated log-logistic) and Gaussian eps for {@code batch} samples. */
  public static NoiseDraw draw(RandomGenerator rng, int batch, int actDim) {
    double[] sigma = new double[batch];
    for (int i = 0; i < batch; i++) {
      sigma[i] = sigmaFromUniform(rng.nextDouble());
    }
    float[] eps = new float[batch * actDim];
    for (int i = 0; i < eps.length; i++) {
      eps[i] = (float) rng.nextGaussian();
    }
    return new NoiseDraw(batch, actDim, eps, sigma);
  }

  /**
   * The behaviour-cloning loss: the denoising loss of {@code net} on dataset actions, gradients
   * into the network. The actions are constants, so the noisy inputs are formed in Java.
   *
   * @param actions dataset actions (B, actDim), without gradient
   * @param states (B, obsDim)
   * @param sm the step's manager, which receives the uploaded noise arrays
   */
  public static NDArray behaviourCloningLoss(
      ScoreNetwork net,
      NDArray actions,
      NDArray states,
      NoiseDraw draw,
      float maxAction,
      NDManager sm) {
    return loss(net, false, actions, states, draw, maxAction, sm);
  }

  /**
   * The diffusion trust-region loss: the same denoising loss on the policy's actions {@code pi}
   * with {@code net} frozen. Gradients flow into {@code pi} along both of its paths: through the
   * noisy input x0 + sigma eps into the frozen network and the skip term, and through the target
   * -x0. Nothing is asked of {@code pi}'s autograd state: DJL's {@code hasGradient()} is false for
   * any tensor that is not a leaf, so it cannot tell a policy action from a constant.
   *
   * @param pi the policy's actions (B, actDim), part of the actor's graph
   * @param states (B, obsDim)
   * @param sm the step's manager, which receives the uploaded noise arrays
   */
  public static NDArray trustRegionLoss(
      ScoreNetwork net, NDArray pi, NDArray states, NoiseDraw draw, float maxAction, NDManager sm) {
    return loss(net, true, pi, states, draw, maxAction, sm);
  }

  /**
   * mean(((D(x0 + sigma eps) - x0) / c_out)^2) with D = clamp(c_out F(c_in x_noisy, s, t) + c_skip
   * x_noisy, +-maxAction) and t = log(sigma) / 4. With {@code trustRegion} the network is frozen
   * and x0 is differentiable along every path (the trust-region loss); otherwise x0 is a constant
   * and gradients flow into the network (the BC loss).
   */
  private static NDArray loss(
      ScoreNetwork net,
      boolean trustRegion,
      NDArray x0,
      NDArray states,
      NoiseDraw draw,
      float maxAction,
      NDManager sm) {
    int b = draw.batch();
    int act = draw.actDim();
    float[] out = new float[b];
    float[] in = new float[b];
    float[] skip = new float[b];
    float[] invOut = new float[b];
    float[] time = new float[b * SinusoidalEmbedding.WIDTH];
    // sigma * eps carries no gradient: formed here in float32, the same rounding as the engine.
    float[] scaledNoise = new float[b * act];
    for (int i = 0; i < b; i++) {
      double s = draw.sigma()[i];
      float sig = (float) s;
      out[i] = (float) cOut(s);
      in[i] = (float) cIn(s);
      skip[i] = (float) cSkip(s);
      invOut[i] = (float) (1.0 / cOut(s));
      for (int j = 0; j < act; j++) {
        scaledNoise[i * act + j] = draw.eps()[i * act + j] * sig;
      }
      SinusoidalEmbedding.embed(Math.log(s) / 4.0, time, i * SinusoidalEmbedding.WIDTH);
    }
    Shape col = new Shape(b, 1);
    Shape actions = new Shape(b, act);
    NDArray netInput;
    NDArray skipTerm;
    if (trustRegion) {
      // x0 is the policy's action: the noisy input must stay in x0's graph.
      NDArray noisy = x0.add(sm.create(scaledNoise, actions)); // (B, actDim)
      netInput = noisy.mul(sm.create(in, col));
      skipTerm = noisy.mul(sm.create(skip, col));
    } else {
      // Clean actions without gradient (behaviour cloning): the noisy inputs are constants, so
      // they are formed in Java with the engine's float32 rounding (x0 + n, then the products)
      // and uploaded, instead of three native ops and three more uploads.
      float[] clean = x0.toFloatArray();
      float[] scaledIn = new float[b * act];
      float[] skipped = new float[b * act];
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < act; j++) {
          int k = i * act + j;
          float noisy = clean[k] + scaledNoise[k];
          scaledIn[k] = noisy * in[i];
          skipped[k] = noisy * skip[i];
        }
      }
      netInput = sm.create(scaledIn, actions);
      skipTerm = sm.create(skipped, actions);
    }
    NDArray f =
        net.forward(
            netInput,
            states,
            sm.create(time, new Shape(b, SinusoidalEmbedding.WIDTH)),
            trustRegion);
    NDArray denoised =
        f.mul(sm.create(out, col)).add(skipTerm).clip(-maxAction, maxAction); // (B, actDim)
    return denoised.sub(x0).mul(sm.create(invOut, col)).square().mean();
  }
}
