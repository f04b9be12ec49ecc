package io.mirrorsensor.rules;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for the rule language: any text through {@link RuleLoader#loadText} yields a rule
 * set or its documented {@link RuleLoadException} (strict mode), never anything else; a loaded
 * set must build a detector. Byte 0 bit 0 chooses strict mode; the rest is the rules file
 * (ISO-8859-1, as {@link RuleLoader#load} reads files). Seeds: {@code
 * RuleLoaderFuzzTestInputs/loadText/}.
 */
class RuleLoaderFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void loadText(byte[] data) {
    if (data.length == 0) {
      return;
    }
    boolean strict = (data[0] & 1) != 0;
    String text = new String(data, 1, data.length - 1, StandardCharsets.ISO_8859_1);
    RuleSet set;
    try {
      set = RuleLoader.loadText("fuzz.rules", text, RuleOptions.defaults().withStrict(strict));
    } catch (RuleLoadException e) {
      assertTrue(strict, "only strict mode throws");
      return;
    }
    assertNotNull(set);
    assertNotNull(set.newDetector());
  }
}
