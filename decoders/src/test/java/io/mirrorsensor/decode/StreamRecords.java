package io.mirrorsensor.decode;

import io.mirrorsensor.decode.tcp.StreamSink;
import java.io.ByteArrayOutputStream;

/**
 * The input format of the TCP stream fuzz targets (HTTP, TLS): records {@code [op][len][bytes]}
 * with op bit 0 choosing the direction (0 to server, 1 to client) and bit 1 a gap of {@code len}
 * bytes instead of data; the last record is cut short by the end of the input. The fuzzer thus
 * chooses how the two streams interleave and where every segment boundary falls.
 */
public final class StreamRecords {
  private StreamRecords() {}

  /** Feeds {@code data} from {@code start} to the two sinks; {@code time} is called per record. */
  public static void feed(byte[] data, int start, StreamSink toServer, StreamSink toClient,
      java.util.function.LongConsumer time) {
    long[] offsets = new long[2];
    long ts = 0;
    int p = start;
    while (p + 2 <= data.length) {
      int op = data[p] & 3;
      int len = data[p + 1] & 0xFF;
      int dir = op & 1;
      StreamSink sink = dir == 0 ? toServer : toClient;
      ts += 1000;
      time.accept(ts);
      if ((op & 2) != 0) {
        sink.gap(offsets[dir], Math.max(1, len));
        offsets[dir] += Math.max(1, len);
        p += 2;
        continue;
      }
      int n = Math.min(len, data.length - p - 2);
      if (n > 0) {
        sink.data(data, p + 2, n, offsets[dir]);
        offsets[dir] += n;
      }
      p += 2 + n;
    }
  }

  /** Encodes alternating request/response streams into records of at most {@code chunk} bytes. */
  public static byte[] encode(int chunk, byte[]... toServerThenToClient) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < toServerThenToClient.length; i++) {
      byte[] s = toServerThenToClient[i];
      for (int p = 0; p < s.length; p += chunk) {
        int n = Math.min(chunk, s.length - p);
        out.write(i & 1);
        out.write(n);
        out.write(s, p, n);
      }
    }
    return out.toByteArray();
  }
}
