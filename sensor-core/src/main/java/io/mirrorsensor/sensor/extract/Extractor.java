package io.mirrorsensor.sensor.extract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.IpText;
import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.config.ExtractConfig;
import io.mirrorsensor.sensor.flow.Flow;
import io.mirrorsensor.sensor.flow.FlowPackets;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker side of extracts: on a flow's first finding ({@link #trigger}) it names the extract,
 * moves the flow's buffered packets into the {@link ExtractFeed} and from then on every packet of
 * the flow ({@link #packet}) until the flow ends or a per-extract limit ({@code
 * extract.max_packets}, {@code max_bytes}, {@code max_seconds}) is reached. Later findings of the
 * flow get the same path. Live, beyond {@code extract.max_pending_bytes} not yet handed to the
 * output thread, packets are dropped and counted (the worker never waits for the disk). Owned by
 * one worker thread.
 */
public final class Extractor implements FlowPackets.Tap {
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter NAME_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
  /** Extract ids, unique across the workers of a process (the output thread keys files by id). */
  private static final AtomicLong IDS = new AtomicLong();

  private final ExtractConfig config;
  private final ExtractFeed feed;
  private final boolean mayDrop;
  private FlowPackets buffers;

  private long started;
  private long packetsHanded;
  private long droppedPackets;
  private long limitCloses;

  /** One open (or limit-closed) extract of a flow. */
  static final class State {
    final long id;
    final String path;
    final long startNanos;
    boolean opened;
    boolean closed;
    int linkType;
    long packets;
    long bytes;
    long dropped;
    final long flowId;
    final String tuple;

    State(long id, String path, long startNanos, long flowId, String tuple) {
      this.id = id;
      this.path = path;
      this.startNanos = startNanos;
      this.flowId = flowId;
      this.tuple = tuple;
    }
  }

  /**
   * @param mayDrop live: drop (and count) packets beyond {@code extract.max_pending_bytes}; replay
   *     never drops (the worker hands chunks over with back-pressure)
   */
  public Extractor(ExtractConfig config, ExtractFeed feed, boolean mayDrop) {
    this.config = config;
    this.feed = feed;
    this.mayDrop = mayDrop;
  }

  @Override
  public void attach(FlowPackets b) {
    this.buffers = b;
  }

  /**
   * Starts {@code f}'s extract unless it has one; returns its path relative to the output
   * directory (null when extracts are off for this flow's table).
   */
  public String trigger(Flow f, long gid, long sid, long tsNanos) {
    if (buffers == null) {
      return null;
    }
    if (f.extract() != null) {
      return f.extractPath();
    }
    String path = ExtractConfig.DIR + "/" + name(f, gid, sid, tsNanos);
    State s = new State(IDS.incrementAndGet(), path, tsNanos, f.flowId(), tupleJson(f));
    f.extract(s, path);
    started++;
    buffers.drain(f, (buf, off, cap, orig, lt, ts) -> add(s, buf, off, cap, orig, lt, ts));
    return path;
  }

  @Override
  public void packet(Flow f, byte[] buf, int off, int capLen, int origLen, int linkType,
      long tsNanos) {
    if (f.extract() instanceof State s && !s.closed) {
      if (tsNanos - s.startNanos > config.maxSeconds()) {
        close(s, tsNanos, "max_seconds");
        return;
      }
      add(s, buf, off, capLen, origLen, linkType, tsNanos);
    }
  }

  @Override
  public void flowEnded(Flow f) {
    if (f.extract() instanceof State s && !s.closed) {
      close(s, f.lastNanos(), "flow_end");
    }
  }

