package io.dtql.agent.cli;

/** The {@code --metrics-format} flag. metrics.jsonl is always written; csv adds metrics.csv. */
public enum MetricsFormat {
  JSONL,
  CSV
}
