package io.dtql.evaluator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {
  @TempDir Path tmp;

  @Test
  void fieldsKeepTheirOrderAndAddingANameAgainReplacesItsValueInPlace() {
    Provenance p =
        Provenance.empty()
            .with("checkpoint", "a.ckpt")
            .with("selection", "reference")
            .with("checkpoint", "b.ckpt");

    assertEquals(List.of("checkpoint", "selection"), List.copyOf(p.asMap().keySet()));
    assertEquals(Optional.of("b.ckpt"), p.get("checkpoint"));
    assertEquals(
        List.of("checkpoint", "selection", "simulator"),
        List.copyOf(p.with(Provenance.empty().with("simulator", "mujoco 3")).asMap().keySet()));
    assertEquals("reference", p.toJson().get("selection").getAsString());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Provenance(
                List.of(new Provenance.Field("a", "1"), new Provenance.Field("a", "2"))));
  }

  @Test
  void aFileIsDescribedByPathSizeAndSha256() throws IOException {
    Path file = Files.writeString(tmp.resolve("model.ckpt"), "abc");

    String value = Provenance.empty().withFile("checkpoint", file).get("checkpoint").orElseThrow();

    assertEquals(
        file.toAbsolutePath()
            + " (3 bytes, sha256"
            + " ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad)",
        value);
    assertTrue(
        Provenance.describeFile(tmp.resolve("missing")).contains("unreadable"),
        "a missing file is described, not thrown");
  }

  @Test
  void theMarkdownTableKeepsNamesLiteralAndOnOneLine() {
    String md = Provenance.empty().with("run", "hopper__dtql__0 | x\nnext").toMarkdown();

    assertEquals("| | |\n|---|---|\n| run | hopper\\_\\_dtql\\_\\_0 \\| x next |\n", md);
  }

  @Test
  void theSoftwareOfThisProcessNamesCommitJavaDjlAndEngine() {
    Provenance software = Provenance.software();

    assertTrue(software.get(Provenance.CODE).isPresent());
    assertEquals(
        Optional.of(System.getProperty("java.version")),
        software.get(Provenance.JAVA).map(v -> v.substring(0, v.indexOf(' '))));
    assertTrue(software.get(Provenance.DJL).orElseThrow().matches("\\d+\\.\\d+\\.\\d+.*"));
    assertTrue(
        software.get(Provenance.ENGINE).orElseThrow().startsWith("PyTorch "), software.toString());
  }
}
