package io.mirrorsensor.sensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.rules.Rule;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.DiscardingEventSink;
import io.mirrorsensor.sensor.engine.PacketProcessor;
import io.mirrorsensor.sensor.flow.Flow;
import io.mirrorsensor.sensor.testing.Dirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload under a running packet loop: samples/vxlan.pcap is replayed again and again (each
 * round an hour later, so every round makes new flows) by one thread, while another reloads the
 * rule file. The packet loop never stops, the rule that exists before and after fires in every
 * round, the new rule fires once the workers switched, and the stats count what the sink got.
 */
class RulesReloadTest {
  static final String V1 = "alert tcp any any -> any any (msg:\"index\"; content:\"GET /index.html\"; flowbits:set,a; sid:1;)\n";
  static final String V2 = V1
      + "alert tcp any any -> any any (msg:\"seen\"; flowbits:isset,a; content:\"HTTP/1.\"; flowbits:set,b; sid:2;)\n"
      + "alert udp any any -> any 53 (msg:\"new dns\"; content:\"|07|example|03|com\"; nocase; sid:3;)\n";

  @TempDir Path tmp;

  static final class Counting extends DiscardingEventSink {
    final Map<Long, AtomicLong> bySid = new ConcurrentHashMap<>();
    final AtomicLong all = new AtomicLong();

    @Override
    public void ruleAlert(Flow flow, Rule rule, boolean fromSrc, long ts, long cnt) {
      bySid.computeIfAbsent(rule.sid(), k -> new AtomicLong()).incrementAndGet();
      all.incrementAndGet();
    }

    long of(long sid) {
      AtomicLong n = bySid.get(sid);
      return n == null ? 0 : n.get();
    }
  }

  static List<CaptureRecord> records() throws Exception {
    List<CaptureRecord> out = new ArrayList<>();
    try (CaptureReader r = CaptureReader.open(Dirs.root().resolve("samples/vxlan.pcap"))) {
      while (true) {
        CaptureRecord rec = new CaptureRecord();
        if (!r.next(rec)) {
          break;
        }
        rec.buf = java.util.Arrays.copyOfRange(rec.buf, rec.offset, rec.offset + rec.capLen);
        rec.offset = 0;
        out.add(rec);
      }
    }
    return out;
  }