  private void add(State s, byte[] buf, int off, int cap, int orig, int lt, long ts) {
    if (s.closed) {
      return;
    }
    if (!s.opened) {
      s.opened = true;
      s.linkType = lt;
      feed.open(s.id, lt, s.flowId, s.path, s.tuple);
    }
    if (lt != s.linkType || (mayDrop && feed.size() + cap > config.maxPendingBytes())) {
      s.dropped++; // another link type cannot share the file; or the output side is behind
      droppedPackets++;
      return;
    }
    feed.packet(s.id, ts, cap, orig, buf, off);
    s.packets++;
    s.bytes += cap;
    packetsHanded++;
    if (s.packets >= config.maxPackets()) {
      close(s, ts, "max_packets");
    } else if (s.bytes >= config.maxBytes()) {
      close(s, ts, "max_bytes");
    }
  }

  private void close(State s, long ts, String reason) {
    s.closed = true;
    if (!reason.equals("flow_end")) {
      limitCloses++;
    }
    if (!s.opened) {
      s.opened = true;
      feed.open(s.id, LinkType.ETHERNET, s.flowId, s.path, s.tuple);
    }
    feed.close(s.id, ts, reason, s.dropped);
  }

  /** {@code 20240115T100000.650100123Z-700-1-1_abc-def.pcap}: time, gid-sid, community id. */
  static String name(Flow f, long gid, long sid, long tsNanos) {
    long sec = Math.floorDiv(tsNanos, 1_000_000_000L);
    long frac = Math.floorMod(tsNanos, 1_000_000_000L);
    String time = NAME_TIME.format(Instant.ofEpochSecond(sec)) + "." + String.format("%09d", frac)
        + "Z";
    return time + "-" + gid + "-" + sid + "-" + sanitise(f.key().communityId()) + "-"
        + Long.toHexString(f.flowId()) + ".pcap";
  }

  /** Base64 made file-name safe: {@code +} to {@code -}, {@code /} to {@code _}, {@code :} to {@code -}, no padding. */
  static String sanitise(String communityId) {
    StringBuilder b = new StringBuilder(communityId.length());
    for (int i = 0; i < communityId.length(); i++) {
      char c = communityId.charAt(i);
      if (c == '+' || c == ':') {
        b.append('-');
      } else if (c == '/') {
        b.append('_');
      } else if (c == '=') {
        continue;
      } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.') {
        b.append(c);
      } else {
        b.append('_');
      }
    }
    return b.toString();
  }

  /** The extract event's tuple fields (client to server) and community_id, as JSON members. */
  static String tupleJson(Flow f) {
    FlowKey k = f.key();
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      boolean c = f.keySrcIsClient();
      String a = IpText.formatFull(k.srcAddr(), 0, k.ipVersion());
      String b = IpText.formatFull(k.dstAddr(), 0, k.ipVersion());
      boolean icmp = k.proto() == 1 || k.proto() == 58;
      g.writeStringField("src_ip", c ? a : b);
      if (!icmp) {
        g.writeNumberField("src_port", c ? k.srcPort() : k.dstPort());
      }
      g.writeStringField("dest_ip", c ? b : a);
      if (!icmp) {
        g.writeNumberField("dest_port", c ? k.dstPort() : k.srcPort());
      }
      g.writeStringField("proto", protoName(k.proto()));
      g.writeStringField("community_id", k.communityId());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String s = w.toString();
    return s.substring(1, s.length() - 1);
  }

  private static String protoName(int proto) {
    switch (proto) {
      case 6:
        return "TCP";
      case 17:
        return "UDP";
      case 1:
        return "ICMP";
      case 58:
        return "IPv6-ICMP";
      default:
        return Integer.toString(proto);
    }
  }

  /** {@code stats.extract}, worker side: buffers and hand-over. */
  public Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("started", started);
    m.put("packets", packetsHanded);
    m.put("dropped_packets", droppedPackets);
    m.put("limit_closes", limitCloses);
    if (buffers != null) {
      m.put("buffered_packets", buffers.buffered());
      m.put("buffer_skipped", buffers.skipped());
      m.put("memcap_hits", buffers.memcapHits());
      m.put("buffer_bytes_in_use", buffers.bytesInUse());
    }
    return m;
  }

  public long started() {
    return started;
  }

  public long droppedPackets() {
    return droppedPackets;
  }
}
