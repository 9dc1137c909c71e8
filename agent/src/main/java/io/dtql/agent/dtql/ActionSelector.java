package io.dtql.agent.dtql;

import java.util.random.RandomGenerator;

/**
 * Acting with an agent without changing it: what evaluation during training may use. The caller
 * passes the random stream, so evaluation never draws from a stream the agent trains or acts with.
 */
public interface ActionSelector {
  /** The observation and action sizes the agent acts in. */
  ProblemShape shape();

  /**
   * Actions for {@code numStates} states ({@code observations} is [numStates * obsDim]); returns
   * [numStates * actDim]. Every random draw comes from {@code random}.
   */
  float[] selectActions(
      float[] observations, int numStates, SelectionMode mode, RandomGenerator random);
}
