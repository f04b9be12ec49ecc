package io.mirrorsensor.decode.app.dns;

import java.nio.charset.StandardCharsets;

/**
 * One DNS message parsed in place (RFC 1035 section 4.1): a flyweight over bytes it does not own,
 * valid only while they are (the packet, or the TCP splitter's buffer). Parsing records offsets
 * into preallocated arrays and allocates nothing; strings are made only by the {@code *Text}
 * methods, when an event is written.
 *
 * <pre>
 *  0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |                      ID                       |  ID_OFFSET 0
 * |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |  FLAGS_OFFSET 2
 * |                    QDCOUNT                    |  4
 * |                    ANCOUNT                    |  6
 * |                    NSCOUNT                    |  8
 * |                    ARCOUNT                    |  10
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * </pre>
 *
 * Question: name, type, class. Record: name, type, class, ttl (32), rdlength (16), rdata.
 * Names: labels of length 1..63, a zero label to end, or a pointer (two top bits set, RFC 1035
 * section 4.1.4). Pointers are followed up to {@link DnsConfig#maxPointerHops()}: a loop ends as
 * {@link DnsEvent#COMPRESSION_LOOP}, never as an exception or a hang.
 *
 * <p>Call order: {@link #parse}, then the accessors; a new {@code parse} replaces everything.
 * One owning thread.
 */
public final class DnsMessage {
  static final int ID_OFFSET = 0;
  static final int FLAGS_OFFSET = 2;
  static final int QDCOUNT_OFFSET = 4;
  static final int HEADER_LENGTH = 12;
  /** RFC 1035 section 2.3.4. */
  static final int MAX_NAME_WIRE = 255;

  public static final int SECTION_QUESTION = 0;
  public static final int SECTION_ANSWER = 1;
  public static final int SECTION_AUTHORITY = 2;
  public static final int SECTION_ADDITIONAL = 3;

  public static final int TYPE_A = 1;
  public static final int TYPE_NS = 2;
  public static final int TYPE_CNAME = 5;
  public static final int TYPE_SOA = 6;
  public static final int TYPE_PTR = 12;
  public static final int TYPE_MX = 15;
  public static final int TYPE_TXT = 16;
  public static final int TYPE_AAAA = 28;
  public static final int TYPE_SRV = 33;
  public static final int TYPE_OPT = 41;
  public static final int TYPE_SVCB = 64;
  public static final int TYPE_HTTPS = 65;

  private final DnsConfig config;
  private byte[] buf;
  private int base;
  private int end;
  private DnsStatus status;
  private DnsEvent event;
  /** Non-fatal events seen during the last parse, as bits by ordinal. */
  private int eventBits;

  // Records of all four sections, questions included (rdata fields -1 for questions).
  private final int[] recSection;
  private final int[] recName;
  private final int[] recType;
  private final int[] recClass;
  private final long[] recTtl;
  private final int[] recRdata;
  private final int[] recRdLen;
  private int records;
  private final int[] sectionCount = new int[4];

  // EDNS0 (RFC 6891 section 6.1.2), from the OPT record.
  private boolean edns;
  private int ednsUdpSize;
  private int ednsVersion;
  private boolean ednsDo;

  /** First question's name, flat, lower-cased wire form (labels with length bytes). */
  private final byte[] qname = new byte[MAX_NAME_WIRE + 1];
  private int qnameLength;

  // Result of the last name walk.
  private int nameEnd;
  private DnsEvent nameFault;

  public DnsMessage(DnsConfig config) {
    this.config = config;
    int n = config.maxRecords();
    recSection = new int[n];
    recName = new int[n];
    recType = new int[n];
    recClass = new int[n];
    recTtl = new long[n];
    recRdata = new int[n];
    recRdLen = new int[n];
  }

