package io.mirrorsensor.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The address part of a rule header: {@code any}, an address, a CIDR block, a variable, a list
 * {@code [a,b]} or any of those negated with {@code !}, nested. Nested negations are flattened
 * with their polarity ({@code ![a,!b]} excludes a and includes b); a packet address matches when it
 * is in some included block (or there are none) and in no excluded block.
 */
final class AddressSet {
  static final AddressSet ANY = new AddressSet(new Block[0], new Block[0]);
  /** Bound on variable nesting ({@code $A} naming {@code $B} ...): stops reference loops. */
  static final int MAX_VAR_DEPTH = 16;

  private final Block[] include;
  private final Block[] exclude;

  /**
   * The IPv4 blocks of {@link #include} merged into sorted, disjoint ranges {@code [v4Lo[i],
   * v4Hi[i]]} (unsigned, as longs): a binary search instead of a scan. ET Open's IP-reputation
   * rules carry hundreds of addresses and have no content, so every packet checks them; a linear
   * scan of the blocks made them most of the per-packet cost with the whole set (BENCHMARKS.md).
   */
  private final long[] v4Lo;
  private final long[] v4Hi;
  /** The IPv6 blocks of {@link #include}, scanned. */
  private final Block[] v6Include;

  private AddressSet(Block[] include, Block[] exclude) {
    this.include = include;
    this.exclude = exclude;
    java.util.List<long[]> r = new java.util.ArrayList<>();
    java.util.List<Block> v6 = new java.util.ArrayList<>();
    for (Block b : include) {
      if (b.version == 4) {
        long net = ((b.net[0] & 0xFFL) << 24) | ((b.net[1] & 0xFFL) << 16)
            | ((b.net[2] & 0xFFL) << 8) | (b.net[3] & 0xFFL);
        long size = 1L << (32 - Math.min(32, b.prefix));
        long lo = net & ~(size - 1);
        r.add(new long[] {lo, lo + size - 1});
      } else {
        v6.add(b);
      }
    }
    r.sort((a, b) -> Long.compare(a[0], b[0]));
    java.util.List<long[]> merged = new java.util.ArrayList<>();
    for (long[] x : r) {
      long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && x[0] <= last[1] + 1) {
        last[1] = Math.max(last[1], x[1]);
      } else {
        merged.add(new long[] {x[0], x[1]});
      }
    }
    v4Lo = new long[merged.size()];
    v4Hi = new long[merged.size()];
    for (int i = 0; i < merged.size(); i++) {
      v4Lo[i] = merged.get(i)[0];
      v4Hi[i] = merged.get(i)[1];
    }
    v6Include = v6.toArray(new Block[0]);
  }

  /**
   * For the IP-only index: true when the set is a plain list of IPv4 blocks (no IPv6, no
   * negation, not any), whose merged ranges {@link #v4Ranges} then say exactly what it matches.
   */
  boolean v4Only() {
    return include.length > 0 && exclude.length == 0 && v6Include.length == 0;
  }

  /**
   * For the IP-only index: true when the set is a plain list (no negation, not any) with IPv4
   * blocks, so that for an IPv4 address its merged ranges {@link #v4Ranges} say exactly whether it
   * matches; its IPv6 blocks ({@link #hasV6}), if any, matter to IPv6 addresses only.
   */
  boolean v4Indexable() {
    return v4Lo.length > 0 && exclude.length == 0;
  }

  /** True when the set includes IPv6 blocks. */
  boolean hasV6() {
    return v6Include.length > 0;
  }

  /** True when the set is a plain list of IPv6 addresses or prefixes (no IPv4, no negation). */
  boolean v6Only() {
    return include.length > 0 && exclude.length == 0 && v4Lo.length == 0;
  }

  /** Merged IPv4 ranges, {lo, hi} pairs (inclusive, unsigned). */
  long[][] v4Ranges() {
    long[][] r = new long[v4Lo.length][];
    for (int i = 0; i < r.length; i++) {
      r[i] = new long[] {v4Lo[i], v4Hi[i]};
    }
    return r;
  }

  /** Number of IPv4 addresses the set covers (its IPv4 blocks). */
  long v4Coverage() {
    long n = 0;
    for (int i = 0; i < v4Lo.length; i++) {
      n += v4Hi[i] - v4Lo[i] + 1;
    }
    return n;
  }

  private boolean included(byte[] addr, int v) {
    if (v == 4) {
      long a = ((addr[0] & 0xFFL) << 24) | ((addr[1] & 0xFFL) << 16) | ((addr[2] & 0xFFL) << 8)
          | (addr[3] & 0xFFL);
      int lo = 0;
      int hi = v4Lo.length - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (v4Lo[mid] > a) {
          hi = mid - 1;
        } else if (v4Hi[mid] < a) {
          lo = mid + 1;
        } else {
          return true;
        }
      }
      return false;
    }
    for (Block b : v6Include) {
      if (b.contains(addr, v)) {
        return true;
      }
    }
    return false;
  }

  boolean isAny() {
    return include.length == 0 && exclude.length == 0;
  }

  /** True when {@code addr} (16 bytes; IPv4 in bytes 0..3) of IP version {@code v} matches. */
  boolean matches(byte[] addr, int v) {
    boolean in = include.length == 0 || included(addr, v);
    if (!in) {
      return false;
    }
    for (Block b : exclude) {
      if (b.contains(addr, v)) {
        return false;
      }
    }
    return true;
  }

  private static final class Block {
    final int version;
    final byte[] net;
    final int prefix;

    Block(int version, byte[] net, int prefix) {
      this.version = version;
      this.net = net;
      this.prefix = prefix;
    }

    boolean contains(byte[] a, int v) {
      if (v != version) {
        return false;
      }
      int full = prefix >>> 3;
      for (int i = 0; i < full; i++) {
        if (a[i] != net[i]) {
          return false;
        }
      }
      int rem = prefix & 7;
      if (rem == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rem)) & 0xFF;
      return (a[full] & mask) == (net[full] & mask);
    }
  }

  /**
   * Parses {@code text}, which starts at offset {@code base} of the rule (for error columns).
   *
   * @param what {@code "source address"} or {@code "destination address"}, for messages
   */
  static AddressSet parse(String text, int base, Map<String, String> vars, String what)
      throws RuleSyntaxException {
    List<Block> inc = new ArrayList<>();
    List<Block> exc = new ArrayList<>();
    new Parser(vars, what, base).parse(text, 0, text.length(), false, inc, exc, 0);
    if (inc.isEmpty() && exc.isEmpty()) {
      return ANY;
    }
    return new AddressSet(inc.toArray(new Block[0]), exc.toArray(new Block[0]));
  }

  private static final class Parser {
    final Map<String, String> vars;
    final String what;
    final int base;

    Parser(Map<String, String> vars, String what, int base) {
      this.vars = vars;
      this.what = what;
      this.base = base;
    }

    /** Parses s[from, to) with polarity {@code neg}; errors point at {@code base + from}. */
    void parse(String s, int from, int to, boolean neg, List<Block> inc, List<Block> exc, int depth)
        throws RuleSyntaxException {
      int lead = 0;
      while (from + lead < to && Character.isWhitespace(s.charAt(from + lead))) {
        lead++;
      }
      String t = s.substring(from, to).strip();
      int at = base + from + lead;
      if (t.isEmpty()) {
        throw RuleSyntaxException.error(at, what, "empty address");
      }
      if (t.startsWith("!")) {
        parse(s, from + lead + 1, to, !neg, inc, exc, depth);
        return;
      }
      if (t.startsWith("[")) {
        if (!t.endsWith("]")) {
          throw RuleSyntaxException.error(at, what, "unterminated address list '" + t + "'");
        }
        int open = from + lead;
        int close = open + t.length() - 1;
        int d = 0;
        int start = open + 1;
        for (int i = open + 1; i <= close; i++) {
          char c = s.charAt(i);
          if (c == '[') {
            d++;
          } else if (c == ']' && i < close) {
            d--;
          } else if ((c == ',' && d == 0) || i == close) {
            parse(s, start, i, neg, inc, exc, depth);
            start = i + 1;
          }
        }
        if (d != 0) {
          throw RuleSyntaxException.error(at, what, "unbalanced brackets in '" + t + "'");
        }
        return;
      }
      if (t.equals("any")) {
        if (neg) {
          throw RuleSyntaxException.error(at, what, "'!any' matches nothing");
        }
        return; // any adds no restriction
      }
      if (t.startsWith("$")) {
        String name = t.substring(1);
        String val = vars.get(name);
        if (val == null) {
          throw RuleSyntaxException.error(at, what, "undefined variable $" + name);
        }
        if (depth >= MAX_VAR_DEPTH) {
          throw RuleSyntaxException.error(at, what, "variable $" + name + " nests too deep (a loop?)");
        }
        try {
          new Parser(vars, what, 0).parse(val, 0, val.length(), neg, inc, exc, depth + 1);
        } catch (RuleSyntaxException e) {
          throw RuleSyntaxException.error(at, what, "in $" + name + " = \"" + val + "\": " + e.reason);
        }
        return;
      }
      Block b = block(t, at);
      (neg ? exc : inc).add(b);
    }

    Block block(String t, int at) throws RuleSyntaxException {
      int slash = t.indexOf('/');
      String addr = slash < 0 ? t : t.substring(0, slash);
      byte[] net = new byte[16];
      int version;
      if (addr.indexOf(':') >= 0) {
        version = 6;
        if (!parseV6(addr, net)) {
          throw RuleSyntaxException.error(at, what, "invalid IPv6 address '" + addr + "'");
        }
      } else {
        version = 4;
        if (!parseV4(addr, net)) {
          if (addr.indexOf('-') >= 0) {
            throw RuleSyntaxException.error(at, what, "address ranges (a-b) are not supported: '" + t + "'; use CIDR blocks");
          }
          throw RuleSyntaxException.error(at, what, "invalid address '" + t + "'");
        }
      }
      int max = version == 4 ? 32 : 128;
      int prefix = max;
      if (slash >= 0) {
        String p = t.substring(slash + 1);
        if (p.indexOf('.') >= 0 && version == 4) {
          byte[] mask = new byte[16];
          if (!parseV4(p, mask)) {
            throw RuleSyntaxException.error(at, what, "invalid netmask '" + p + "'");
          }
          int m = ((mask[0] & 0xFF) << 24) | ((mask[1] & 0xFF) << 16) | ((mask[2] & 0xFF) << 8) | (mask[3] & 0xFF);
          prefix = Integer.bitCount(m);
          if (m != (prefix == 0 ? 0 : -1 << (32 - prefix))) {
            throw RuleSyntaxException.error(at, what, "netmask '" + p + "' is not contiguous");
          }
        } else {
          try {
            prefix = Integer.parseInt(p);
          } catch (NumberFormatException e) {
            prefix = -1;
          }
          if (prefix < 0 || prefix > max) {
            throw RuleSyntaxException.error(at, what, "invalid prefix length '/" + p + "' (0.." + max + ")");
          }
        }
      }
      return new Block(version, net, prefix);
    }
  }

  static boolean parseV4(String s, byte[] out) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3) {
        return false;
      }
      int v = 0;
      for (int k = 0; k < p.length(); k++) {
        char c = p.charAt(k);
        if (c < '0' || c > '9') {
          return false;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return false;
      }
      out[i] = (byte) v;
    }
    return true;
  }

  static boolean parseV6(String s, byte[] out) {
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return false;
    }
    String head = dbl < 0 ? s : s.substring(0, dbl);
    String tail = dbl < 0 ? "" : s.substring(dbl + 2);
    int[] h = groups(head);
    int[] t = groups(tail);
    if (h == null || t == null) {
      return false;
    }
    if (dbl < 0 ? h.length != 8 : h.length + t.length > 7) {
      return false;
    }
    for (int i = 0; i < h.length; i++) {
      out[2 * i] = (byte) (h[i] >> 8);
      out[2 * i + 1] = (byte) h[i];
    }
    for (int i = 0; i < t.length; i++) {
      int g = 8 - t.length + i;
      out[2 * g] = (byte) (t[i] >> 8);
      out[2 * g + 1] = (byte) t[i];
    }
    return true;
  }

  private static int[] groups(String s) {
    if (s.isEmpty()) {
      return new int[0];
    }
    String[] parts = s.split(":", -1);
    int[] g = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      try {
        g[i] = Integer.parseInt(p, 16);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return g;
  }
}
