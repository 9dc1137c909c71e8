package io.dtql.envbridge.launcher;

import java.util.ArrayDeque;
import java.util.Deque;

/** The last lines of a process's output, kept so a failure can show what the process said. */
final class OutputTail {
  private final int capacity;
  private final Deque<String> lines = new ArrayDeque<>();

  OutputTail(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  synchronized void add(String line) {
    if (lines.size() == capacity) {
      lines.removeFirst();
    }
    lines.addLast(line);
  }

  /** The kept lines joined by newlines, or "(no output)". */
  synchronized String text() {
    return lines.isEmpty() ? "(no output)" : String.join("\n", lines);
  }
}