  /**
   * Parses {@code buf[off, off + len)}, one whole message. {@code buf} stays the caller's and
   * must not change while this message is read.
   */
  public DnsStatus parse(byte[] buf, int off, int len) {
    this.buf = buf;
    this.base = off;
    this.end = off + len;
    records = 0;
    sectionCount[0] = sectionCount[1] = sectionCount[2] = sectionCount[3] = 0;
    edns = false;
    ednsUdpSize = 0;
    ednsVersion = 0;
    ednsDo = false;
    qnameLength = 0;
    eventBits = 0;
    event = null;
    if (len < HEADER_LENGTH) {
      return fail(DnsEvent.HEADER_TRUNCATED);
    }
    int pos = off + HEADER_LENGTH;
    for (int section = 0; section < 4; section++) {
      int count = u16(off + QDCOUNT_OFFSET + 2 * section);
      for (int i = 0; i < count; i++) {
        int nameAt = pos;
        if (!walkName(pos, section == 0 && i == 0)) {
          return fail(nameFault);
        }
        pos = nameEnd;
        int fixed = section == 0 ? 4 : 10;
        if (pos + fixed > end) {
          return fail(DnsEvent.TRUNCATED);
        }
        int type = u16(pos);
        int cls = u16(pos + 2);
        long ttl = -1;
        int rdata = -1;
        int rdlen = -1;
        if (section != 0) {
          ttl = u32(pos + 4);
          rdlen = u16(pos + 8);
          rdata = pos + 10;
          if (rdata + rdlen > end) {
            return fail(DnsEvent.TRUNCATED);
          }
          if (!checkRdata(type, rdata, rdlen)) {
            note(DnsEvent.RDATA_INVALID);
          }
          if (type == TYPE_OPT && section == SECTION_ADDITIONAL) {
            // RFC 6891 section 6.1.3: class = UDP payload size, TTL = ext-rcode, version, DO.
            edns = true;
            ednsUdpSize = cls;
            ednsVersion = (int) ((ttl >>> 16) & 0xFF);
            ednsDo = (ttl & 0x8000) != 0;
          }
          pos = rdata + rdlen;
        } else {
          pos += 4;
        }
        if (records == recName.length) {
          note(DnsEvent.TOO_MANY_RECORDS);
          continue;
        }
        recSection[records] = section;
        recName[records] = nameAt;
        recType[records] = type;
        recClass[records] = cls;
        recTtl[records] = ttl;
        recRdata[records] = rdata;
        recRdLen[records] = rdlen;
        records++;
        sectionCount[section]++;
      }
    }
    if (pos < end) {
      note(DnsEvent.TRAILING_BYTES);
    }
    status = DnsStatus.OK;
    return status;
  }

  private DnsStatus fail(DnsEvent e) {
    event = e;
    note(e);
    status = DnsStatus.MALFORMED;
    return status;
  }

  private void note(DnsEvent e) {
    if (event == null) {
      event = e;
    }
    eventBits |= 1 << e.ordinal();
  }

  /**
   * Walks the name at {@code pos}: sets {@link #nameEnd} (the byte after the name in place) or
   * {@link #nameFault}. Copies it lower-cased into {@link #qname} when {@code copy}.
   */
  private boolean walkName(int pos, boolean copy) {
    int hops = 0;
    int wire = 0;
    int after = -1;
    int p = pos;
    while (true) {
      if (p >= end) {
        nameFault = DnsEvent.TRUNCATED;
        return false;
      }
      int len = buf[p] & 0xFF;
      int kind = len & 0xC0;
      if (kind == 0xC0) {
        if (p + 1 >= end) {
          nameFault = DnsEvent.TRUNCATED;
          return false;
        }
        if (++hops > config.maxPointerHops()) {
          nameFault = DnsEvent.COMPRESSION_LOOP;
          return false;
        }
        int target = ((len & 0x3F) << 8) | (buf[p + 1] & 0xFF);
        if (after < 0) {
          after = p + 2;
        }
        if (base + target >= end) {
          nameFault = DnsEvent.POINTER_OUT_OF_RANGE;
          return false;
        }
        p = base + target;
        continue;
      }
      if (kind != 0) {
        nameFault = DnsEvent.LABEL_TYPE_INVALID;
        return false;
      }
      wire += len + 1;
      if (wire > MAX_NAME_WIRE) {
        nameFault = DnsEvent.NAME_TOO_LONG;
        return false;
      }
      if (p + 1 + len > end) {
        nameFault = DnsEvent.TRUNCATED;
        return false;
      }
      if (copy) {
        qname[wire - len - 1] = (byte) len;
        for (int i = 0; i < len; i++) {
          byte b = buf[p + 1 + i];
          qname[wire - len + i] = (b >= 'A' && b <= 'Z') ? (byte) (b + 32) : b;
        }
        qnameLength = wire;
      }
      if (len == 0) {
        nameEnd = after >= 0 ? after : p + 1;
        return true;
      }
      p += 1 + len;
    }
  }

