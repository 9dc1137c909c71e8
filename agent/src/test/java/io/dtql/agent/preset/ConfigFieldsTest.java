package io.dtql.agent.preset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtql.agent.dtql.DtqlConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigFieldsTest {
  @Test
  void namesAreKebabCaseInDeclarationOrder() {
    assertEquals("preset", ConfigFields.names().get(0));
    assertEquals("critic-learning-rate", RecordFields.kebab("criticLearningRate"));
    assertEquals(DtqlConfig.class.getRecordComponents().length, ConfigFields.names().size());
  }

  @Test
  void printedValuesParseBackToAnEqualConfig() {
    DtqlConfig original =
        ConfigFields.withOverrides(
            DtqlConfig.locomotionDefaults(),
            Map.of("learning-rate", "0.00012345678901234", "seed", "-3", "lr-decay", "true"));
    Map<String, String> printed = new LinkedHashMap<>();
    ConfigFields.values(original).forEach((k, v) -> printed.put(k, String.valueOf(v)));
    DtqlConfig reparsed = ConfigFields.withOverrides(DtqlConfig.locomotionDefaults(), printed);
    assertEquals(original, reparsed);
  }
}
