package io.mirrorsensor.decode.app.dns;

import static io.mirrorsensor.decode.app.dns.DnsMessage.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Byte fixtures, hand-built with {@link DnsBytes}, one per feature and per anomaly. */
class DnsMessageTest {
  private final DnsMessage m = new DnsMessage(DnsConfig.defaults());

  static byte[] query(int id, String name, int type) {
    return DnsBytes.header(id, 0x0100, 1, 0, 0, 0).question(name, type).bytes();
  }

  /** Response to www.example.com A: CNAME to web.example.com, then its A record. */
  static byte[] cnameResponse(int id) {
    DnsBytes b = DnsBytes.header(id, 0x8180, 1, 2, 0, 0).question("www.Example.com", TYPE_A);
    int cnameRdata = b.size() + 12;
    b.rr(12, TYPE_CNAME, 300, DnsBytes.rdata(r -> r.u8(3).raw("web".getBytes()).pointer(16)));
    b.rr(cnameRdata, TYPE_A, 60, new byte[] {93, (byte) 184, (byte) 216, 34});
    return b.bytes();
  }

  @Test
  void parsesResponseWithCompressedNames() {
    byte[] b = cnameResponse(0x1234);
    assertEquals(DnsStatus.OK, m.parse(b, 0, b.length));
    assertEquals(0x1234, m.id());
    assertTrue(m.isResponse());
    assertEquals(0, m.rcode());
    assertEquals(3, m.records());
    assertEquals(2, m.sectionCount(SECTION_ANSWER));
    assertEquals("www.Example.com", m.nameText(0));
    assertEquals(TYPE_A, m.qtype());
    assertEquals("www.example.com", DnsMessage.flatNameText(m.qname(), m.qnameLength()));
    assertEquals("web.Example.com", m.rdataText(1));
    assertEquals("www.Example.com", m.nameText(1));
    assertEquals("web.Example.com", m.nameText(2));
    assertEquals("93.184.216.34", m.rdataText(2));
    assertEquals(60, m.ttl(2));
    assertNull(m.event());
  }

  @Test
  void parsesEachRecordType() {
    DnsBytes b = DnsBytes.header(7, 0x8180, 1, 9, 0, 1).question("x.org", 255);
    byte[] v6 = new byte[16];
    v6[0] = 0x20;
    v6[1] = 0x01;
    v6[2] = 0x0d;
    v6[3] = (byte) 0xb8;
    v6[15] = 1;
    b.rr(12, TYPE_AAAA, 1, v6);
    b.rr(12, TYPE_NS, 2, DnsBytes.rdata(r -> r.name("ns1.x.org")));
    b.rr(12, TYPE_PTR, 3, DnsBytes.rdata(r -> r.u8(1).raw((byte) 'p').pointer(12)));
    b.rr(12, TYPE_MX, 4, DnsBytes.rdata(r -> r.u16(10).name("mail.x.org")));
    b.rr(12, TYPE_TXT, 5, DnsBytes.rdata(r -> r.u8(3).raw("v=s".getBytes()).u8(2)
        .raw("pf".getBytes())));
    b.rr(12, TYPE_SOA, 6, DnsBytes.rdata(r -> r.name("ns1.x.org").name("admin.x.org")
        .u32(2024010101L).u32(7200).u32(3600).u32(1209600).u32(300)));
    b.rr(12, TYPE_SRV, 7, DnsBytes.rdata(r -> r.u16(1).u16(2).u16(5060).name("sip.x.org")));
    b.rr(12, TYPE_HTTPS, 8, DnsBytes.rdata(r -> r.u16(1).name(".").u16(1).u16(3).u8(2)
        .raw("h2".getBytes())));
    b.rr(12, 99, 9, new byte[] {1, 2});
    b.u8(0).u16(TYPE_OPT).u16(1232).u32(0x8000).u16(0);
    byte[] w = b.bytes();
    assertEquals(DnsStatus.OK, m.parse(w, 0, w.length), () -> String.valueOf(m.event()));
    assertNull(m.event());
    assertEquals(11, m.records());
    assertEquals("2001:db8::1", m.rdataText(1));
    assertEquals("ns1.x.org", m.rdataText(2));
    assertEquals("p.x.org", m.rdataText(3));
    assertEquals("mail.x.org", m.rdataText(4));
    assertEquals("v=spf", m.rdataText(5));
    assertEquals("ns1.x.org", m.rdataText(6));
    assertEquals("admin.x.org", m.soaRname(6));
    assertEquals(2024010101L, m.soaField(6, 0));
    assertEquals(300, m.soaField(6, 4));
    assertEquals("sip.x.org", m.rdataText(7));
    assertEquals(5060, m.srvField(7, 2));
    assertEquals("1 .", m.rdataText(8));
    assertEquals("HTTPS", DnsMessage.typeText(m.type(8)));
    assertEquals("0102", m.rdataText(9));
    assertTrue(m.edns());
    assertEquals(1232, m.ednsUdpSize());
    assertTrue(m.ednsDo());
  }

