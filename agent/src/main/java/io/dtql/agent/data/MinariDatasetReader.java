package io.dtql.agent.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Minari dataset (D4RL's successor) into {@link Transitions}.
 *
 * <p>Accepted paths: the dataset directory {@code <name>}, its {@code <name>/data} directory, the
 * {@code main_data.hdf5} file (all three also read any {@code additional_data_*.hdf5} beside it,
 * after the main file, in numeric order) or any other single HDF5 file of episode groups.
 *
 * <p>Each file holds groups {@code episode_0}, {@code episode_1}, ..., read in numeric order (so
 * episode_10 follows episode_9). An episode of T steps stores {@code observations} [T+1, obsDim]
 * (initial and final observation), {@code actions} [T, actDim], {@code rewards}, {@code
 * terminations} and {@code truncations} [T], and maybe a nested {@code infos} group, which is
 * ignored. Step t becomes (obs[t], actions[t], rewards[t], obs[t+1], terminations[t]). Unlike D4RL,
 * nothing is skipped at a truncation: the true final observation is stored, so the last transition
 * of a truncated episode is valid; it is simply not marked done.
 *
 * <p>Only Box observation spaces are supported; a dict space (observations stored as a group) is
 * refused with a message suggesting to flatten it.
 */
public final class MinariDatasetReader {
  private static final Logger log = LoggerFactory.getLogger(MinariDatasetReader.class);
  private static final String MAIN_FILE = "main_data.hdf5";
  private static final Pattern EPISODE = Pattern.compile("episode_(\\d+)");
  private static final Pattern ADDITIONAL = Pattern.compile("additional_data_(.*)\\.hdf5");
  private static final Pattern DIGITS = Pattern.compile("\\d+");

  private MinariDatasetReader() {}

  /** One episode located in pass one: where it is and how many steps it has. */
  private record EpisodePlan(HdfFile hdf, Path file, Group group, int steps) {}

  /** Reads the Minari dataset at {@code path}, checking widths against {@code expected}. */
  public static Transitions read(Path path, ExpectedShape expected) {
    List<Path> files = dataFiles(path);
    List<HdfFile> open = new ArrayList<>();
    try {
      for (Path file : files) {
        open.add(HdfFiles.open(file));
      }
      return read(open, files, expected);
    } catch (DatasetException e) {
      throw e;
    } catch (RuntimeException e) {
      // jhdf reads lazily, so damage shows up while reading; name the dataset it happened in.
      throw HdfFiles.damaged(path, e);
    } finally {
      for (HdfFile hdf : open) {
        hdf.close();
      }
    }
  }

  /** The HDF5 files making up the dataset at {@code path}, main file first. */
  static List<Path> dataFiles(Path path) {
    if (!Files.exists(path)) {
      throw new DatasetException(path, "file does not exist");
    }
    Path main;
    if (Files.isDirectory(path)) {
      if (Files.isRegularFile(path.resolve("data").resolve(MAIN_FILE))) {
        main = path.resolve("data").resolve(MAIN_FILE);
      } else if (Files.isRegularFile(path.resolve(MAIN_FILE))) {
        main = path.resolve(MAIN_FILE);
      } else {
        throw new DatasetException(
            path,
            "is a directory without data/"
                + MAIN_FILE
                + " or "
                + MAIN_FILE
                + "; expected a Minari dataset directory");
      }
    } else if (path.getFileName().toString().equals(MAIN_FILE)) {
      main = path;
    } else {
      return List.of(path);
    }
    List<Path> files = new ArrayList<>();
    files.add(main);
    files.addAll(additionalFiles(main.toAbsolutePath().getParent()));
    return files;
  }

  private static List<Path> additionalFiles(Path dataDir) {
    try (Stream<Path> entries = Files.list(dataDir)) {
      return entries
          .filter(p -> ADDITIONAL.matcher(p.getFileName().toString()).matches())
          .sorted(
              Comparator.comparing(MinariDatasetReader::numericSuffix)
                  .thenComparing(p -> p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dataDir, e);
    }
  }

  /** The last number in the part after "additional_data_" (so "_10" sorts after "_2"). */
  private static long numericSuffix(Path file) {
    Matcher name = ADDITIONAL.matcher(file.getFileName().toString());
    if (!name.matches()) {
      return -1;
    }
    Matcher m = DIGITS.matcher(name.group(1));
    long last = -1;
    while (m.find()) {
      String digits = m.group();
      last = digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }
    return last;
  }

  private static Transitions read(List<HdfFile> hdfs, List<Path> files, ExpectedShape expected) {
    // Pass one checks every episode's layout and counts steps, so pass two can fill exactly
    // sized columns without a growable buffer and its copies.
    List<EpisodePlan> plans = new ArrayList<>();
    int obsDim = -1;
    int actDim = -1;
    String widthSource = null;
    long total = 0;
    for (int f = 0; f < hdfs.size(); f++) {
      HdfFile hdf = hdfs.get(f);
      Path file = files.get(f);
      for (Group episode : episodes(hdf, file)) {
        Dataset obsSet = observations(episode, file);
        HdfColumns.Shape obsShape = HdfColumns.matrixShape(obsSet, file);
        Dataset actSet = HdfColumns.require(episode, "actions", file);
        HdfColumns.Shape actShape = HdfColumns.matrixShape(actSet, file);
        int steps = actShape.rows();
        if (obsShape.rows() != steps + 1) {
          throw new DatasetException(
              file,
              HdfColumns.keyOf(obsSet),
              "has "
                  + obsShape.rows()
                  + " rows but '"
                  + HdfColumns.keyOf(actSet)
                  + "' has "
                  + steps
                  + "; observations need exactly one more row (the final observation)");
        }
        for (String key : List.of("rewards", "terminations", "truncations")) {
          Dataset column = HdfColumns.require(episode, key, file);
          HdfColumns.requireSameRows(
              actSet, actShape, column, HdfColumns.vectorShape(column, file), file);
        }
        if (obsDim < 0) {
          HdfColumns.requireWidth(obsSet, obsShape, expected.obsDim(), file, "observation");
          HdfColumns.requireWidth(actSet, actShape, expected.actDim(), file, "action");
          obsDim = obsShape.width();
          actDim = actShape.width();
          widthSource = HdfColumns.keyOf(obsSet);
        } else if (obsShape.width() != obsDim || actShape.width() != actDim) {
          throw new DatasetException(
              file,
              HdfColumns.keyOf(obsSet),
              "episode has observation/action widths "
                  + obsShape.width()
                  + "/"
                  + actShape.width()
                  + " but '"
                  + widthSource
                  + "' episode has "
                  + obsDim
                  + "/"
                  + actDim);
        }
        total += steps;
        plans.add(new EpisodePlan(hdf, file, episode, steps));
      }
    }
    if (total == 0) {
      throw new DatasetException(files.get(0), "no transitions: every episode has zero steps");
    }
    if (total * obsDim > Integer.MAX_VALUE - 8) {
      throw new DatasetException(
          files.get(0), "holds " + total + " steps, more than one Java array can hold");
    }
    return fill(plans, (int) total, obsDim, actDim, files);
  }

  private static Transitions fill(
      List<EpisodePlan> plans, int total, int obsDim, int actDim, List<Path> files) {
    float[] observations = new float[total * obsDim];
    float[] nextObservations = new float[total * obsDim];
    float[] actions = new float[total * actDim];
    float[] rewards = new float[total];
    float[] dones = new float[total];
    int row = 0;
    for (EpisodePlan plan : plans) {
      int steps = plan.steps();
      if (steps == 0) {
        continue;
      }
      Group episode = plan.group();
      Path file = plan.file();
      Dataset obsSet = observations(episode, file);
      float[] obs = HdfColumns.readFloats(obsSet, HdfColumns.matrixShape(obsSet, file), file);
      System.arraycopy(obs, 0, observations, row * obsDim, steps * obsDim);
      System.arraycopy(obs, obsDim, nextObservations, row * obsDim, steps * obsDim);
      Dataset actSet = HdfColumns.require(episode, "actions", file);
      float[] act = HdfColumns.readFloats(actSet, HdfColumns.matrixShape(actSet, file), file);
      System.arraycopy(act, 0, actions, row * actDim, steps * actDim);
      Dataset rewSet = HdfColumns.require(episode, "rewards", file);
      float[] rew = HdfColumns.readFloats(rewSet, HdfColumns.vectorShape(rewSet, file), file);
      System.arraycopy(rew, 0, rewards, row, steps);
      Dataset termSet = HdfColumns.require(episode, "terminations", file);
      boolean[] terms = HdfColumns.readFlags(termSet, HdfColumns.vectorShape(termSet, file), file);
      for (int t = 0; t < steps; t++) {
        dones[row + t] = terms[t] ? 1f : 0f;
      }
      row += steps;
    }
    Transitions transitions =
        Transitions.of(obsDim, actDim, observations, actions, rewards, nextObservations, dones);
    log.info(
        "Read {} transitions ({} terminal) from {} episodes in {}",
        transitions.size(),
        transitions.terminalCount(),
        plans.size(),
        files);
    return transitions;
  }

  /** The file's episode groups in numeric order; at least one is required. */
  private static List<Group> episodes(HdfFile hdf, Path file) {
    record Numbered(long id, Node node) {}
    List<Numbered> found = new ArrayList<>();
    for (Node node : hdf) {
      Matcher m = EPISODE.matcher(node.getName());
      if (m.matches()) {
        String digits = m.group(1);
        found.add(
            new Numbered(digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits), node));
      }
    }
    if (found.isEmpty()) {
      throw new DatasetException(file, "episode_0", "missing key: no 'episode_<n>' groups found");
    }
    found.sort(Comparator.comparingLong(Numbered::id));
    List<Group> groups = new ArrayList<>(found.size());
    for (Numbered n : found) {
      if (!(n.node() instanceof Group group)) {
        throw new DatasetException(file, n.node().getName(), "is a dataset, expected a group");
      }
      groups.add(group);
    }
    return groups;
  }

  private static Dataset observations(Group episode, Path file) {
    Node node = episode.getChild("observations");
    if (node instanceof Group) {
      throw new DatasetException(
          file,
          HdfFiles.keyOf(episode, "observations"),
          "is a group, i.e. a dict observation space; dict observations are not supported."
              + " Flatten them into one Box array (e.g. gymnasium.wrappers.FlattenObservation)"
              + " before collecting the dataset");
    }
    return HdfColumns.require(episode, "observations", file);
  }
}
