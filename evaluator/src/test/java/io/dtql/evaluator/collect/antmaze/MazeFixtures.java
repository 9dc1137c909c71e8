package io.dtql.evaluator.collect.antmaze;

import java.util.List;
import java.util.Map;

/** D4RL's three test mazes as the server's task metadata describes them. */
final class MazeFixtures {
  private MazeFixtures() {}

  static final String UMAZE = "#####/#R..#/###.#/#G..#/#####";
  static final String MEDIUM =
      "########/#R.##..#/#..#...#/##...###/#..#...#/#.#..#.#/#...#.G#/########";
  static final String LARGE =
      "############/#R...#.....#/#.##.#.#.#.#/#......#...#/#.####.###.#/#..#.#.....#"
          + "/##.#.#.#.###/#..#...#.G.#/############";

  static MazeMap maze(String map) {
    return MazeMap.fromMetadata("test", Map.of("maze_map", map, "maze_size_scaling", "4.0"));
  }

  static List<String> rows(String map) {
    return List.of(map.split("/"));
  }
}
