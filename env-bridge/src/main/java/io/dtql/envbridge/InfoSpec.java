package io.dtql.envbridge;

import java.util.Arrays;
import java.util.Objects;

/**
 * One info tensor a task can report per env besides its observation, such as a MuJoCo task's {@code
 * "qpos"} (shape {@code [nq]}) and {@code "qvel"} ({@code [nv]}). Values are float64; a session
 * asks for infos with {@link SessionOptions#withInfoKeys(String...)}.
 *
 * @param shape per env, e.g. {@code [6]} for hopper's qpos
 */
public record InfoSpec(String name, int[] shape, String description) {

  public InfoSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("info name must not be blank, got '" + name + "'");
    }
    Objects.requireNonNull(shape, "shape");
    shape = shape.clone();
    long size = 1;
    for (int dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException(
            "info '" + name + "' has a negative dimension: " + Arrays.toString(shape));
      }
      size *= dim;
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "info '" + name + "' shape " + Arrays.toString(shape) + " is too large");
    }
    description = Objects.requireNonNullElse(description, "");
  }

  /** Values per env: the product of the shape (a row of a result's info array). */
  public int width() {
    int width = 1;
    for (int dim : shape) {
      width *= dim;
    }
    return width;
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof InfoSpec that
        && name.equals(that.name)
        && Arrays.equals(shape, that.shape)
        && description.equals(that.description);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape), description);
  }

  @Override
  public String toString() {
    return "InfoSpec[" + name + " " + Arrays.toString(shape) + "]";
  }
}
