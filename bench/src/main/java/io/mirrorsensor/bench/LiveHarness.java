package io.mirrorsensor.bench;

import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.Outputs;
import io.mirrorsensor.sensor.gen.Frames;
import io.mirrorsensor.sensor.live.LiveRunner;
import io.mirrorsensor.sensor.live.LiveSummary;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Live zero-loss rate and latency on loopback: starts the real listener ({@link LiveRunner}) on
 * 127.0.0.1, sends VXLAN datagrams at a fixed rate for a few seconds from sender threads in the
 * same JVM, stops the sensor through its shutdown path, and counts what it processed. A rate is
 * lossless when every datagram sent was processed (no kernel drop, no ring drop). A binary search
 * finds the highest lossless rate for 128-byte and 700-byte inner frames (UDP, 4,096 flows, two
 * VNIs); then, at half that rate, receive-to-processed latency percentiles (HdrHistogram, recorded
 * by the workers).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.mirrorsensor.bench.LiveHarness \
 *     [--seconds 3] [--senders 2] [--max 2000000] [--sizes 128,700] [--workers N] [--loops N]
 *     [--sender nio|sendmmsg|gso] [--batch 64] [--wait STRATEGY] [--receive-batch N]
 *     [--rmem-max BYTES] [--sender-only] [--rate PPS]
 * </pre>
 *
 * Sender and sensor share the machine's cores: the figure is a floor of what the sensor does
 * alone. {@code --sender nio} is one {@code write} per datagram from {@code --senders} threads
 * that spin to pace; {@code sendmmsg} and {@code gso} are {@link BatchSender} (one thread, batches
 * of {@code --batch}, sleeps between batches). {@code --rmem-max} (root only) raises
 * {@code net.core.rmem_max} for the run and puts the old value back at the end, also on Ctrl-C.
 * {@code --sender-only} measures the sender alone: unpaced, to a socket nobody reads.
 */
public final class LiveHarness {
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

  private LiveHarness() {}

