package io.dtql.cli;

/** The {@code --metrics-format} flag. metrics.jsonl is always written; csv adds metrics.csv. */
enum MetricsFormat {
  JSONL,
  CSV
}
