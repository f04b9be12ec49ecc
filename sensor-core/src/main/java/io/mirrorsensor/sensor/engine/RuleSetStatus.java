package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.rules.LoadReport;
import io.mirrorsensor.rules.Rule;
import io.mirrorsensor.rules.RuleSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which rule set is in force, for the {@code stats} event's {@code detect.rules} and
 * {@code /metrics}: its version (the first 16 hex digits of the SHA-256 of the loaded rules'
 * texts, in evaluation order, so the same files give the same version on every sensor), the
 * rules loaded, failed and skipped, how long the load took, when the sensor took the set into
 * use, and how many times a hot reload switched sets. It follows the set's lineage
 * ({@link RuleSet#current()}): a reload published by {@code listen --watch} or SIGHUP shows at the
 * next {@link #stats} call (the live ticker's, within a second).
 *
 * <p>Thread-safe; the hash is computed once per set.
 */
public final class RuleSetStatus {
  private final RuleSet lineage;
  private RuleSet seen;
  private String version;
  private long inUseSinceMillis;
  private long reloads;

  /** @param inUseSinceMillis wall-clock time the initial set went into use */
  public RuleSetStatus(RuleSet initial, long inUseSinceMillis) {
    this.lineage = initial;
    this.seen = initial.current();
    this.version = version(seen);
    this.inUseSinceMillis = inUseSinceMillis;
  }

  /**
   * {@code loaded}, {@code failed}, {@code skipped}, {@code version}, {@code load_ms} (the
   * load's duration), {@code in_use_since} (Unix seconds), {@code reloads}.
   *
   * @param nowMillis the wall-clock time, taken as the switch time of a newly seen set
   */
  public synchronized Map<String, Object> stats(long nowMillis) {
    RuleSet cur = lineage.current();
    if (cur != seen) {
      seen = cur;
      version = version(cur);
      inUseSinceMillis = nowMillis;
      reloads++;
    }
    LoadReport r = seen.report();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("loaded", (long) (r == null ? seen.rules().size() : r.loaded()));
    m.put("failed", (long) (r == null ? 0 : r.failed()));
    m.put("skipped", (long) (r == null ? 0 : r.skipped()));
    m.put("version", version);
    m.put("load_ms", r == null ? 0L : r.loadNanos() / 1_000_000);
    m.put("in_use_since", inUseSinceMillis / 1000);
    m.put("reloads", reloads);
    return m;
  }

  /** The first 16 hex digits of the SHA-256 of the rules' texts, one per line. */
  static String version(RuleSet set) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JRE has SHA-256
    }
    for (Rule rule : set.rules()) {
      md.update(rule.text().getBytes(StandardCharsets.UTF_8));
      md.update((byte) '\n');
    }
    StringBuilder sb = new StringBuilder(16);
    byte[] d = md.digest();
    for (int i = 0; i < 8; i++) {
      sb.append(Character.forDigit((d[i] >> 4) & 0xF, 16)).append(Character.forDigit(d[i] & 0xF,
          16));
    }
    return sb.toString();
  }
}