  private boolean checkRdata(int type, int at, int len) {
    switch (type) {
      case TYPE_A:
        return len == 4;
      case TYPE_AAAA:
        return len == 16;
      case TYPE_NS:
      case TYPE_CNAME:
      case TYPE_PTR:
        return nameWithin(at, at + len);
      case TYPE_MX:
        return len >= 3 && nameWithin(at + 2, at + len);
      case TYPE_SRV:
        return len >= 7 && nameWithin(at + 6, at + len);
      case TYPE_SOA:
        if (!walkName(at, false)) {
          return false;
        }
        if (!walkName(nameEnd, false)) {
          return false;
        }
        return nameEnd + 20 == at + len;
      case TYPE_TXT: {
        int p = at;
        int e = at + len;
        while (p < e) {
          p += 1 + (buf[p] & 0xFF);
        }
        return p == e;
      }
      case TYPE_SVCB:
      case TYPE_HTTPS: {
        // RFC 9460 section 2.2: priority, target name (uncompressed), then key/length/value.
        if (len < 3 || !nameWithin(at + 2, at + len)) {
          return false;
        }
        int p = nameEnd;
        int e = at + len;
        while (p + 4 <= e) {
          p += 4 + u16(p + 2);
        }
        return p == e;
      }
      case TYPE_OPT: {
        int p = at;
        int e = at + len;
        while (p + 4 <= e) {
          p += 4 + u16(p + 2);
        }
        return p == e;
      }
      default:
        return true;
    }
  }

  private boolean nameWithin(int at, int limit) {
    return walkName(at, false) && nameEnd <= limit;
  }

  private int u16(int at) {
    return ((buf[at] & 0xFF) << 8) | (buf[at + 1] & 0xFF);
  }

  private long u32(int at) {
    return ((long) u16(at) << 16) | u16(at + 2);
  }

  // ---- accessors (no allocation) ----

  public DnsStatus status() {
    return status;
  }

  /** The fatal event when MALFORMED, else the first non-fatal one, else null. */
  public DnsEvent event() {
    return event;
  }

  /** True when {@code e} was seen in the last parse. */
  public boolean has(DnsEvent e) {
    return (eventBits & (1 << e.ordinal())) != 0;
  }

  public int id() {
    return u16(base + ID_OFFSET);
  }

  /** The 16 flag bits (QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE). */
  public int flags() {
    return u16(base + FLAGS_OFFSET);
  }

  public boolean isResponse() {
    return (flags() & 0x8000) != 0;
  }

  public int opcode() {
    return (flags() >>> 11) & 0xF;
  }

  public int rcode() {
    return flags() & 0xF;
  }

  /** Count announced in the header for {@code section} (0 question .. 3 additional). */
  public int announced(int section) {
    return u16(base + QDCOUNT_OFFSET + 2 * section);
  }

  /** Records parsed (all sections, questions first, in wire order). */
  public int records() {
    return records;
  }

  public int sectionCount(int section) {
    return sectionCount[section];
  }

  public int section(int rec) {
    return recSection[rec];
  }

  public int type(int rec) {
    return recType[rec];
  }

  public int rrclass(int rec) {
    return recClass[rec];
  }

  public long ttl(int rec) {
    return recTtl[rec];
  }

  /** Absolute offset of the record's rdata in the buffer ({@code -1} for a question). */
  public int rdataOffset(int rec) {
    return recRdata[rec];
  }

  public int rdataLength(int rec) {
    return recRdLen[rec];
  }

  public byte[] buffer() {
    return buf;
  }

  public boolean hasQuestion() {
    return sectionCount[0] > 0;
  }

  /** Type of the first question, or -1. */
  public int qtype() {
    return sectionCount[0] > 0 ? recType[0] : -1;
  }

  public int qclass() {
    return sectionCount[0] > 0 ? recClass[0] : -1;
  }

  /** The first question's name, flat wire form, lower-cased: {@code qname()[0, qnameLength())}. */
  public byte[] qname() {
    return qname;
  }

  public int qnameLength() {
    return qnameLength;
  }

