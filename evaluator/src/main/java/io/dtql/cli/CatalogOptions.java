package io.dtql.cli;

import io.dtql.envbridge.launcher.ProjectRoot;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the behaviour-policy catalog is: {@code --policies DIR}, else the repository's. */
final class CatalogOptions {
  @Option(
      names = "--policies",
      paramLabel = "DIR",
      description = "Behaviour-policy catalog (manifest.json). Default: behaviour-policies/.")
  Path policies;

  Path directory() {
    return policies != null ? policies : ProjectRoot.locate().resolve("behaviour-policies");
  }
}
