package io.dtql.evaluator.report;

import ai.djl.engine.Engine;
import com.google.gson.JsonObject;
import io.dtql.agent.io.FileHashes;
import io.dtql.agent.runtime.BuildInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What produced a result, as named fields in display order: for a report's "Provenance" section (a
 * two-column Markdown table) or its JSON. {@link #software()} describes the code running in this
 * process (git commit, Java, DJL and PyTorch versions); reports add their own fields with {@link
 * #with} and {@link #withFile}, e.g. a dataset or a checkpoint with its size and SHA-256, the
 * selection mode, a simulator version. Adding a field of a name already present replaces its value
 * in place.
 *
 * @param fields the fields in display order, names unique
 */
public record Provenance(List<Field> fields) {
  /** The field of the commit of the code that wrote the report. */
  public static final String CODE = "dtql code (git commit)";

  public static final String VERSION = "dtql version";
  public static final String JAVA = "Java";
  public static final String DJL = "DJL";
  public static final String ENGINE = "deep learning engine";
  public static final String OS = "operating system";

  /**
   * One named value.
   *
   * @param name what it is, e.g. "dataset"
   * @param value one line
   */
  public record Field(String name, String value) {
    public Field {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a provenance field needs a name");
      }
    }
  }

  public Provenance {
    Map<String, Field> unique = new LinkedHashMap<>();
    for (Field field : fields) {
      unique.put(field.name(), field);
    }
    if (unique.size() != fields.size()) {
      throw new IllegalArgumentException("provenance field names repeat: " + fields);
    }
    fields = List.copyOf(fields);
  }

  /** No fields. */
  public static Provenance empty() {
    return new Provenance(List.of());
  }

  /**
   * The code running in this process: its git commit (embedded at build time, "unknown" without
   * git), the dtql version, Java, DJL and the engine DJL uses with its version. Loads the engine
   * (its native library) if it is not loaded yet; an engine that cannot load is described, not
   * thrown.
   */
  public static Provenance software() {
    BuildInfo build = BuildInfo.current();
    return empty()
        .with(CODE, build.describe())
        .with(VERSION, build.version())
        .with(
            JAVA,
            System.getProperty("java.version")
                + " ("
                + System.getProperty("java.vendor")
                + ", "
                + System.getProperty("java.vm.name")
                + ")")
        .with(DJL, Engine.getDjlVersion())
        .with(ENGINE, engine())
        .with(
            OS,
            System.getProperty("os.name")
                + " "
                + System.getProperty("os.version")
                + " ("
                + System.getProperty("os.arch")
                + ")");
  }

  private static String engine() {
    try {
      Engine engine = Engine.getInstance();
      return engine.getEngineName() + " " + engine.getVersion();
    } catch (RuntimeException | LinkageError e) {
      return "unavailable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }
  }

  /** These fields and {@code name}: appended, or replacing the value of that name in place. */
  public Provenance with(String name, String value) {
    List<Field> next = new ArrayList<>(fields.size() + 1);
    boolean replaced = false;
    for (Field field : fields) {
      if (field.name().equals(name)) {
        next.add(new Field(name, value));
        replaced = true;
      } else {
        next.add(field);
      }
    }
    if (!replaced) {
      next.add(new Field(name, value));
    }
    return new Provenance(next);
  }

  /** These fields and every field of {@code other}, in order (as {@link #with} each). */
  public Provenance with(Provenance other) {
    Provenance result = this;
    for (Field field : other.fields) {
      result = result.with(field.name(), field.value());
    }
    return result;
  }

  /**
   * These fields and {@code name}: the file's path, size and SHA-256 (reads the whole file), e.g. a
   * checkpoint; a file that cannot be read is described as such.
   */
  public Provenance withFile(String name, Path file) {
    return with(name, describeFile(file));
  }

  /** A file as {@code PATH (N bytes, sha256 HEX)}, or what stopped it from being read. */
  public static String describeFile(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    try {
      return describeFile(absolute, Files.size(absolute), FileHashes.sha256(absolute));
    } catch (IOException e) {
      return absolute + " (unreadable: " + e.getMessage() + ")";
    }
  }

  /** A file of known size and hash as {@code PATH (N bytes, sha256 HEX)}. */
  public static String describeFile(Path path, long sizeBytes, String sha256) {
    return String.format(Locale.ROOT, "%s (%,d bytes, sha256 %s)", path, sizeBytes, sha256);
  }

  /** The value of {@code name}, if present. */
  public Optional<String> get(String name) {
    return fields.stream().filter(f -> f.name().equals(name)).map(Field::value).findFirst();
  }

  /** The fields as a two-column Markdown table (values in code spans are not used: paths wrap). */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder("| | |\n|---|---|\n");
    for (Field field : fields) {
      md.append("| ")
          .append(Markdown.cell(field.name()))
          .append(" | ")
          .append(Markdown.cell(field.value()))
          .append(" |\n");
    }
    return md.toString();
  }

  /** The fields as one JSON object, in order. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    fields.forEach(field -> json.addProperty(field.name(), field.value()));
    return json;
  }

  /** The fields as an ordered map. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    fields.forEach(field -> map.put(field.name(), field.value()));
    return map;
  }
}
