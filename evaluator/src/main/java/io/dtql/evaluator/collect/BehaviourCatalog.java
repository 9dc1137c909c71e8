package io.dtql.evaluator.collect;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.dtql.agent.behaviour.BehaviourPolicyFile;
import io.dtql.agent.io.AtomicFiles;
import io.dtql.agent.io.FileHashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The project's behaviour policies: a directory ({@code behaviour-policies/} in the repository)
 * with a {@code manifest.json} that lists, per task and dataset kind, the policy file(s), their
 * SHA-256 and how well they act. A {@code medium} or {@code expert} entry names one file; a {@code
 * medium-replay} entry names a schedule: uniformly random actions for some rows, then a series of
 * actor snapshots of the medium run, each for the rows it produced in that run.
 *
 * <p>Files are checked against the manifest's hash before use, so a dataset is never made from a
 * policy other than the one its metadata names.
 */
public final class BehaviourCatalog {
  public static final String MANIFEST = "manifest.json";

  /** One policy file of an entry. */
  public record PolicyRef(String file, String sha256, int rows) {}

  /**
   * One entry: {@code policies} has one element for medium/expert, the snapshot series for
   * medium-replay (whose first {@code randomRows} rows are uniformly random).
   */
  public record Entry(
      String task, String kind, int randomRows, List<PolicyRef> policies, JsonObject json) {
    /** The rows the entry's schedule covers: random rows plus every snapshot's (medium-replay). */
    public int scheduledRows() {
      return randomRows + policies.stream().mapToInt(PolicyRef::rows).sum();
    }
  }

  private final Path directory;
  private final JsonObject manifest;

  private BehaviourCatalog(Path directory, JsonObject manifest) {
    this.directory = directory;
    this.manifest = manifest;
  }

  /** The catalog in {@code directory}; an empty one if it has no manifest yet. */
  public static BehaviourCatalog open(Path directory) throws IOException {
    Path file = directory.resolve(MANIFEST);
    try {
      JsonObject json =
          JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
      if (!json.has("policies") || !json.get("policies").isJsonArray()) {
        throw new IOException(file + " has no \"policies\" list");
      }
      return new BehaviourCatalog(directory, json);
    } catch (NoSuchFileException e) {
      JsonObject empty = new JsonObject();
      empty.add("policies", new JsonArray());
      return new BehaviourCatalog(directory, empty);
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  public Path directory() {
    return directory;
  }

  /** Every entry, in manifest order. */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    for (JsonElement e : manifest.getAsJsonArray("policies")) {
      out.add(entry(e.getAsJsonObject()));
    }
    return out;
  }

  private static Entry entry(JsonObject json) {
    List<PolicyRef> refs = new ArrayList<>();
    if (json.has("segments")) {
      for (JsonElement s : json.getAsJsonArray("segments")) {
        JsonObject o = s.getAsJsonObject();
        refs.add(
            new PolicyRef(
                o.get("file").getAsString(),
                o.get("sha256").getAsString(),
                o.get("rows").getAsInt()));
      }
    } else {
      refs.add(new PolicyRef(json.get("file").getAsString(), json.get("sha256").getAsString(), 0));
    }
    int randomRows = json.has("random_rows") ? json.get("random_rows").getAsInt() : 0;
    return new Entry(
        json.get("task").getAsString(), json.get("kind").getAsString(), randomRows, refs, json);
  }

  /** The entry for a task and kind, if the catalog has one. */
  public Optional<Entry> find(String task, String kind) {
    return entries().stream()
        .filter(e -> e.task().equals(task) && e.kind().equals(kind))
        .findFirst();
  }

  /** Reads a policy file of an entry after checking its hash against the manifest. */
  public BehaviourPolicyFile load(PolicyRef ref) throws IOException {
    Path file = directory.resolve(ref.file());
    String actual = sha256(file);
    if (!actual.equals(ref.sha256())) {
      throw new IOException(
          file
              + " has SHA-256 "
              + actual
              + " but "
              + directory.resolve(MANIFEST)
              + " records "
              + ref.sha256()
              + ": the file is not the policy the manifest describes");
    }
    return BehaviourPolicyFile.read(file);
  }

  /** Adds or replaces the entry for (task, kind) and rewrites the manifest atomically. */
  public void put(JsonObject entry) throws IOException {
    String task = entry.get("task").getAsString();
    String kind = entry.get("kind").getAsString();
    JsonArray kept = new JsonArray();
    for (JsonElement e : manifest.getAsJsonArray("policies")) {
      JsonObject o = e.getAsJsonObject();
      if (!(o.get("task").getAsString().equals(task) && o.get("kind").getAsString().equals(kind))) {
        kept.add(o);
      }
    }
    kept.add(entry);
    manifest.add("policies", kept);
    Files.createDirectories(directory);
    String text = new GsonBuilder().setPrettyPrinting().create().toJson(manifest) + "\n";
    AtomicFiles.write(directory.resolve(MANIFEST), text.getBytes(StandardCharsets.UTF_8));
  }

  /** SHA-256 of a file, hex. */
  public static String sha256(Path file) throws IOException {
    return FileHashes.sha256(file);
  }
}
