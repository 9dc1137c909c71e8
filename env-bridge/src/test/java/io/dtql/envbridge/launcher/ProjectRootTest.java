package io.dtql.envbridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectRootTest {
  @TempDir Path dir;

  @Test
  void systemPropertyWinsOverEnvironmentAndWorkingDirectory() throws Exception {
    Path root = Files.createDirectories(dir.resolve("a/python-env-server")).getParent();
    assertEquals(root, ProjectRoot.locate(root.toString(), "/nowhere", Path.of("/")));
  }

  @Test
  void environmentVariableIsUsedWhenNoProperty() throws Exception {
    Path root = Files.createDirectories(dir.resolve("b/python-env-server")).getParent();
    assertEquals(root, ProjectRoot.locate(null, root.toString(), Path.of("/")));
  }

  @Test
  void walksUpFromTheWorkingDirectory() throws Exception {
    Files.createDirectories(dir.resolve("python-env-server"));
    Path nested = Files.createDirectories(dir.resolve("x/y/z"));
    assertEquals(dir, ProjectRoot.locate(null, null, nested));
  }

  @Test
  void pointingAtADirectoryWithoutTheServerIsAClearError() {
    var error =
        assertThrows(
            EnvServerStartException.class,
            () -> ProjectRoot.locate(dir.toString(), null, Path.of("/")));
    assertTrue(error.getMessage().contains("dtql.home"), error.getMessage());
    assertTrue(error.getMessage().contains("python-env-server"), error.getMessage());
  }

  @Test
  void nothingFoundNamesWhatWasLookedFor() {
    var error =
        assertThrows(EnvServerStartException.class, () -> ProjectRoot.locate(null, null, dir));
    assertTrue(error.getMessage().contains("DTQL_HOME"), error.getMessage());
    assertTrue(error.getMessage().contains(dir.toString()), error.getMessage());
  }
}
