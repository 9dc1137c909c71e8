package io.dtql.agent.train;

import io.dtql.agent.data.DatasetLoader;
import io.dtql.agent.data.ExpectedShape;
import io.dtql.agent.data.Transitions;
import io.dtql.agent.dtql.ProblemShape;
import java.nio.file.Path;

/** Where a run's transitions come from; the widths must match the problem shape. */
@FunctionalInterface
public interface DatasetSource {
  Transitions load(Path dataset, ProblemShape expected);

  /** D4RL .hdf5 files and Minari dataset directories, detected by {@link DatasetLoader}. */
  static DatasetSource files() {
    return (dataset, expected) ->
        DatasetLoader.load(dataset, ExpectedShape.of(expected.obsDim(), expected.actDim()));
  }
}
