package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressStyleTest {
  @Test
  void autoStyleIsABarOnATerminalAndLinesOtherwise() {
    assertEquals(ProgressStyle.BAR, ProgressStyle.AUTO.resolve(true));
    assertEquals(ProgressStyle.LINES, ProgressStyle.AUTO.resolve(false));
    assertEquals(ProgressStyle.BAR, ProgressStyle.BAR.resolve(false));
    assertEquals(ProgressStyle.NONE, ProgressStyle.NONE.resolve(true));
  }
}