  public static void main(String[] args) throws Exception {
    double seconds = 3;
    int senders = 2;
    long max = 2_000_000;
    String sizes = "128,700";
    Properties props = new Properties();
    props.setProperty("live.stats_interval", "0");
    long rmemMax = 0;
    boolean senderOnly = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds":
          seconds = Double.parseDouble(args[++i]);
          break;
        case "--senders":
          senders = Integer.parseInt(args[++i]);
          break;
        case "--max":
          max = Long.parseLong(args[++i]);
          break;
        case "--sizes":
          sizes = args[++i];
          break;
        case "--workers":
          props.setProperty("pipeline.workers", args[++i]);
          break;
        case "--loops":
          props.setProperty("live.event_loops", args[++i]);
          break;
        case "--sender":
          senderMode = args[++i];
          break;
        case "--batch":
          batch = Integer.parseInt(args[++i]);
          break;
        case "--wait":
          props.setProperty("pipeline.wait_strategy", args[++i]);
          break;
        case "--receive-batch":
          props.setProperty("live.receive_batch", args[++i]);
          break;
        case "--rmem-max":
          rmemMax = Long.parseLong(args[++i]);
          break;
        case "--rate":
          fixedRate = Long.parseLong(args[++i]);
          break;
        case "--sender-only":
          senderOnly = true;
          break;
        default:
          System.err.println("unknown argument " + args[i]);
          System.exit(2);
      }
    }
    SensorConfig cfg = ConfigLoader.fromProperties(props, "harness");
    System.out.printf("machine: %d cores, java %s; sensor: %d workers, %d receive loops, ring %d,"
        + " wait %s, receive batch %d; sender %s (%d threads, batch %d); %.0f s per trial%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        cfg.live().workers(), cfg.live().eventLoops(), cfg.live().ringSize(),
        cfg.live().waitStrategy(), cfg.live().receiveBatch(), senderMode,
        senderMode.equals("nio") ? senders : 1, batch, seconds);
    String oldRmem = rmemMax > 0 ? RmemMax.raise(rmemMax) : null;
    try {
      if (senderOnly) {
        for (String s : sizes.split(",")) {
          senderAlone(Integer.parseInt(s.trim()), seconds, senders);
        }
      } else {
        run(cfg, sizes, seconds, senders, max);
      }
    } finally {
      if (oldRmem != null) {
        RmemMax.restore(oldRmem);
      }
    }
  }

  private static String senderMode = "nio";
  /** When set: one trial at this rate per size (after the warm-up), no search. */
  private static long fixedRate;
  private static int batch = 64;

  /** Unpaced sending to a bound socket nobody reads: what the sender does alone. */
  private static void senderAlone(int size, double seconds, int senders) throws Exception {
    List<byte[]> datagrams = datagrams(size, 4096);
    try (DatagramChannel sink = DatagramChannel.open()) {
      sink.bind(new InetSocketAddress("127.0.0.1", 0));
      InetSocketAddress to = (InetSocketAddress) sink.getLocalAddress();
      for (int round = 0; round < 2; round++) { // the first round warms the JIT
        long total = (long) (seconds * 2_000_000);
        long t0 = System.nanoTime();
        long sent = sendAll(to, datagrams, 100_000_000L, total, senders, (long) (seconds * 1e9));
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  sender alone (%s), %d B: %,d datagrams in %.2f s = %,.0f pps%n",
            senderMode, size, sent, secs, sent / secs);
      }
    }
  }

  private static void run(SensorConfig cfg, String sizes, double seconds, int senders, long max)
      throws Exception {
    for (String s : sizes.split(",")) {
      int size = Integer.parseInt(s.trim());
      List<byte[]> datagrams = datagrams(size, 4096);
      // Warm-up: JIT the sensor's and the sender's paths.
      trial(cfg, datagrams, 100_000, 2, senders);
      if (fixedRate > 0) {
        Trial t = trial(cfg, datagrams, fixedRate, seconds, senders);
        System.out.printf("  %4d B  %,9d pps offered  %,9d sent (%,.0f pps)  lost %,d"
            + " (kernel %,d, ring %,d); latency p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms%n",
            size, fixedRate, t.sent, t.sentPps, t.lost(), t.summary.kernelDrops(),
            t.summary.dropped("ring_full"),
            t.summary.latency().getValueAtPercentile(50) / 1e6,
            t.summary.latency().getValueAtPercentile(99) / 1e6,
            t.summary.latency().getValueAtPercentile(99.9) / 1e6);
        continue;
      }
      long lo = 0;
      long hi = max;
      Trial best = null;
      while (hi - lo > Math.max(10_000, lo / 20)) {
        long rate = (lo + hi) / 2;
        Trial t = trial(cfg, datagrams, rate, seconds, senders);
        System.out.printf("  %4d B  %,9d pps offered  %,9d sent (%,.0f pps)  lost %,d"
            + " (kernel %,d, ring %,d)%n", size, rate, t.sent, t.sentPps, t.lost(),
            t.summary.kernelDrops(), t.summary.dropped("ring_full"));
        if (t.lost() == 0 && t.sentPps >= rate * 0.95) {
          lo = rate;
          best = t;
        } else {
          hi = rate;
        }
      }
      System.out.printf("%d-byte inner frames: highest lossless rate %,d packets/s%s%n", size, lo,
          best == null ? " (none found)" : String.format(" (%,.0f Mbit/s of VXLAN payload)",
              best.sent * (size + 8) * 8 / best.seconds / 1e6));
      Trial lat = trial(cfg, datagrams, Math.max(10_000, lo / 2), seconds, senders);
      System.out.printf("  latency at %,d pps: receive to processed p50 %.3f ms, p99 %.3f ms,"
          + " p99.9 %.3f ms, max %.3f ms (lost %,d)%n", Math.max(10_000, lo / 2),
          lat.summary.latency().getValueAtPercentile(50) / 1e6,
          lat.summary.latency().getValueAtPercentile(99) / 1e6,
          lat.summary.latency().getValueAtPercentile(99.9) / 1e6,
          lat.summary.latency().getMaxValue() / 1e6, lat.lost());
    }
  }

  /** VXLAN payloads (header + inner Ethernet/IPv4/UDP frame of {@code size} bytes), many flows. */
  static List<byte[]> datagrams(int size, int flows) {
    List<byte[]> out = new ArrayList<>();
    int payload = Math.max(0, size - 14 - 20 - 8);
    for (int i = 0; i < flows; i++) {
      byte[] src = {10, 1, (byte) (i >>> 8), (byte) i};
      byte[] dst = {10, 2, 0, (byte) (i % 16)};
      byte[] inner = Frames.frame().ipv4(src, dst).udp(20000 + i % 30000, 443)
          .payload(new byte[payload]).build();
      byte[] d = new byte[8 + inner.length];
      int vni = 100 + (i & 1);
      d[0] = 0x08;
      d[4] = (byte) (vni >>> 16);
      d[5] = (byte) (vni >>> 8);
      d[6] = (byte) vni;
      System.arraycopy(inner, 0, d, 8, inner.length);
      out.add(d);
    }
    return out;
  }

  record Trial(long sent, double sentPps, double seconds, LiveSummary summary) {
    long lost() {
      return sent - summary.processed();
    }
  }

  static Trial trial(SensorConfig cfg, List<byte[]> datagrams, long rate, double seconds,
      int senders) throws Exception {
    Path out = Path.of("bench-out", "live");
    LiveRunner r = new LiveRunner(cfg, "127.0.0.1", 0, Outputs.open(out, cfg, QUIET), QUIET);
    r.start();
    InetSocketAddress to = new InetSocketAddress("127.0.0.1", r.port());
    AtomicLong sent = new AtomicLong();
    long durationNanos = (long) (seconds * 1e9);
    long t0 = System.nanoTime();
    sent.set(sendAll(to, datagrams, rate, (long) (rate * seconds), senders, durationNanos));
    double secs = (System.nanoTime() - t0) / 1e9;
    LockSupport.parkNanos(200_000_000L); // let the socket buffers drain into the rings
    LiveSummary summary = r.stop();
    return new Trial(sent.get(), sent.get() / secs, secs, summary);
  }

  /** Sends {@code total} datagrams at {@code rate} with the chosen sender; returns the count. */
  private static long sendAll(InetSocketAddress to, List<byte[]> datagrams, long rate, long total,
      int senders, long durationNanos) throws Exception {
    if (!senderMode.equals("nio")) {
      try (BatchSender b = new BatchSender(senderMode.equals("gso"), batch)) {
        return b.send(to, datagrams, rate, total).get();
      }
    }
    AtomicLong sent = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      int id = s;
      Thread t = new Thread(() -> sent.addAndGet(send(to, datagrams, id, senders,
          (double) rate / senders, total / senders)));
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    return sent.get();
  }

  private static long send(InetSocketAddress to, List<byte[]> datagrams, int id, int senders,
      double rate, long count) {
    try (DatagramChannel ch = DatagramChannel.open()) {
      ch.connect(to);
      ByteBuffer[] bufs = new ByteBuffer[datagrams.size()];
      for (int i = 0; i < bufs.length; i++) {
        bufs[i] = ByteBuffer.allocateDirect(datagrams.get(i).length);
        bufs[i].put(datagrams.get(i)).flip();
      }
      double gap = 1e9 / rate;
      long start = System.nanoTime();
      long n = 0;
      int i = id;
      while (true) {
        long due = start + (long) (n * gap);
        long now = System.nanoTime();
        if (n >= count) {
          return n;
        }
        while (due > now) {
          Thread.onSpinWait();
          now = System.nanoTime();
        }
        ByteBuffer b = bufs[i];
        b.rewind();
        ch.write(b);
        n++;
        i += senders;
        if (i >= bufs.length) {
          i = id;
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
