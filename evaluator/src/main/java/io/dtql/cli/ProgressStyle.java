package io.dtql.cli;

/** How a command shows progress (on stderr, so stdout keeps only the command's results). */
enum ProgressStyle {
  /** A bar when the process has a terminal, plain lines otherwise. */
  AUTO,
  /** A progress bar redrawn in place (carriage returns and colours): for terminals only. */
  BAR,
  /** A plain line every few seconds with every metric: for logs, pipes and CI. */
  LINES,
  /** Nothing. */
  NONE;

  /** This style with {@link #AUTO} decided: {@code terminal} is true when a person watches. */
  ProgressStyle resolve(boolean terminal) {
    if (this != AUTO) {
      return this;
    }
    return terminal ? BAR : LINES;
  }
}
