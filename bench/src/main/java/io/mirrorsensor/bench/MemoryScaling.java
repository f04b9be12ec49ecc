package io.mirrorsensor.bench;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.DiscardingEventSink;
import io.mirrorsensor.sensor.engine.PacketProcessor;
import io.mirrorsensor.sensor.gen.Frames;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Memory per flow: opens {@code N} TCP flows in one {@link PacketProcessor} (the whole per-packet
 * path of one worker: decoder, flow table, TCP tracker, reassembly, app-layer parsers) and keeps
 * them all open, then prints the heap used (after a full GC) and the resident set grown since the
 * processor was made, divided by {@code N}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.mirrorsensor.bench.MemoryScaling N handshake|http
 * </pre>
 *
 * {@code handshake}: each flow is a SYN, SYN-ACK and ACK (a connection held open, nothing sent);
 * {@code http}: the same plus one GET and the response head, so the HTTP parser of each direction
 * holds its state too (what a busy web front end leaves open). Packets are 100 ns apart in packet
 * time, so no flow times out. Prints one line: {@code flows N heap BYTES rss BYTES}.
 *
 * <p>Why a direct harness and not a generated capture: the replay ends every flow when the file
 * ends, so the flows' peak would have to be caught from outside while it runs; here the flows are
 * held while measured, nothing else (reader buffers, output queues) is counted, and a million
 * flows take seconds instead of a multi-GB capture. Run one process per size so each starts clean.
 */
public final class MemoryScaling {
  private MemoryScaling() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    boolean http = args.length > 1 && args[1].equals("http");
    Properties props = new Properties();
    props.setProperty("flow.max_flows", Integer.toString(Math.max(2 * n, 1000)));
    SensorConfig cfg = ConfigLoader.fromProperties(props, "memory-scaling");
    PacketProcessor p = new PacketProcessor(cfg, new DiscardingEventSink());
    byte[] server = Frames.ip("10.200.0.1");
    byte[] get = ("GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: bench\r\n"
        + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] ok = ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    long heap0 = heapAfterGc();
    long rss0 = rss();
    long ts = 1_705_312_800_000_000_000L;
    Frames.Builder b = Frames.frame();
    for (int i = 0; i < n; i++) {
      byte[] client = {10, (byte) (1 + (i >>> 16)), (byte) (i >>> 8), (byte) i};
      int port = 1024 + (i % 50_000);
      long cs = 1000L + i;
      long ss = 5000L + i;
      ts = feed(p, b.reset().ipv4(client, server).tcp(port, 80).flags(Frames.SYN).seq(cs)
          .build(), ts);
      ts = feed(p, b.reset().ipv4(server, client).tcp(80, port).flags(Frames.SYN | Frames.ACK)
          .seq(ss).ack(cs + 1).build(), ts);
      ts = feed(p, b.reset().ipv4(client, server).tcp(port, 80).flags(Frames.ACK).seq(cs + 1)
          .ack(ss + 1).build(), ts);
      if (http) {
        ts = feed(p, b.reset().ipv4(client, server).tcp(port, 80).flags(Frames.ACK | Frames.PSH)
            .seq(cs + 1).ack(ss + 1).payload(get).build(), ts);
        ts = feed(p, b.reset().ipv4(server, client).tcp(80, port).flags(Frames.ACK | Frames.PSH)
            .seq(ss + 1).ack(cs + 1 + get.length).payload(ok).build(), ts);
      }
    }
    long heap1 = heapAfterGc();
    long rss1 = rss();
    int active = p.flows().active();
    if (active != n) {
      System.err.printf("MemoryScaling: %d flows open, expected %d%n", active, n);
    }
    System.out.printf("flows %d heap %d rss %d%n", active, heap1 - heap0, rss1 - rss0);
    // Keep p reachable until the figures are taken.
    if (p.packets() < 0) {
      System.out.println(p);
    }
  }

  private static long feed(PacketProcessor p, byte[] f, long ts) {
    p.process(f, 0, f.length, f.length, LinkType.ETHERNET, ts, 0);
    return ts + 100;
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Resident set of this JVM in bytes (VmRSS), or 0 where /proc is missing. */
  static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException e) {
      // not Linux
    }
    return 0;
  }
}
