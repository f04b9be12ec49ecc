package io.mirrorsensor.bench;

import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.Outputs;
import io.mirrorsensor.sensor.gen.Frames;
import io.mirrorsensor.sensor.live.DirectFeed;
import io.mirrorsensor.sensor.live.LiveRunner;
import io.mirrorsensor.sensor.live.LiveSummary;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

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
 *     [--rmem-max BYTES] [--sender-only] [--rate PPS] [--receiver sensor|netty|direct|port:N]
 *     [--warmup SECONDS] [--ring SLOTS] [--udp-gro true|false]
 *     [--set KEY=VALUE]...
 * </pre>
 *
 * Sender and sensor share the machine's cores: the figure is a floor of what the sensor does
 * alone. {@code --sender nio} is one {@code write} per datagram from {@code --senders} threads
 * that spin to pace; {@code sendmmsg} and {@code gso} are {@link BatchSender} (one thread, batches
 * of {@code --batch}, sleeps between batches). {@code --rmem-max} (root only) raises
 * {@code net.core.rmem_max} for the run and puts the old value back at the end, also on Ctrl-C.
 * {@code --sender-only} measures the sender alone: unpaced, to a socket nobody reads.
 *
 * <p>{@code --receiver} picks what receives, to find the machine's ceiling: {@code sensor} (the
 * default, the real listener), {@code netty} (a {@link CountingReceiver}: the sensor's Netty socket
 * set-up with a handler that only counts) or {@code port:N} (a receiver outside this JVM on
 * 127.0.0.1:N, e.g. a C program that counts with {@code recvmmsg}; loss is the kernel's drop
 * counter of that port in {@code /proc/net/udp}, so the receiver must keep no other loss) or
 * {@code direct} (no socket and no sender: {@link io.mirrorsensor.sensor.live.DirectFeed} hands
 * the datagrams to the sensor's handler in bursts of {@code --receive-batch}; what the sensor
 * itself costs per packet, and its ceiling without the kernel).
 * Each trial prints the CPU time of this JVM's threads per packet sent, by role
 * ({@link ThreadCpu}).
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
        case "--ring":
          props.setProperty("pipeline.ring_size", args[++i]);
          break;
        case "--wait":
          props.setProperty("pipeline.wait_strategy", args[++i]);
          break;
        case "--receive-batch":
          props.setProperty("live.receive_batch", args[++i]);
          break;
        case "--udp-gro":
          props.setProperty("live.udp_gro", args[++i]);
          break;
        case "--set": { // any configuration key, e.g. --set flow.mirror_duplicate_window=0
          String kv = args[++i];
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            System.err.println("--set: KEY=VALUE");
            System.exit(2);
          }
          props.setProperty(kv.substring(0, eq), kv.substring(eq + 1));
          break;
        }
        case "--rmem-max":
          rmemMax = Long.parseLong(args[++i]);
          break;
        case "--rate":
          fixedRate = Long.parseLong(args[++i]);
          break;
        case "--warmup":
          warmupSeconds = Double.parseDouble(args[++i]);
          break;
        case "--sender-only":
          senderOnly = true;
          break;
        case "--receiver":
          receiver = args[++i];
          if (!receiver.equals("sensor") && !receiver.equals("netty")
              && !receiver.equals("direct") && !receiver.startsWith("port:")) {
            System.err.println("--receiver: sensor, netty, direct or port:N");
            System.exit(2);
          }
          break;
        default:
          System.err.println("unknown argument " + args[i]);
          System.exit(2);
      }
    }
    SensorConfig cfg = ConfigLoader.fromProperties(props, "harness");
    System.out.printf("machine: %d cores, java %s; sensor: %d workers, %d receive loops, ring %d,"
        + " wait %s, receive batch %d, udp gro %s; sender %s (%d threads, batch %d);"
        + " %.0f s per trial%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        cfg.live().workers(), cfg.live().eventLoops(), cfg.live().ringSize(),
        cfg.live().waitStrategy(), cfg.live().receiveBatch(),
        cfg.live().udpGro() ? "on" : "off", senderMode,
        senderMode.equals("nio") ? senders : 1, batch, seconds);
    System.out.println("receiver: " + receiver);
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
      if (batchSender != null) {
        batchSender.close();
      }
      if (oldRmem != null) {
        RmemMax.restore(oldRmem);
      }
    }
  }

  /** Length of the warm-up trial (100,000 packets/s) before each size's first trial. */
  private static double warmupSeconds = 2;
  /** sensor, netty or port:N (see the class comment). */
  private static String receiver = "sensor";
  /** One batch sender for the whole run: its thread's CPU time is read between trials. */
  private static BatchSender batchSender;

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
      trial(cfg, datagrams, 100_000, warmupSeconds, senders);
      if (fixedRate > 0) {
        Trial t = trial(cfg, datagrams, fixedRate, seconds, senders);
        System.out.printf("  %4d B  %,9d pps offered  %,9d sent (%,.0f pps)  lost %,d"
            + " (kernel %,d, ring %,d)%s%n  %s%n", size, fixedRate, t.sent, t.sentPps, t.lost,
            t.kernelDrops, t.ringFull, t.latency == null ? "" : String.format(
                "; latency p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms",
                t.latency.getValueAtPercentile(50) / 1e6, t.latency.getValueAtPercentile(99) / 1e6,
                t.latency.getValueAtPercentile(99.9) / 1e6), t.cpu);
        continue;
      }
      long lo = 0;
      long hi = max;
      Trial best = null;
      while (hi - lo > Math.max(10_000, lo / 20)) {
        long rate = (lo + hi) / 2;
        Trial t = trial(cfg, datagrams, rate, seconds, senders);
        System.out.printf("  %4d B  %,9d pps offered  %,9d sent (%,.0f pps)  lost %,d"
            + " (kernel %,d, ring %,d)  %s%n", size, rate, t.sent, t.sentPps, t.lost,
            t.kernelDrops, t.ringFull, t.cpu);
        if (t.lost == 0 && t.sentPps >= rate * 0.95) {
          lo = rate;
          best = t;
        } else {
          hi = rate;
        }
      }
      System.out.printf("%d-byte inner frames: highest lossless rate %,d packets/s%s%n", size, lo,
          best == null ? " (none found)" : String.format(" (%,.0f Mbit/s of VXLAN payload)",
              best.sent * (size + 8) * 8 / best.seconds / 1e6));
      if (!receiver.equals("sensor") && !receiver.equals("direct")) {
        continue; // no latency without the sensor's workers
      }
      Trial lat = trial(cfg, datagrams, Math.max(10_000, lo / 2), seconds, senders);
      System.out.printf("  latency at %,d pps: receive to processed p50 %.3f ms, p99 %.3f ms,"
          + " p99.9 %.3f ms, max %.3f ms (lost %,d)%n", Math.max(10_000, lo / 2),
          lat.latency.getValueAtPercentile(50) / 1e6,
          lat.latency.getValueAtPercentile(99) / 1e6,
          lat.latency.getValueAtPercentile(99.9) / 1e6,
          lat.latency.getMaxValue() / 1e6, lat.lost);
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

  /**
   * One trial's outcome. {@code latency} is null without the sensor; {@code cpu} is this JVM's
   * CPU time per packet sent, by role.
   */
  record Trial(long sent, double sentPps, double seconds, long lost, long kernelDrops,
      long ringFull, Histogram latency, String cpu) {}

  @SuppressWarnings("unchecked")
  static Trial trial(SensorConfig cfg, List<byte[]> datagrams, long rate, double seconds,
      int senders) throws Exception {
    if (receiver.equals("netty")) {
      try (CountingReceiver r = new CountingReceiver(cfg.live())) {
        long drops0 = UdpSocket.drops(r.port());
        Sent s = sendTimed(new InetSocketAddress("127.0.0.1", r.port()), datagrams, rate, seconds,
            senders);
        // Everything read, and the count still for 200 ms: a socket closed with datagrams
        // queued discards them uncounted (a receive loop starved by a loaded machine can stall
        // for tens of milliseconds).
        for (long c = -1; c != r.count() || UdpSocket.queued(r.port()) > 0; ) {
          UdpSocket.awaitDrained(r.port());
          c = r.count();
          LockSupport.parkNanos(200_000_000L);
        }
        Map<String, Long> cpu = ThreadCpu.snapshot();
        long drops = UdpSocket.drops(r.port()) - drops0;
        return new Trial(s.sent, s.pps(), s.secs, s.sent - r.count(), drops, 0, null,
            ThreadCpu.perPacket(s.cpu0, cpu, s.sent));
      }
    }
    if (receiver.startsWith("port:")) {
      int port = Integer.parseInt(receiver.substring(5));
      long drops0 = UdpSocket.drops(port);
      if (drops0 < 0) {
        throw new IllegalStateException("no socket on 127.0.0.1:" + port + " in /proc/net/udp");
      }
      Sent s = sendTimed(new InetSocketAddress("127.0.0.1", port), datagrams, rate, seconds,
          senders);
      UdpSocket.awaitDrained(port);
      Map<String, Long> cpu = ThreadCpu.snapshot();
      long drops = UdpSocket.drops(port) - drops0;
      LockSupport.parkNanos(400_000_000L); // a quiet gap: the receiver may report per burst
      return new Trial(s.sent, s.pps(), s.secs, drops, drops, 0, null,
          ThreadCpu.perPacket(s.cpu0, cpu, s.sent));
    }
    Path out = Path.of("bench-out", "live");
    if (receiver.equals("direct")) {
      Map<String, Long> cpu0 = ThreadCpu.snapshot();
      Map<String, Long>[] cpu = new Map[1];
      DirectFeed.Result d = DirectFeed.run(cfg, Outputs.open(out, cfg, QUIET), datagrams, rate,
          (long) (rate * seconds), Math.max(1, cfg.live().receiveBatch()),
          () -> cpu[0] = ThreadCpu.snapshot());
      cpu[0].merge("receive", d.feederCpuNanos(), Long::sum); // the feeder has ended
      return new Trial(d.sent(), d.sent() / d.seconds(), d.seconds(), d.ringFull(), 0,
          d.ringFull(), d.latency(), ThreadCpu.perPacket(cpu0, cpu[0], d.sent()));
    }
    LiveRunner r = new LiveRunner(cfg, "127.0.0.1", 0, Outputs.open(out, cfg, QUIET), QUIET);
    r.start();
    settleHeap();
    Sent s = sendTimed(new InetSocketAddress("127.0.0.1", r.port()), datagrams, rate, seconds,
        senders);
    UdpSocket.awaitDrained(r.port());
    LockSupport.parkNanos(20_000_000L); // the last ring slots
    Map<String, Long> cpu = ThreadCpu.snapshot(); // before stop ends the threads
    LockSupport.parkNanos(180_000_000L);
    LiveSummary summary = r.stop();
    return new Trial(s.sent, s.pps(), s.secs, s.sent - summary.processed(),
        summary.kernelDrops(), summary.dropped("ring_full"), summary.latency(),
        ThreadCpu.perPacket(s.cpu0, cpu, s.sent));
  }

  /**
   * Each trial builds new rings (76 MB of slots per worker by default), young objects that G1
   * copied in pauses of 20-150 ms during the next trial's sending on the loaded 2-core VM
   * ({@code -Xlog:gc}): a cost of the harness, not of a sensor that allocates its rings once. A
   * full collection before sending moves them out of the way.
   */
  private static void settleHeap() {
    System.gc();
  }

  /** What a timed send did; {@code cpu0} is the CPU snapshot taken just before it. */
  private record Sent(long sent, double secs, Map<String, Long> cpu0) {
    double pps() {
      return sent / secs;
    }
  }

  private static Sent sendTimed(InetSocketAddress to, List<byte[]> datagrams, long rate,
      double seconds, int senders) throws Exception {
    if (!senderMode.equals("nio") && batchSender == null) {
      batchSender = new BatchSender(senderMode.equals("gso"), batch);
    }
    Map<String, Long> cpu0 = ThreadCpu.snapshot();
    long t0 = System.nanoTime();
    long n = sendAll(to, datagrams, rate, (long) (rate * seconds), senders, (long) (seconds * 1e9));
    return new Sent(n, (System.nanoTime() - t0) / 1e9, cpu0);
  }

  /** Sends {@code total} datagrams at {@code rate} with the chosen sender; returns the count. */
  private static long sendAll(InetSocketAddress to, List<byte[]> datagrams, long rate, long total,
      int senders, long durationNanos) throws Exception {
    if (!senderMode.equals("nio")) {
      if (batchSender == null) {
        batchSender = new BatchSender(senderMode.equals("gso"), batch);
      }
      return batchSender.send(to, datagrams, rate, total).get();
    }
    AtomicLong sent = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      int id = s;
      Thread t = new Thread(() -> sent.addAndGet(send(to, datagrams, id, senders,
          (double) rate / senders, total / senders)), "harness-sender-" + s);
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
