package io.dtql.evaluator.collect.antmaze;

/**
 * Goals as the walking controller sees them: relative to the torso, in its heading frame (x ahead,
 * y to the left). Mirrors the server's {@code antgoal.goal_in_heading_frame}, which the controller
 * was trained on. StrictMath keeps the result the same on every machine (reproducible datasets).
 */
public final class HeadingFrame {
  private HeadingFrame() {}

  /** The torso's yaw from its unit quaternion (w, x, y, z) at {@code offset} of {@code q}. */
  public static double yaw(double[] q, int offset) {
    double w = q[offset];
    double x = q[offset + 1];
    double y = q[offset + 2];
    double z = q[offset + 3];
    return StrictMath.atan2(2.0 * (w * z + x * y), 1.0 - 2.0 * (y * y + z * z));
  }

  /** (goal - xy) rotated by -yaw: {ahead, left}. */
  public static double[] relativeGoal(double x, double y, double yaw, double[] goal) {
    double dx = goal[0] - x;
    double dy = goal[1] - y;
    double c = StrictMath.cos(yaw);
    double s = StrictMath.sin(yaw);
    return new double[] {c * dx + s * dy, -s * dx + c * dy};
  }
}
