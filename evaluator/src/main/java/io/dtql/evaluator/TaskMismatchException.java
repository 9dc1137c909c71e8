package io.dtql.evaluator;

/**
 * A trained policy does not fit a task: the task's observation or action size differs from the
 * sizes the policy was trained on. The message names the checkpoint's preset, the task and both
 * shapes.
 */
public final class TaskMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TaskMismatchException(String message) {
    super(message);
  }
}
