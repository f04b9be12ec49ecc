package io.mirrorsensor.rules;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The transformed sticky buffers ({@code dns.query; dotprefix;} ...): each is a derived buffer
 * built from its root buffer's bytes, copied into the inspection's scratch and rewritten by the
 * chain in order, at most once per call, direction and instance. Instances are shared process-wide
 * by (root, chain), so the ids stay small and rule sets reloaded with the same rules reuse them.
 */
final class TransformedBuffer {
  private static final ConcurrentHashMap<String, StickyBuffer> BY_KEY = new ConcurrentHashMap<>();
  private static final AtomicInteger NEXT_ID = new AtomicInteger(StickyBuffer.COUNT);

  private TransformedBuffer() {}

  interface Maker {
    StickyBuffer make(int id, StickyBuffer root, Transform[] chain, BufferSupplier supplier);
  }

  static String suffix(Transform[] chain) {
    StringBuilder sb = new StringBuilder();
    for (Transform t : chain) {
      sb.append(" | ").append(t.key());
    }
    return sb.toString();
  }

  static StickyBuffer of(StickyBuffer base, Transform t, Maker maker) {
    Transform[] chain = Arrays.copyOf(base.transforms, base.transforms.length + 1);
    chain[chain.length - 1] = t;
    StickyBuffer root = base.root;
    String key = root.name + suffix(chain);
    return BY_KEY.computeIfAbsent(key, k -> {
      int id = NEXT_ID.getAndIncrement();
      Inspection.Deriver d = new Deriver(root, chain);
      return maker.make(id, root, chain, (in, out) -> in.derived(id, d, out));
    });
  }

  /** Copies the root buffer and applies the chain in place. */
  private static final class Deriver implements Inspection.Deriver {
    private final StickyBuffer root;
    private final Transform[] chain;
    private final int growth;

    Deriver(StickyBuffer root, Transform[] chain) {
      this.root = root;
      this.chain = chain;
      int g = 0;
      for (Transform t : chain) {
        g += t.growth();
      }
      this.growth = g;
    }

    @Override
    public int bound(Inspection in) {
      Span s = in.transformBase;
      return root.supplier.fill(in, s) ? s.len + growth : -1;
    }

    @Override
    public int derive(Inspection in, byte[] dst) {
      Span s = in.transformBase;
      if (!root.supplier.fill(in, s)) {
        return -1;
      }
      System.arraycopy(s.buf, s.off, dst, 0, s.len);
      int n = s.len;
      for (Transform t : chain) {
        n = t.apply(dst, n);
      }
      return n;
    }
  }
}