  @Test
  @SuppressWarnings("unchecked")
  void reloadUnderARunningLoopSwitchesWithoutLosingCounts() throws Exception {
    Path file = tmp.resolve("local.rules");
    Files.writeString(file, V1, StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(log, true);
    RuleSet v1 = RulesOption.load(List.of(file), err);
    List<CaptureRecord> recs = records();
    Counting sink = new Counting();
    PacketProcessor pp = new PacketProcessor(SensorConfig.defaults().withRules(v1), sink);
    int rounds = 40;
    int reloadAt = 10;
    CountDownLatch reloadNow = new CountDownLatch(1);
    CountDownLatch reloaded = new CountDownLatch(1);
    long[] roundOfSwitch = {-1};
    Thread loop = new Thread(() -> {
      for (int round = 0; round < rounds; round++) {
        if (round == reloadAt) {
          reloadNow.countDown();
        }
        if (roundOfSwitch[0] < 0 && v1.current() != v1) {
          roundOfSwitch[0] = round;
        }
        long shift = round * 3_600_000_000_000L;
        for (CaptureRecord r : recs) {
          pp.process(r.buf, 0, r.capLen, r.origLen, r.linkType, r.tsNanos + shift, r.number);
        }
        if (round == rounds - 2) {
          try {
            reloaded.await(30, TimeUnit.SECONDS); // the last round runs after the switch
          } catch (InterruptedException e) {
            return;
          }
        }
      }
      pp.finish();
    }, "packet-loop");
    RulesOption.Reloader reloader = new RulesOption.Reloader(List.of(file), v1, err);
    loop.start();
    assertTrue(reloadNow.await(30, TimeUnit.SECONDS));
    Files.writeString(file, V2, StandardCharsets.ISO_8859_1);
    assertTrue(reloader.reload(), log.toString());
    reloaded.countDown();
    loop.join(60_000);
    assertFalse(loop.isAlive());
    reloader.close();

    RuleSet v2 = v1.current();
    assertEquals(3, v2.rules().size());
    assertEquals(List.of("a", "b"), v2.flowbitNames(), "old flowbits keep their bit numbers");
    assertEquals(rounds, sink.of(1), "the rule in both sets fires in every round, across the switch");
    long after = sink.of(3);
    assertTrue(after >= 1 && after <= rounds - reloadAt, "new rule fires after the switch: " + after);
    // request and response both carry HTTP/1.: two per round once flowbit a (old bit 0) is seen;
    // in the round of the switch a flow may have its request under the old set and its response
    // under the new one, which then reads the bit the old set wrote
    long seen = sink.of(2);
    assertTrue(seen >= 2 && Math.abs(seen - 2 * after) <= 2, "sid 2 " + seen + ", sid 3 " + after);
    Map<String, Object> stats = pp.stats(0);
    Map<String, Object> detect = (Map<String, Object>) stats.get("detect");
    assertEquals(sink.all.get(), detect.get("rule_alerts"), "stats count every alert written");
    assertTrue(log.toString().contains("rules reloaded: 3 rules loaded"), log.toString());
  }

  @Test
  void aFileWithErrorsKeepsTheLoadedRulesAndSaysWhy() throws Exception {
    Path file = tmp.resolve("local.rules");
    Files.writeString(file, V1, StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(log, true);
    RuleSet v1 = RulesOption.load(List.of(file), err);
    try (RulesOption.Reloader reloader = new RulesOption.Reloader(List.of(file), v1, err)) {
      Files.writeString(file, V1 + "alert tcp any any -> any any (contnet:\"x\"; sid:9;)\n");
      assertFalse(reloader.reload());
      assertSame(v1, v1.current());
      assertTrue(log.toString().contains("contnet: unknown keyword"), log.toString());
      assertTrue(log.toString().contains("keeping the loaded rules"), log.toString());
      Files.delete(file);
      assertFalse(reloader.reload());
      assertSame(v1, v1.current());
      assertEquals(2, reloader.rejected());
    }
  }

  @Test
  void theWatchReloadsWhenAFileChanges() throws Exception {
    Path file = tmp.resolve("local.rules");
    Files.writeString(file, V1, StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(log, true);
    RuleSet v1 = RulesOption.load(List.of(file), err);
    try (RulesOption.Reloader reloader = new RulesOption.Reloader(List.of(file), v1, err)) {
      reloader.watch(20);
      Files.writeString(file, V2, StandardCharsets.ISO_8859_1);
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (v1.current() == v1 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(3, v1.current().rules().size(), log.toString());
      assertEquals(1, reloader.reloads());
    }
  }

  @Test
  void sighupReloads() throws Exception {
    Path file = tmp.resolve("local.rules");
    Files.writeString(file, V1, StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(log, true);
    RuleSet v1 = RulesOption.load(List.of(file), err);
    try (RulesOption.Reloader reloader = new RulesOption.Reloader(List.of(file), v1, err)) {
      org.junit.jupiter.api.Assumptions.assumeTrue(reloader.onSighup(), log.toString());
      Files.writeString(file, V2, StandardCharsets.ISO_8859_1);
      Class<?> signal = Class.forName("sun.misc.Signal");
      signal.getMethod("raise", signal).invoke(null,
          signal.getConstructor(String.class).newInstance("HUP"));
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (v1.current() == v1 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(3, v1.current().rules().size(), log.toString());
      assertTrue(log.toString().contains("SIGHUP: reloading rules"), log.toString());
    }
  }
}
