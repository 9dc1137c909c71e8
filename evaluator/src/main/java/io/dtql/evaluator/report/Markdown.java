package io.dtql.evaluator.report;

/** Escaping for text put into Markdown (GitHub-flavoured), so names like a__b__c stay literal. */
final class Markdown {
  private Markdown() {}

  /** {@code text} with Markdown's emphasis, link, code and HTML characters escaped. */
  static String text(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (char c : text.toCharArray()) {
      if ("\\`*_[]<>|#".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** {@code text} for a table cell: escaped, on one line. */
  static String cell(String text) {
    return text(text.replace("\r", " ").replace("\n", " "));
  }

  /** {@code text} as an inline code span (which keeps underscores), for paths and names. */
  static String code(String text) {
    String oneLine = text.replace("\r", " ").replace("\n", " ");
    return oneLine.contains("`") ? "`` " + oneLine + " ``" : "`" + oneLine + "`";
  }

  /** {@link #code} for a table cell, where a pipe must be escaped even in a code span. */
  static String codeCell(String text) {
    return code(text.replace("|", "\\|"));
  }
}
