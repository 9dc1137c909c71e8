package io.dtql.evaluator.report;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * A training run directory written by hand, as {@code dtql train} lays it out: {@code config.json}
 * and {@code metrics.jsonl} (rows added one by one, possibly cut short at the end), and what tests
 * of reports check about the result.
 */
public final class RunFixture {
  public static final String SHA256 =
      "79e9f2bcdb8b7aa6b2a65c11aab02087464b58ce8cf9c5d6c66814b5d7203ee0";
  public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  private final Path dir;
  private final StringBuilder metrics = new StringBuilder();

  private RunFixture(Path dir) {
    this.dir = dir;
  }

  /** A hopper-medium run of seed 7 (pretraining 100 steps, 900 steps in all). */
  public static RunFixture create(Path parent) throws IOException {
    Path dir = Files.createDirectories(parent.resolve("hopper-medium__dtql__7__20261201-120000"));
    RunFixture run = new RunFixture(dir);
    run.config(
        """
        {
          "algorithm": "dtql",
          "config": {
            "preset": "hopper-medium", "seed": 7, "hidden-dim": 64, "batch-size": 32,
            "learning-rate": 1.0E-4, "critic-learning-rate": 3.0E-4, "lr-decay": false,
            "train-steps": 800, "pretrain-steps": 100, "alpha": 5.0, "gamma": 0.0,
            "discount": 0.99, "expectile": 0.7, "target-tau": 0.005, "reward-shift": 0.0,
            "num-candidates": 1024
          },
          "dataset": "/data/hopper-medium-v2.hdf5",
          "dataset_files": [
            {"path": "/data/hopper-medium-v2.hdf5", "size_bytes": 166004977, "sha256": "%s"}
          ],
          "shape": {"obs_dim": 11, "act_dim": 3, "max_action": 1.0},
          "device": "cpu()",
          "outputs": {"checkpoint_every": 0, "keep_checkpoints": 3, "log_every": 100,
                      "write_csv": false, "eval_every": 300, "eval_episodes": 5},
          "code": {"git_commit": "%s", "git_commit_time": "2026-12-01T12:00:00+00:00",
                   "git_dirty": "false", "version": "0.1.0-SNAPSHOT"}
        }
        """
            .formatted(SHA256, COMMIT));
    return run;
  }

  public Path dir() {
    return dir;
  }

  /** Replaces {@code config.json}. */
  public RunFixture config(String json) throws IOException {
    Files.writeString(dir.resolve("config.json"), json, StandardCharsets.UTF_8);
    return this;
  }

  /** Appends one complete line to {@code metrics.jsonl}. */
  public RunFixture line(String json) throws IOException {
    metrics.append(json).append('\n');
    return flush();
  }

  /** A training row: losses, Q/V estimates and learning rates (the actor's after pretraining). */
  public RunFixture trainingRow(long step) throws IOException {
    StringBuilder row = new StringBuilder();
    row.append(
        String.format(
            Locale.ROOT,
            "{\"step\":%d,\"wall_time_s\":%.1f,\"charts/steps_per_s\":5.0,"
                + "\"charts/lr_critic\":3.0E-4,\"charts/lr_bc\":1.0E-4,"
                + "\"losses/critic\":%.3f,\"losses/value\":%.3f,\"losses/bc\":%.3f,"
                + "\"values/q_mean\":%.2f,\"values/v_mean\":%.2f",
            step,
            step / 5.0,
            30.0 / (1 + step / 100.0),
            1.0 / (1 + step / 50.0),
            0.5 + 0.5 / (1 + step / 100.0),
            step / 50.0,
            step / 50.0 + 0.5));
    if (step > 100) {
      row.append(
          String.format(
              Locale.ROOT,
              ",\"charts/lr_actor\":1.0E-4,\"losses/actor\":%.3f,\"losses/trust_region\":0.7",
              -step / 100.0));
    }
    return line(row.append('}').toString());
  }

  /**
   * A row with an evaluation: {@code eval/*} as TrainingEvaluation writes them, with the normalised
   * score's and the return's interval when {@code withCi}.
   */
  public RunFixture evaluationRow(long step, double score, double std, boolean withCi)
      throws IOException {
    double ret = 20 + 32 * score;
    StringBuilder row =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "{\"step\":%d,\"wall_time_s\":%.1f,\"losses/critic\":1.5,"
                    + "\"eval/return_mean\":%.2f,\"eval/return_std\":%.2f,"
                    + "\"eval/return_min\":%.2f,\"eval/return_max\":%.2f,"
                    + "\"eval/length_mean\":200.0,\"eval/normalized_mean\":%.2f,"
                    + "\"eval/normalized_std\":%.2f,\"eval/seconds\":3.5",
                step,
                step / 5.0,
                ret,
                32 * std,
                ret - 64,
                ret + 64,
                score,
                std));
    if (withCi) {
      row.append(
          String.format(
              Locale.ROOT,
              ",\"eval/normalized_ci_low\":%.2f,\"eval/normalized_ci_high\":%.2f,"
                  + "\"eval/return_ci_low\":%.2f,\"eval/return_ci_high\":%.2f",
              score - 1.25,
              score + 1.5,
              ret - 40,
              ret + 48));
    }
    return line(row.append('}').toString());
  }

  /** Appends the start of a row without its end, as a run killed while writing it leaves. */
  public RunFixture tornLine(String start) throws IOException {
    metrics.append(start);
    return flush();
  }

  private RunFixture flush() throws IOException {
    Files.writeString(dir.resolve("metrics.jsonl"), metrics.toString(), StandardCharsets.UTF_8);
    return this;
  }

  /** The image links of a Markdown file, in order. */
  public static List<String> imageLinks(String markdown) {
    List<String> links = new ArrayList<>();
    Matcher m = Pattern.compile("!\\[[^\\]]*\\]\\(([^)]+)\\)").matcher(markdown);
    while (m.find()) {
      links.add(m.group(1));
    }
    return links;
  }

  /** Every image the report links exists beside it (relative link) and is a readable PNG. */
  public static List<String> assertLinkedImagesArePngs(Path report) throws IOException {
    String markdown = Files.readString(report);
    List<String> links = imageLinks(markdown);
    for (String link : links) {
      assertTrue(!link.startsWith("/") && !link.contains(":"), "relative link: " + link);
      Path image = report.resolveSibling(link);
      assertTrue(Files.isRegularFile(image), "linked image exists: " + image);
      byte[] bytes = Files.readAllBytes(image);
      assertTrue(
          bytes.length > 8 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G',
          "PNG signature: " + image);
      BufferedImage png = ImageIO.read(image.toFile());
      assertNotNull(png, "a readable image: " + image);
      assertTrue(png.getWidth() > 100 && png.getHeight() > 100, link);
    }
    return links;
  }
}
