package io.dtql.cli;

/** Placeholder entry point; replaced by the picocli command tree. */
public final class DtqlCli {
  private DtqlCli() {}

  public static void main(String[] args) {
    System.out.println("dtql");
  }
}
