package io.mirrorsensor.decode;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for {@link PacketDecoder#decode}: frames of every link type, several per input
 * through one decoder (so IP fragments meet in its reassembly table). A plain test run replays
 * the seeds in {@code PacketDecoderFuzzTestInputs/decode/}; {@code JAZZER_FUZZ=1} fuzzes
 * (docs/FUZZING.md).
 *
 * <p>Input: records of {@code [link selector][flags][len hi][len lo][frame...]}, the last one cut
 * short by the end of the input. Flags bit 0: validate checksums (first record decides); bit 1:
 * claim more bytes on the wire than captured.
 */
class PacketDecoderFuzzTest {
  static final int[] LINK_TYPES = {LinkType.ETHERNET, LinkType.RAW, LinkType.DLT_RAW_12,
      LinkType.DLT_RAW_14, LinkType.IPV4, LinkType.IPV6, LinkType.NULL, LinkType.LOOP,
      LinkType.LINUX_SLL, LinkType.LINUX_SLL2, 999};

  @FuzzTest(maxDuration = "60s")
  void decode(byte[] data) {
    boolean validate = data.length > 1 && (data[1] & 1) != 0;
    DecoderConfig config = DecoderConfig.defaults().withValidateChecksums(validate)
        .withFragmentLimits(8, 4096, 16_384, 4, 1_000_000L);
    PacketDecoder decoder = new PacketDecoder(config);
    DecodedPacket out = new DecodedPacket();
    long ts = 0;
    int p = 0;
    while (p + 4 <= data.length) {
      int link = LINK_TYPES[(data[p] & 0xFF) % LINK_TYPES.length];
      int flags = data[p + 1];
      int len = Math.min(((data[p + 2] & 0xFF) << 8) | (data[p + 3] & 0xFF), data.length - p - 4);
      int off = p + 4;
      int origLen = (flags & 2) != 0 ? len + 100 : len;
      ts += 1_000_000L;
      DecodeStatus st = decoder.decode(data, off, len, origLen, link, ts, out);
      assertNotNull(st);
      assertSame(st, out.status);
      assertConsistent(out);
      FlowKey.hash(out, 1);
      MirrorSignature.of(out);
      if (out.hasFlowKey()) {
        FlowKey k = FlowKey.of(out, 1);
        assertTrue(k.matches(out, 1));
        assertEquals(k.hash(), FlowKey.hash(out, 1));
        assertNotNull(k.communityId());
      }
      p = off + len;
    }
  }

  static void assertConsistent(DecodedPacket p) {
    assertNotNull(p.buf);
    if (p.l3Offset >= 0 && p.ipVersion != 0) {
      assertTrue(p.l3Offset + p.ipCapturedLength <= p.buf.length, "l3 within buffer");
    }
    if (p.payloadOffset >= 0) {
      assertTrue(p.payloadLength >= 0, "payload length");
      assertTrue(p.payloadOffset + p.payloadLength <= p.buf.length, "payload within buffer");
      assertTrue(p.payloadWireLength >= 0, "payload wire length");
    }
    assertTrue(p.anomalyCount >= 0);
    assertTrue(p.tunnelDepth <= 4);
  }
}
