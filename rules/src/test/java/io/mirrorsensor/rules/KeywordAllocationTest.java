package io.mirrorsensor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mirrorsensor.decode.app.dns.DnsConfig;
import io.mirrorsensor.decode.app.dns.DnsParser;
import io.mirrorsensor.decode.app.tls.TlsTransaction;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Transformed buffers, multi-buffers and byte_extract allocate nothing per transaction or packet
 * once warm: measured with the JVM's per-thread allocation counter, as decoders' AllocationTest.
 */
class KeywordAllocationTest {
  private long alerts;

  @Test
  void transformsMultiBuffersAndByteExtractAllocateNothingWhenWarm() throws Exception {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "needs HotSpot thread counters");
    com.sun.management.ThreadMXBean hs = (com.sun.management.ThreadMXBean) mx;
    assumeTrue(hs.isThreadAllocatedMemorySupported());
    hs.setThreadAllocatedMemoryEnabled(true);
    RuleSet set = AppLayerDetectorTest.load(
        "alert dns any any -> any any (dns.query; dotprefix; content:\".example.net\"; endswith; sid:1;)",
        "alert dns any any -> any any (dns.query; to_uppercase; compress_whitespace; to_sha256; bsize:32; sid:2;)",
        "alert dns any any -> any any (dns.answers.rrname; dotprefix; content:\".example.net\"; endswith; sid:3;)",
        "alert dns any any -> any any (dns.opcode:0; dns.rcode:0; flow:to_client; sid:4;)",
        "alert tls any any -> any any (tls.certs; content:\"intermediate\"; sid:5;)",
        "alert tls any any -> any any (tls.subjectaltname; url_decode; content:\"example.test\"; endswith; sid:6;)",
        "alert tls any any -> any any (flow:to_client; tls.random_bytes; to_md5; bsize:16; sid:7;)",
        "alert tcp any any -> any any (content:\"|16|\"; byte_extract:2,0,len,relative; content:\"hello\"; within:len; sid:8;)");
    assertEquals(8, set.report().loaded(), set.report().summary());
    Detector d = set.newDetector();
    DetectorTest.Flow flow = new DetectorTest.Flow(set);
    AlertSink sink = (r, p) -> alerts++;
    TlsTransaction tls = TlsDnsKeywordTest.tls12WithChain();
    io.mirrorsensor.decode.DecodedPacket pkt = DetectorTest.tcp("\u0016\u0000\u0005hello", 1, 2, 0x18);
    long[] allocated = {-1};
    DnsParser p = new DnsParser(DnsConfig.defaults(), tx -> {
      for (int i = 0; i < 50_000; i++) { // warm up: scratch grown, JIT compiled
        d.inspectDns(tx, 1, flow, sink);
        d.inspectTls(tls, 1, flow, sink);
        d.inspect(pkt, null, sink);
      }
      long tid = Thread.currentThread().getId();
      long before = hs.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 20_000; i++) {
        d.inspectDns(tx, 1, flow, sink);
        d.inspectTls(tls, 1, flow, sink);
        d.inspect(pkt, null, sink);
      }
      allocated[0] = hs.getThreadAllocatedBytes(tid) - before;
    });
    byte[] q = TlsDnsKeywordTest.dns(9, 0x0100, "www.example.net");
    byte[] r = TlsDnsKeywordTest.dns(9, 0x8180, "www.example.net", "cdn.example.net");
    p.onMessage(q, 0, q.length, 1, false);
    alerts = 0;
    p.onMessage(r, 0, r.length, 2, false);
    // every rule fires in every round (70k rounds, 8 rules): the measured path is the matching one
    assertEquals(70_000L * 8, alerts);
    // one object per round would be >= 16 bytes x 20k = 320 KB; the bound leaves room for the
    // few one-off allocations a late JIT recompilation (deoptimised frames) makes on a loaded
    // machine (seen: 2,168 bytes at load average 12), and still fails any per-round allocation
    assertTrue(allocated[0] >= 0 && allocated[0] < 16 * 1024,
        "allocated " + allocated[0] + " bytes over 20k rounds");
  }
}
