package io.mirrorsensor.sensor.extract;

import io.mirrorsensor.sensor.config.ExtractConfig;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The output side of extracts: applies the operations of {@link ExtractFeed}s, writing classic
 * pcap files (nanosecond timestamps, original lengths kept) in {@code extracts/} with mode 0600,
 * and on close an EVE {@code extract} event. All files in the directory together stay within
 * {@code extract.disk_budget}: before a write would exceed it the oldest files are deleted
 * (counted, logged). A write failure (disk full, permissions) is counted and reported at most once
 * a minute; the extract it hit is given up, detection goes on. Owned by the output thread.
 *
 * <p>Each extract's records are gathered in memory and written in pieces of up to
 * {@link #PIECE} bytes: one write call per packet cost a system call per packet, and with more
 * extracts open than {@link #MAX_OPEN} channels an open and a close as well. What is gathered goes
 * to disk when a piece is full, when the extract closes, when the arrays holding what all
 * extracts gathered reach {@link #GATHERED_MAX} bytes (the writer's memory, however many extracts
 * are open), at {@link #flush()} (the output thread's idle flush, live), and at least every
 * {@link #FLUSH_EVERY_NANOS} while operations arrive: a file is at most about a second behind its
 * flow. An array is let go once written.
 */
public final class ExtractWriter implements Closeable {
  static final int MAGIC_NANO = 0xa1b23c4d;
  static final int SNAPLEN = 262_144;
  private static final long MINUTE = 60_000_000_000L;
  /** Files kept open at once; the least recently written beyond this are closed, reopened later. */
  static final int MAX_OPEN = 64;
  /** Bytes of one extract gathered before they are written. */
  static final int PIECE = 64 << 10;
  /** Bytes of gathering arrays of all extracts at which all are written and let go. */
  static final long GATHERED_MAX = 4L << 20;
  static final long FLUSH_EVERY_NANOS = 1_000_000_000L;
  private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString(
      "rw-------");
  private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString(
      "rwx------");

  private final Path outDir;
  private final Path dir;
  private final long budget;
  private final PrintStream log;
  private final Consumer<byte[]> eveLines;
  private final LongSupplier clock;
  private boolean dirReady;
  private Boolean posix;
  /** Bytes of the extracts' gathering arrays (their capacity, not what they hold). */
  private long gathered;
  private long lastFlush;

  /** Extracts opened and not yet closed, by id. */
  private final Map<Long, Extract> open = new HashMap<>();
  /** Channels open now, least recently used first. */
  private final LinkedHashMap<Long, Extract> channels = new LinkedHashMap<>(16, 0.75f, true);
  /** Every file counted against the budget, oldest first. */
  private final ArrayDeque<Entry> files = new ArrayDeque<>();
  private long diskBytes;
  private ByteBuffer io = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

  private long opened;
  private long closed;
  private long packets;
  private long bytes;
  private long deleted;
  private long deletedBytes;
  private long budgetDrops;
  private long writeErrors;
  private long lastReport = Long.MIN_VALUE;
  private long unreported;

  private static final class Entry {
    final Path path;
    long size;
    boolean gone;

    Entry(Path path, long size) {
      this.path = path;
      this.size = size;
    }
  }

  private static final class Extract {
    final long id;
    final String rel;
    final Entry entry;
    final long flowId;
    final String tuple;
    final int linkType;
    FileChannel ch;
    long packets;
    long bytes;
    long lost;
    boolean failed;
    /** Records not yet written: {@code buf[0, held)}, of which {@code heldPackets} packets. */
    byte[] buf;
    int held;
    long heldPackets;
    long heldPacketBytes;

    Extract(long id, String rel, Entry entry, long flowId, String tuple, int linkType) {
      this.id = id;
      this.rel = rel;
      this.entry = entry;
      this.flowId = flowId;
      this.tuple = tuple;
      this.linkType = linkType;
    }
  }

  /**
   * @param eveLines receives each {@code extract} event as a whole EVE line
   * @param clock monotonic nanoseconds, for reporting write errors once a minute
   */
  public ExtractWriter(Path outDir, ExtractConfig config, PrintStream log,
      Consumer<byte[]> eveLines, LongSupplier clock) {
    this.outDir = outDir;
    this.dir = outDir.resolve(ExtractConfig.DIR);
    this.budget = config.diskBudget();
    this.log = log;
    this.eveLines = eveLines;
    this.clock = clock;
    this.lastFlush = clock.getAsLong();
  }

  /** Applies a packed feed (see {@link ExtractFeed}). */
  public void apply(byte[] ops) {
    ExtractFeed.Reader r = new ExtractFeed.Reader(ops);
    while (r.more()) {
      int op = r.u8();
      long id = r.i64();
      switch (op) {
        case ExtractFeed.OPEN: {
          int lt = r.i32();
          long flowId = r.i64();
          String rel = r.text();
          String tuple = r.text();
          open(id, lt, flowId, rel, tuple);
          break;
        }
        case ExtractFeed.PACKET: {
          long ts = r.i64();
          int cap = r.i32();
          int orig = r.i32();
          int at = r.skip(cap);
          packet(id, ts, r.array(), at, cap, orig);
          break;
        }
        case ExtractFeed.CLOSE: {
          long ts = r.i64();
          String reason = r.text();
          long dropped = r.i64();
          close(id, ts, reason, dropped);
          break;
        }
        default:
          throw new IllegalStateException("bad extract operation " + op);
      }
    }
    if (gathered > 0 && clock.getAsLong() - lastFlush >= FLUSH_EVERY_NANOS) {
      flush();
    }
  }

  /** Writes what every extract has gathered. */
  public void flush() {
    lastFlush = clock.getAsLong();
    if (gathered == 0) {
      return;
    }
    for (Extract x : open.values()) {
      drain(x);
    }
  }

  private boolean ensureDir() {
    if (dirReady) {
      return true;
    }
    try {
      if (!Files.isDirectory(dir)) {
        if (posix()) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        } else {
          Files.createDirectories(dir);
        }
      }
      // Files of an earlier run count against the budget, oldest (by name: time) first.
      List<Path> old = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.pcap")) {
        ds.forEach(old::add);
      }
      old.sort(null);
      for (Path p : old) {
        long size = Files.size(p);
        files.add(new Entry(p, size));
        diskBytes += size;
      }
      dirReady = true;
      return true;
    } catch (IOException e) {
      writeError(dir, e);
      return false;
    }
  }

  private boolean posix() {
    if (posix == null) {
      posix = outDir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
    return posix;
  }

  private void open(long id, int linkType, long flowId, String rel, String tuple) {
    Path path = outDir.resolve(rel);
    Entry entry = new Entry(path, 0);
    Extract x = new Extract(id, rel, entry, flowId, tuple, linkType);
    open.put(id, x);
    opened++;
    if (!ensureDir()) {
      x.failed = true;
      return;
    }
    io.clear();
    io.putInt(MAGIC_NANO).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
        .putInt(SNAPLEN).putInt(linkType);
    io.flip();
    try {
      Files.deleteIfExists(path);
      x.ch = posix()
          ? FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(FILE_MODE))
          : FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      channels.put(id, x);
      files.add(entry);
      closeLeastRecent();
    } catch (IOException e) {
      x.failed = true;
      writeError(path, e);
      return;
    }
    write(x, io);
  }

  private void packet(long id, long ts, byte[] b, int off, int cap, int orig) {
    Extract x = open.get(id);
    if (x == null) {
      return;
    }
    if (x.failed || x.entry.gone) {
      x.lost++;
      return;
    }
    int len = Math.min(cap, SNAPLEN);
    if (io.capacity() < 16 + len) {
      io = ByteBuffer.allocate(16 + len).order(ByteOrder.LITTLE_ENDIAN);
    }
    io.clear();
    io.putInt((int) Math.floorDiv(ts, 1_000_000_000L)).putInt((int) Math.floorMod(ts,
        1_000_000_000L)).putInt(len).putInt(orig).put(b, off, len);
    io.flip();
    if (write(x, io)) {
      x.packets++;
      x.bytes += len;
      packets++;
      bytes += len;
      if (x.held > 0) {
        x.heldPackets++;
        x.heldPacketBytes += len;
      }
    } else {
      x.lost++;
    }
  }

  /**
   * Adds {@code data} to {@code x}'s file within the budget (gathered, see the class comment);
   * false when it was not taken.
   */
  private boolean write(Extract x, ByteBuffer data) {
    int n = data.remaining();
    for (Iterator<Entry> it = files.iterator(); diskBytes + n > budget && it.hasNext(); ) {
      Entry oldest = it.next();
      if (oldest != x.entry) { // the file being written is never its own victim
        it.remove();
        deleteForBudget(oldest);
      }
    }
    if (x.entry.gone) {
      return false;
    }
    if (diskBytes + n > budget) {
      budgetDrops++;
      return false;
    }
    if (x.held + n > PIECE && !drain(x)) {
      return false;
    }
    if (n > PIECE) {
      if (!writeOut(x, data)) {
        return false;
      }
    } else {
      if (x.buf == null || x.buf.length < x.held + n) {
        int had = x.buf == null ? 0 : x.buf.length;
        int size = Math.min(PIECE, Math.max(x.held + n, had == 0 ? 2048 : had * 2));
        x.buf = x.buf == null ? new byte[size] : Arrays.copyOf(x.buf, size);
        gathered += size - had;
      }
      data.get(x.buf, x.held, n);
      x.held += n;
    }
    x.entry.size += n;
    diskBytes += n;
    if (gathered > GATHERED_MAX) {
      flush();
    }
    return true;
  }

  /**
   * Writes what {@code x} has gathered. On failure the gathered packets count as lost, not written,
   * and the extract is given up.
   */
  private boolean drain(Extract x) {
    if (x.held == 0) {
      return !x.failed;
    }
    int n = x.held;
    x.held = 0;
    boolean ok = writeOut(x, ByteBuffer.wrap(x.buf, 0, n));
    if (!ok) {
      x.packets -= x.heldPackets;
      x.bytes -= x.heldPacketBytes;
      x.lost += x.heldPackets;
      packets -= x.heldPackets;
      bytes -= x.heldPacketBytes;
      x.entry.size -= n;
      diskBytes -= n;
    }
    x.heldPackets = 0;
    x.heldPacketBytes = 0;
    gathered -= x.buf.length;
    x.buf = null;
    return ok;
  }

  /** Drops what {@code x} has gathered (its file was deleted). */
  private void discard(Extract x) {
    if (x.buf != null) {
      gathered -= x.buf.length;
    }
    x.held = 0;
    x.heldPackets = 0;
    x.heldPacketBytes = 0;
    x.buf = null;
  }

  /** Writes {@code data} to {@code x}'s channel, opening it again if it was closed. */
  private boolean writeOut(Extract x, ByteBuffer data) {
    if (x.failed) {
      return false;
    }
    try {
      if (x.ch == null) {
        x.ch = FileChannel.open(x.entry.path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        channels.put(x.id, x);
        closeLeastRecent();
      } else {
        channels.get(x.id); // most recently used
      }
      while (data.hasRemaining()) {
        x.ch.write(data);
      }
      return true;
    } catch (IOException e) {
      x.failed = true;
      closeChannel(x);
      writeError(x.entry.path, e);
      return false;
    }
  }

  private void deleteForBudget(Entry e) {
    e.gone = true;
    diskBytes -= e.size;
    for (Extract x : open.values()) {
      if (x.entry == e) {
        discard(x);
        closeChannel(x);
      }
    }
    try {
      Files.deleteIfExists(e.path);
      if (deleted++ == 0) {
        log.println("mirrorsensor: extracts: disk budget of " + budget + " bytes reached,"
            + " deleting the oldest extracts (first: " + e.path.getFileName()
            + "; further deletions are counted)");
      }
      deletedBytes += e.size;
    } catch (IOException ex) {
      writeError(e.path, ex);
    }
  }

  private void closeLeastRecent() {
    Iterator<Extract> it = channels.values().iterator();
    while (channels.size() > MAX_OPEN && it.hasNext()) {
      Extract x = it.next();
      it.remove();
      closeQuietly(x);
    }
  }

  private void closeChannel(Extract x) {
    channels.remove(x.id);
    closeQuietly(x);
  }

  private void closeQuietly(Extract x) {
    if (x.ch != null) {
      try {
        x.ch.close();
      } catch (IOException e) {
        writeError(x.entry.path, e);
      }
      x.ch = null;
    }
  }

  private void close(long id, long ts, String reason, long dropped) {
    Extract x = open.remove(id);
    if (x == null) {
      return;
    }
    drain(x);
    closeChannel(x);
    closed++;
    StringBuilder b = new StringBuilder(256);
    b.append("{\"timestamp\":\"").append(eveTime(ts)).append("\",\"flow_id\":")
        .append(x.flowId).append(",\"event_type\":\"extract\",").append(x.tuple)
        .append(",\"extract\":{\"pcap\":\"").append(x.rel).append("\",\"packets\":")
        .append(x.packets).append(",\"bytes\":").append(x.bytes).append(",\"reason\":\"")
        .append(reason).append("\",\"lost_packets\":").append(x.lost + dropped);
    if (x.entry.gone) {
      b.append(",\"deleted\":true");
    }
    if (x.failed) {
      b.append(",\"write_failed\":true");
    }
    b.append("}}\n");
    eveLines.accept(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static final java.time.format.DateTimeFormatter EVE_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxx")
          .withZone(java.time.ZoneOffset.UTC);

  /** EVE's timestamp text ({@code 2024-01-15T10:00:00.650100+0000}, microseconds, UTC). */
  static String eveTime(long nanos) {
    long micros = Math.floorDiv(nanos, 1000L);
    return EVE_TIME.format(java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1000L));
  }

  private void writeError(Path file, IOException e) {
    writeErrors++;
    unreported++;
    long now = clock.getAsLong();
    if (lastReport == Long.MIN_VALUE || now - lastReport >= MINUTE) {
      String why = e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
          ? ((FileSystemException) e).getReason() : e.toString();
      log.println("mirrorsensor: extracts: cannot write " + file + ": " + why + " ("
          + unreported + " write error(s) since the last report, " + writeErrors
          + " in all; detection goes on)");
      lastReport = now;
      unreported = 0;
    }
  }

  /** Closes the files still open (their flows never ended: an aborted run). */
  @Override
  public void close() {
    flush();
    for (Extract x : new ArrayList<>(open.values())) {
      closeChannel(x);
    }
    open.clear();
  }

  /** Output-side counters ({@code extract.*} in the run summary). */
  public Map<String, Long> stats() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("files_opened", opened);
    m.put("files_closed", closed);
    m.put("packets_written", packets);
    m.put("bytes_written", bytes);
    m.put("deleted_for_budget", deleted);
    m.put("deleted_bytes", deletedBytes);
    m.put("budget_drops", budgetDrops);
    m.put("write_errors", writeErrors);
    m.put("disk_bytes", diskBytes);
    return m;
  }

  /** Bytes of gathering arrays held now (at most about {@link #GATHERED_MAX}). */
  long gatheredBytes() {
    return gathered;
  }

  public long writeErrors() {
    return writeErrors;
  }

  public long deleted() {
    return deleted;
  }
}