  public boolean edns() {
    return edns;
  }

  public int ednsUdpSize() {
    return ednsUdpSize;
  }

  public int ednsVersion() {
    return ednsVersion;
  }

  public boolean ednsDo() {
    return ednsDo;
  }

  /**
   * Writes record {@code rec}'s owner name into {@code dst} as rules see it (Suricata's rrname
   * buffers): the raw label bytes joined with '.', no escaping, no trailing dot, empty for the
   * root; returns the length (at most {@value #MAX_NAME_WIRE}, so a 255-byte {@code dst} always
   * fits). Bounded like {@link #nameAt}; allocates nothing.
   */
  public int nameBytes(int rec, byte[] dst) {
    int n = 0;
    int hops = 0;
    int wire = 0;
    int p = recName[rec];
    while (p < end) {
      int len = buf[p] & 0xFF;
      if ((len & 0xC0) == 0xC0) {
        if (p + 1 >= end || ++hops > config.maxPointerHops()) {
          break;
        }
        p = base + (((len & 0x3F) << 8) | (buf[p + 1] & 0xFF));
        continue;
      }
      if (len == 0 || (len & 0xC0) != 0 || p + 1 + len > end || (wire += len + 1) > MAX_NAME_WIRE) {
        break;
      }
      if (n > 0) {
        dst[n++] = '.';
      }
      System.arraycopy(buf, p + 1, dst, n, len);
      n += len;
      p += 1 + len;
    }
    return n;
  }

  // ---- text, for output only (allocates) ----

  /** The record's owner name in presentation form ({@code www.example.com}, root is "."). */
  public String nameText(int rec) {
    return nameAt(recName[rec]);
  }

  /**
   * The name at absolute offset {@code at}, dotted; the walk is bounded as in parsing, so a bad
   * name yields what was read before the fault.
   */
  public String nameAt(int at) {
    StringBuilder sb = new StringBuilder(32);
    int hops = 0;
    int wire = 0;
    int p = at;
    while (p < end) {
      int len = buf[p] & 0xFF;
      if ((len & 0xC0) == 0xC0) {
        if (p + 1 >= end || ++hops > config.maxPointerHops()) {
          break;
        }
        p = base + (((len & 0x3F) << 8) | (buf[p + 1] & 0xFF));
        continue;
      }
      if (len == 0 || (len & 0xC0) != 0 || p + 1 + len > end || (wire += len + 1) > MAX_NAME_WIRE) {
        break;
      }
      if (sb.length() > 0) {
        sb.append('.');
      }
      appendLabel(sb, buf, p + 1, len);
      p += 1 + len;
    }
    return sb.length() == 0 ? "." : sb.toString();
  }

  /** Flat wire-form name (as {@link #qname()}) in dotted form. */
  public static String flatNameText(byte[] flat, int length) {
    StringBuilder sb = new StringBuilder(32);
    int p = 0;
    while (p < length) {
      int len = flat[p] & 0xFF;
      if (len == 0 || p + 1 + len > length) {
        break;
      }
      if (sb.length() > 0) {
        sb.append('.');
      }
      appendLabel(sb, flat, p + 1, len);
      p += 1 + len;
    }
    return sb.length() == 0 ? "." : sb.toString();
  }

