package io.dtql.evaluator.collect.antmaze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeadingFrameTest {
  @ParameterizedTest
  @ValueSource(doubles = {0.0, 0.7, -2.5, Math.PI / 2})
  void aGoalAheadOrToTheLeftIsSeenThereWhateverTheHeading(double yaw) {
    double[] q = {Math.cos(yaw / 2), 0, 0, Math.sin(yaw / 2)};
    assertEquals(Math.atan2(Math.sin(yaw), Math.cos(yaw)), HeadingFrame.yaw(q, 0), 1e-12);
    double h = HeadingFrame.yaw(q, 0);
    double[] ahead = {3 + 2 * Math.cos(yaw), -1 + 2 * Math.sin(yaw)};
    double[] left = {3 - 1.5 * Math.sin(yaw), -1 + 1.5 * Math.cos(yaw)};
    assertArrayEquals(new double[] {2, 0}, HeadingFrame.relativeGoal(3, -1, h, ahead), 1e-12);
    assertArrayEquals(new double[] {0, 1.5}, HeadingFrame.relativeGoal(3, -1, h, left), 1e-12);
  }
}
