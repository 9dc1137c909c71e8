package io.dtql.agent.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a D4RL-layout HDF5 file into {@link Transitions} with the semantics of d4rl's {@code
 * qlearning_dataset}.
 *
 * <p>Expected keys: {@code observations} [N, obsDim], {@code actions} [N, actDim], {@code rewards}
 * [N] or [N, 1], {@code terminals} [N] and {@code timeouts} [N]; arrays float32 or float64, flags
 * bool, integer or float (nonzero = true). Old files without {@code timeouts} are read as if no
 * step timed out, with a warning. The {@code infos/} and {@code metadata/} groups are never read,
 * and neither is a stored {@code next_observations}: qlearning semantics take s' from the next row
 * of {@code observations}, so that transitions stay identical to what published DTQL results used.
 *
 * <p>Transition i (for i in 0..N-2) is (obs[i], actions[i], rewards[i], obs[i+1], terminals[i]). It
 * is skipped when timeouts[i] is set, because then row i + 1 is the first observation of the next
 * episode, not the successor of row i; this holds even when terminals[i] is also set, as in d4rl,
 * which tests the timeout first. The last row is dropped because it has no successor.
 */
public final class D4rlDatasetReader {
  private static final Logger log = LoggerFactory.getLogger(D4rlDatasetReader.class);

  private D4rlDatasetReader() {}

  /** Reads {@code file}, checking widths against {@code expected}. */
  public static Transitions read(Path file, ExpectedShape expected) {
    return HdfFiles.read(file, hdf -> read(hdf, file, expected));
  }

  private static Transitions read(HdfFile hdf, Path file, ExpectedShape expected) {
    Dataset obsSet = HdfColumns.require(hdf, "observations", file);
    long[] obsDims = obsSet.getDimensionsAsLong();
    if (obsSet.isEmpty() || (obsDims.length > 0 && obsDims[0] == 0)) {
      throw new DatasetException(file, "observations", "has zero rows");
    }
    HdfColumns.Shape obsShape = HdfColumns.matrixShape(obsSet, file);
    if (obsShape.rows() < 2) {
      throw new DatasetException(
          file,
          "observations",
          "has " + obsShape.rows() + " row; at least 2 are needed to form one transition");
    }
    HdfColumns.requireWidth(obsSet, obsShape, expected.obsDim(), file, "observation");

    Dataset actSet = HdfColumns.require(hdf, "actions", file);
    HdfColumns.Shape actShape = HdfColumns.matrixShape(actSet, file);
    HdfColumns.requireSameRows(obsSet, obsShape, actSet, actShape, file);
    HdfColumns.requireWidth(actSet, actShape, expected.actDim(), file, "action");

    Dataset rewSet = HdfColumns.require(hdf, "rewards", file);
    HdfColumns.Shape rewShape = HdfColumns.vectorShape(rewSet, file);
    HdfColumns.requireSameRows(obsSet, obsShape, rewSet, rewShape, file);

    Dataset termSet = HdfColumns.require(hdf, "terminals", file);
    HdfColumns.Shape termShape = HdfColumns.vectorShape(termSet, file);
    HdfColumns.requireSameRows(obsSet, obsShape, termSet, termShape, file);

    Dataset timeoutSet = null;
    HdfColumns.Shape timeoutShape = null;
    Node timeoutNode = hdf.getChild("timeouts");
    if (timeoutNode == null) {
      log.warn(
          "{} has no 'timeouts' key; treating every step as not timed out, so transitions that"
              + " cross an episode boundary may be kept",
          file);
    } else {
      timeoutSet = HdfColumns.require(hdf, "timeouts", file);
      timeoutShape = HdfColumns.vectorShape(timeoutSet, file);
      HdfColumns.requireSameRows(obsSet, obsShape, timeoutSet, timeoutShape, file);
    }

    // Flags first: they are small, and they decide which rows survive.
    boolean[] terminals = HdfColumns.readFlags(termSet, termShape, file);
    boolean[] timeouts =
        timeoutSet == null
            ? new boolean[obsShape.rows()]
            : HdfColumns.readFlags(timeoutSet, timeoutShape, file);
    int[] kept = keptRows(timeouts, obsShape.rows());
    if (kept.length == 0) {
      throw new DatasetException(
          file,
          "timeouts",
          "no transitions left: every one of the first "
              + (obsShape.rows() - 1)
              + " rows is a timeout");
    }

    float[] obs = HdfColumns.readFloats(obsSet, obsShape, file);
    float[] act = HdfColumns.readFloats(actSet, actShape, file);
    float[] rew = HdfColumns.readFloats(rewSet, rewShape, file);

    int obsDim = obsShape.width();
    int actDim = actShape.width();
    Transitions transitions =
        Transitions.of(
            obsDim,
            actDim,
            RowCopy.rows(obs, obsDim, kept, 0),
            RowCopy.rows(act, actDim, kept, 0),
            RowCopy.rows(rew, 1, kept, 0),
            RowCopy.rows(obs, obsDim, kept, 1),
            RowCopy.flagsAsFloats(terminals, kept));
    log.info(
        "Read {} transitions ({} terminal) from {} rows of D4RL file {}",
        transitions.size(),
        transitions.terminalCount(),
        obsShape.rows(),
        file);
    return transitions;
  }

  /** Rows 0..rows-2 whose timeout flag is not set, ascending. */
  private static int[] keptRows(boolean[] timeouts, int rows) {
    int count = 0;
    for (int i = 0; i < rows - 1; i++) {
      if (!timeouts[i]) {
        count++;
      }
    }
    int[] kept = new int[count];
    int k = 0;
    for (int i = 0; i < rows - 1; i++) {
      if (!timeouts[i]) {
        kept[k++] = i;
      }
    }
    return kept;
  }
}