  private void malformed(byte[] b, DnsEvent e) {
    assertEquals(DnsStatus.MALFORMED, m.parse(b, 0, b.length));
    assertEquals(e, m.event());
  }

  @Test
  void rejectsCompressionLoop() {
    // The question name is a pointer to itself: offset 12 -> 12.
    malformed(DnsBytes.header(1, 0, 1, 0, 0, 0).pointer(12).u16(1).u16(1).bytes(),
        DnsEvent.COMPRESSION_LOOP);
    // Two pointers pointing at each other, behind a label.
    malformed(DnsBytes.header(1, 0, 1, 0, 0, 0).u8(1).raw((byte) 'a').pointer(16).pointer(14)
        .u16(1).u16(1).bytes(), DnsEvent.COMPRESSION_LOOP);
  }

  @Test
  void rejectsPointerOutOfRange() {
    malformed(DnsBytes.header(1, 0, 1, 0, 0, 0).pointer(0x3FFF).u16(1).u16(1).bytes(),
        DnsEvent.POINTER_OUT_OF_RANGE);
  }

  @Test
  void rejectsNameTooLong() {
    DnsBytes b = DnsBytes.header(1, 0, 1, 0, 0, 0);
    for (int i = 0; i < 5; i++) {
      b.u8(63).raw(new byte[63]);
    }
    malformed(b.u8(0).u16(1).u16(1).bytes(), DnsEvent.NAME_TOO_LONG);
  }

  @Test
  void rejectsExtendedLabelType() {
    malformed(DnsBytes.header(1, 0, 1, 0, 0, 0).u8(0x41).u8(0).u16(1).u16(1).bytes(),
        DnsEvent.LABEL_TYPE_INVALID);
  }

  @Test
  void rejectsShortHeaderAndTruncatedRecords() {
    malformed(new byte[11], DnsEvent.HEADER_TRUNCATED);
    byte[] full = cnameResponse(1);
    malformed(java.util.Arrays.copyOf(full, full.length - 1), DnsEvent.TRUNCATED);
    malformed(DnsBytes.header(1, 0, 1, 0, 0, 0).u8(5).raw("ab".getBytes()).bytes(),
        DnsEvent.TRUNCATED);
  }

  @Test
  void notesInvalidRdataTrailingBytesAndTooManyRecords() {
    byte[] b = DnsBytes.header(1, 0x8180, 1, 1, 0, 0).question("a.b", TYPE_A)
        .rr(12, TYPE_A, 1, new byte[3]).u8(0).bytes();
    assertEquals(DnsStatus.OK, m.parse(b, 0, b.length));
    assertTrue(m.has(DnsEvent.RDATA_INVALID));
    assertTrue(m.has(DnsEvent.TRAILING_BYTES));
    assertNull(m.rdataText(1));

    DnsMessage small = new DnsMessage(new DnsConfig(8, 2, 4, 1));
    byte[] c = cnameResponse(2);
    assertEquals(DnsStatus.OK, small.parse(c, 0, c.length));
    assertTrue(small.has(DnsEvent.TOO_MANY_RECORDS));
    assertEquals(2, small.records());
  }

  @Test
  void parsesAtAnOffsetInsideALargerBuffer() {
    byte[] msg = cnameResponse(9);
    byte[] big = new byte[msg.length + 40];
    System.arraycopy(msg, 0, big, 17, msg.length);
    assertEquals(DnsStatus.OK, m.parse(big, 17, msg.length));
    assertEquals("93.184.216.34", m.rdataText(2));
    assertEquals("web.Example.com", m.nameText(2));
  }
}
