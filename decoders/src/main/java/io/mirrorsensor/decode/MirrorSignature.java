package io.mirrorsensor.decode;

/** Placeholder: replaced by the decoders branch. */
public final class MirrorSignature {
  private MirrorSignature() {}

  public static long of(DecodedPacket p) {
    return 0;
  }
}
