package io.mirrorsensor.sensor.cli;

import io.mirrorsensor.sensor.capture.CaptureFormatException;
import io.mirrorsensor.sensor.live.VxlanSender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mirrorsensor send FILE --to HOST:PORT}: replays a capture as VXLAN mirror traffic. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Send a capture to a listening sensor as VPC Traffic Mirroring does: each frame in a UDP"
          + " datagram with a VXLAN header. Plain frames are wrapped with --vni; frames of a"
          + " capture that holds VXLAN already are forwarded as they are (their own VNI).",
      "",
      "Exit status: 0 sent; 1 the file could not be read or the address used; 2 bad usage."
    })
final class SendCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "pcap or pcapng file")
  Path file;

  @Option(names = "--to", required = true, paramLabel = "HOST:PORT",
      description = "where the sensor listens, e.g. 127.0.0.1:4789")
  String to;

  @Option(names = "--vni", paramLabel = "N", defaultValue = "1",
      description = "VNI for frames that are not VXLAN already (default: ${DEFAULT-VALUE})")
  int vni;

  @Option(names = "--pps", paramLabel = "RATE", defaultValue = "0",
      description = "datagrams per second; 0 sends as fast as possible (default: ${DEFAULT-VALUE})")
  long pps;

  @Option(names = "--geneve", paramLabel = "ENDPOINT:ATTACHMENT", arity = "0..1",
      fallbackValue = "1:1",
      description = "send as a Gateway Load Balancer does: each VXLAN packet in GENEVE with AWS's"
          + " TLVs (endpoint id and attachment id in hex, default 1:1; flow cookie per flow);"
          + " send to the sensor's GENEVE port (6081)")
  String geneve;

  @Option(names = "--loop", paramLabel = "N", defaultValue = "1",
      description = "send the capture N times (default: ${DEFAULT-VALUE})")
  int loop;

  @Override
  public Integer call() {
    InetSocketAddress dest;
    try {
      dest = parse(to);
    } catch (IllegalArgumentException e) {
      System.err.println("mirrorsensor: --to " + to + ": " + e.getMessage());
      return 2;
    }
    if (vni < 0 || vni > 0xFFFFFF) {
      System.err.println("mirrorsensor: --vni " + vni + ": expected 0 to 16777215");
      return 2;
    }
    if (loop < 1 || pps < 0) {
      System.err.println("mirrorsensor: --loop must be 1 or more and --pps 0 or more");
      return 2;
    }
    if (!Files.isReadable(file)) {
      System.err.println("mirrorsensor: cannot read " + file);
      return Main.EXIT_ERROR;
    }
    try {
      VxlanSender s = new VxlanSender(file, vni, new int[] {4789});
      if (geneve != null) {
        String[] ids = geneve.split(":");
        try {
          if (ids.length != 2) {
            throw new NumberFormatException();
          }
          s.wrapInGeneve(Long.parseUnsignedLong(ids[0], 16), Long.parseUnsignedLong(ids[1], 16));
        } catch (NumberFormatException e) {
          System.err.println("mirrorsensor: --geneve " + geneve
              + ": expected ENDPOINT:ATTACHMENT, two 64-bit hex ids");
          return 2;
        }
      }
      VxlanSender.Result r = s.send(dest, pps, loop);
      System.err.printf("sent %,d datagrams (%,d bytes) to %s in %.2f s (%,.0f datagrams/s):"
          + " %,d wrapped with VNI %d, %,d forwarded as VXLAN, %,d skipped (not Ethernet);"
          + " %,d sends failed%n",
          r.datagrams(), r.bytes(), to, r.elapsedNanos() / 1e9, r.pps(), r.wrapped(), vni,
          r.forwarded(), r.skipped(), r.failed());
      return 0;
    } catch (CaptureFormatException e) {
      System.err.println("mirrorsensor: " + e.getMessage());
      return Main.EXIT_ERROR;
    } catch (IOException e) {
      System.err.println("mirrorsensor: " + e);
      return Main.EXIT_ERROR;
    }
  }

  static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the port is not a number");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the port must be 1 to 65535");
    }
    InetSocketAddress a = new InetSocketAddress(host, port);
    if (a.isUnresolved()) {
      throw new IllegalArgumentException("cannot resolve " + host);
    }
    return a;
  }
}
