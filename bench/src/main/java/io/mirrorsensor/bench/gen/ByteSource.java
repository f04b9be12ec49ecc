package io.mirrorsensor.bench.gen;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A message body produced piecewise, so an open flow holds a cursor instead of its bytes: the
 * traffic generator cuts TCP segments from it one at a time.
 */
abstract class ByteSource {
  /** Copies up to {@code max} next bytes into {@code dst}; returns how many (0: exhausted). */
  abstract int read(byte[] dst, int off, int max);

  /** Fixed bytes. */
  static ByteSource of(byte[] bytes) {
    return new ByteSource() {
      int pos;

      @Override
      int read(byte[] dst, int off, int max) {
        int n = Math.min(max, bytes.length - pos);
        System.arraycopy(bytes, pos, dst, off, n);
        pos += n;
        return n;
      }
    };
  }

  /** {@code length} bytes of the shared HTML filler (wrapping around). */
  static ByteSource filler(long length) {
    return new ByteSource() {
      long pos;

      @Override
      int read(byte[] dst, int off, int max) {
        byte[] f = TrafficGenerator.BODY_FILLER;
        int n = 0;
        while (n < max && pos < length) {
          int at = (int) (pos % f.length);
          int k = (int) Math.min(Math.min(max - n, length - pos), f.length - at);
          System.arraycopy(f, at, dst, off + n, k);
          pos += k;
          n += k;
        }
        return n;
      }
    };
  }

  /** {@code length} bytes of the flow's random stream (compressed or encrypted content). */
  static ByteSource random(long length, SplittableRandom r) {
    return new ByteSource() {
      long pos;

      @Override
      int read(byte[] dst, int off, int max) {
        int n = (int) Math.min(max, length - pos);
        randomBytes(r, dst, off, n);
        pos += n;
        return n;
      }
    };
  }

  /** {@code length} bytes of TLS application_data records of at most 16 KiB, random payload. */
  static ByteSource tlsRecords(long length, SplittableRandom r) {
    return new ByteSource() {
      long left = length;
      int header = 5;
      int inRecord;
      int recordLen;

      @Override
      int read(byte[] dst, int off, int max) {
        int n = 0;
        while (n < max && (left > 0 || header < 5)) {
          if (header == 5) {
            recordLen = (int) Math.min(left, 16_384 + 17);
            left -= recordLen;
            inRecord = 0;
            header = 0;
          }
          if (header < 5) {
            int v = header == 0 ? TlsWire.APPLICATION_DATA : header == 1 ? 3 : header == 2 ? 3
                : header == 3 ? recordLen >>> 8 : recordLen & 0xFF;
            dst[off + n++] = (byte) v;
            header++;
            continue;
          }
          int k = Math.min(max - n, recordLen - inRecord);
          randomBytes(r, dst, off + n, k);
          n += k;
          inRecord += k;
          if (inRecord == recordLen) {
            header = 5;
          }
        }
        return n;
      }
    };
  }

  /** Filler content in HTTP/1.1 chunked transfer coding: chunks of {@code chunk} bytes. */
  static ByteSource chunked(long length, int chunk) {
    return new ByteSource() {
      long left = length;
      byte[] piece = new byte[0];
      int piecePos;
      long dataLeft;
      boolean trailerSent;
      final ByteSource data = filler(length);

      @Override
      int read(byte[] dst, int off, int max) {
        int n = 0;
        while (n < max) {
          if (piecePos < piece.length) {
            int k = Math.min(max - n, piece.length - piecePos);
            System.arraycopy(piece, piecePos, dst, off + n, k);
            piecePos += k;
            n += k;
          } else if (dataLeft > 0) {
            int k = data.read(dst, off + n, (int) Math.min(max - n, dataLeft));
            dataLeft -= k;
            n += k;
            if (dataLeft == 0) {
              setPiece(left > 0 ? "\r\n" : "\r\n0\r\n\r\n");
              trailerSent = left == 0;
            }
          } else if (left > 0) {
            long c = Math.min(chunk, left);
            left -= c;
            dataLeft = c;
            setPiece(Long.toHexString(c) + "\r\n");
          } else if (!trailerSent) {
            setPiece("0\r\n\r\n");
            trailerSent = true;
          } else {
            break;
          }
        }
        return n;
      }

      private void setPiece(String s) {
        piece = s.getBytes(StandardCharsets.US_ASCII);
        piecePos = 0;
      }
    };
  }

  /** {@code a} then {@code b}. */
  static ByteSource concat(ByteSource a, ByteSource b) {
    return new ByteSource() {
      boolean second;

      @Override
      int read(byte[] dst, int off, int max) {
        int n = second ? 0 : a.read(dst, off, max);
        if (n < max) {
          second = true;
          n += b.read(dst, off + n, max - n);
        }
        return n;
      }
    };
  }

  /** Fills {@code dst[off, off+n)} from {@code r}, eight bytes per draw. */
  static void randomBytes(SplittableRandom r, byte[] dst, int off, int n) {
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long v = r.nextLong();
      for (int j = 0; j < 8; j++) {
        dst[off + i + j] = (byte) (v >>> (8 * j));
      }
    }
    if (i < n) {
      long v = r.nextLong();
      for (; i < n; i++, v >>>= 8) {
        dst[off + i] = (byte) v;
      }
    }
  }
}
