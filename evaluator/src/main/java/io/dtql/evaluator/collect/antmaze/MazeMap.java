package io.dtql.evaluator.collect.antmaze;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An antmaze grid as the server describes it (task metadata {@code maze_map}, rows joined by {@code
 * /}; {@code #} wall, {@code .} free, {@code R} start, {@code G} goal) with its cell size. Row i
 * lies at y = (i - i_R) * scale and column j at x = (j - j_R) * scale, so the start cell's centre
 * is the origin (D4RL's maze frame).
 *
 * @param rows the grid, row 0 first
 * @param scale metres per cell (D4RL's maze_size_scaling, 4)
 */
public record MazeMap(List<String> rows, double scale) {
  /** A grid cell by row and column. */
  public record Cell(int row, int col) {}

  public MazeMap {
    rows = List.copyOf(rows);
    int width = rows.isEmpty() ? 0 : rows.get(0).length();
    if (width == 0 || rows.stream().anyMatch(r -> r.length() != width)) {
      throw new IllegalArgumentException("maze rows must be non-empty and of equal length");
    }
    if (!(scale > 0)) {
      throw new IllegalArgumentException("maze scale must be > 0, got " + scale);
    }
    if (rows.stream().mapToLong(r -> r.chars().filter(c -> c == 'R').count()).sum() != 1) {
      throw new IllegalArgumentException("a maze needs exactly one start cell R: " + rows);
    }
  }

  /** The maze of a task from its spec's metadata; an error naming what is missing. */
  public static MazeMap fromMetadata(String taskId, Map<String, String> metadata) {
    String map = metadata.get("maze_map");
    String scale = metadata.get("maze_size_scaling");
    if (map == null || scale == null) {
      throw new IllegalArgumentException(
          "task " + taskId + " describes no maze (metadata maze_map and maze_size_scaling)");
    }
    return new MazeMap(List.of(map.split("/")), Double.parseDouble(scale));
  }

  public int height() {
    return rows.size();
  }

  public int width() {
    return rows.get(0).length();
  }

  public Cell start() {
    return cells('R').get(0);
  }

  /** Free cells (start, goal and plain free), row by row. */
  public List<Cell> freeCells() {
    List<Cell> out = new ArrayList<>();
    for (int i = 0; i < height(); i++) {
      for (int j = 0; j < width(); j++) {
        if (isFree(new Cell(i, j))) {
          out.add(new Cell(i, j));
        }
      }
    }
    return out;
  }

  /** Cells marked {@code kind}, row by row. */
  public List<Cell> cells(char kind) {
    List<Cell> out = new ArrayList<>();
    for (int i = 0; i < height(); i++) {
      for (int j = 0; j < width(); j++) {
        if (rows.get(i).charAt(j) == kind) {
          out.add(new Cell(i, j));
        }
      }
    }
    return out;
  }

  public boolean isFree(Cell c) {
    return c.row() >= 0
        && c.row() < height()
        && c.col() >= 0
        && c.col() < width()
        && rows.get(c.row()).charAt(c.col()) != '#';
  }

  /** The centre of a cell, {x, y}. */
  public double[] centre(Cell c) {
    Cell s = start();
    return new double[] {(c.col() - s.col()) * scale, (c.row() - s.row()) * scale};
  }

  /** The cell whose square holds the point (x, y). */
  public Cell cellAt(double x, double y) {
    Cell s = start();
    return new Cell((int) Math.round(y / scale) + s.row(), (int) Math.round(x / scale) + s.col());
  }
}
