package io.dtql.agent.train;

import java.io.IOException;
import java.util.List;

/** Where logged steps go. */
public interface MetricsSink extends AutoCloseable {
  void record(MetricsRow row) throws IOException;

  @Override
  void close() throws IOException;

  /** Sends every row to each of the sinks, in order. */
  static MetricsSink all(List<MetricsSink> sinks) {
    return new MetricsSink() {
      @Override
      public void record(MetricsRow row) throws IOException {
        for (MetricsSink sink : sinks) {
          sink.record(row);
        }
      }

      @Override
      public void close() throws IOException {
        IOException first = null;
        for (MetricsSink sink : sinks) {
          try {
            sink.close();
          } catch (IOException e) {
            if (first == null) {
              first = e;
            } else {
              first.addSuppressed(e);
            }
          }
        }
        if (first != null) {
          throw first;
        }
      }
    };
  }
}