  /** Printable ASCII kept; '.', '\' and other bytes escaped as in RFC 4343 ({@code \DDD}). */
  private static void appendLabel(StringBuilder sb, byte[] b, int at, int len) {
    for (int i = 0; i < len; i++) {
      int c = b[at + i] & 0xFF;
      if (c > 0x20 && c < 0x7F && c != '.' && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append('\\').append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10))
            .append((char) ('0' + c % 10));
      }
    }
  }

  /**
   * The record's rdata as text, as Suricata logs {@code rdata}: A/AAAA addresses, the target
   * name of CNAME/NS/PTR/MX/SRV, SOA's mname, TXT strings joined, SVCB/HTTPS "priority target";
   * other types as lower-case hex. Null for a question or invalid rdata.
   */
  public String rdataText(int rec) {
    int at = recRdata[rec];
    int len = recRdLen[rec];
    if (at < 0) {
      return null;
    }
    switch (recType[rec]) {
      case TYPE_A:
        return len == 4 ? (buf[at] & 0xFF) + "." + (buf[at + 1] & 0xFF) + "."
            + (buf[at + 2] & 0xFF) + "." + (buf[at + 3] & 0xFF) : null;
      case TYPE_AAAA:
        return len == 16 ? io.mirrorsensor.decode.IpText.format(buf, at, 6) : null;
      case TYPE_NS:
      case TYPE_CNAME:
      case TYPE_PTR:
      case TYPE_SOA:
        return nameAt(at);
      case TYPE_MX:
        return len >= 3 ? nameAt(at + 2) : null;
      case TYPE_SRV:
        return len >= 7 ? nameAt(at + 6) : null;
      case TYPE_SVCB:
      case TYPE_HTTPS:
        return len >= 3 ? u16(at) + " " + nameAt(at + 2) : null;
      case TYPE_TXT: {
        StringBuilder sb = new StringBuilder(len);
        int p = at;
        int e = at + len;
        while (p < e) {
          int n = buf[p] & 0xFF;
          int stop = Math.min(e, p + 1 + n);
          sb.append(new String(buf, p + 1, stop - p - 1, StandardCharsets.ISO_8859_1));
          p = stop;
        }
        return sb.toString();
      }
      default: {
        StringBuilder sb = new StringBuilder(len * 2);
        for (int i = 0; i < len; i++) {
          int c = buf[at + i] & 0xFF;
          sb.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
        }
        return sb.toString();
      }
    }
  }

  /** Priority, weight, port of an SRV record (RFC 2782), or -1 when not SRV. */
  public int srvField(int rec, int index) {
    return recType[rec] == TYPE_SRV && recRdLen[rec] >= 6 ? u16(recRdata[rec] + 2 * index) : -1;
  }

  /**
   * SOA fields after the names: 0 serial, 1 refresh, 2 retry, 3 expire, 4 minimum (RFC 1035
   * section 3.3.13); -1 when not a valid SOA.
   */
  public long soaField(int rec, int index) {
    if (recType[rec] != TYPE_SOA || recRdLen[rec] < 22) {
      return -1;
    }
    return u32(recRdata[rec] + recRdLen[rec] - 20 + 4 * index);
  }

  /** SOA rname (the mailbox), or null. */
  public String soaRname(int rec) {
    if (recType[rec] != TYPE_SOA || recRdata[rec] < 0) {
      return null;
    }
    if (!walkName(recRdata[rec], false)) {
      return null;
    }
    return nameAt(nameEnd);
  }

  /** Mnemonic of an RR type ({@code A}, {@code HTTPS}); {@code TYPE65280} style otherwise. */
  public static String typeText(int type) {
    switch (type) {
      case TYPE_A: return "A";
      case TYPE_NS: return "NS";
      case TYPE_CNAME: return "CNAME";
      case TYPE_SOA: return "SOA";
      case TYPE_PTR: return "PTR";
      case TYPE_MX: return "MX";
      case TYPE_TXT: return "TXT";
      case TYPE_AAAA: return "AAAA";
      case TYPE_SRV: return "SRV";
      case TYPE_OPT: return "OPT";
      case TYPE_SVCB: return "SVCB";
      case TYPE_HTTPS: return "HTTPS";
      case 13: return "HINFO";
      case 35: return "NAPTR";
      case 43: return "DS";
      case 46: return "RRSIG";
      case 47: return "NSEC";
      case 48: return "DNSKEY";
      case 50: return "NSEC3";
      case 99: return "SPF";
      case 252: return "AXFR";
      case 255: return "ANY";
      case 257: return "CAA";
      default: return "TYPE" + type;
    }
  }

  /** RCODE mnemonic as Suricata logs it (RFC 1035, RFC 2136). */
  public static String rcodeText(int rcode) {
    switch (rcode) {
      case 0: return "NOERROR";
      case 1: return "FORMERR";
      case 2: return "SERVFAIL";
      case 3: return "NXDOMAIN";
      case 4: return "NOTIMP";
      case 5: return "REFUSED";
      case 6: return "YXDOMAIN";
      case 7: return "YXRRSET";
      case 8: return "NXRRSET";
      case 9: return "NOTAUTH";
      case 10: return "NOTZONE";
      default: return Integer.toString(rcode);
    }
  }
}
