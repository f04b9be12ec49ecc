package io.mirrorsensor.decode;

/** Settings of the decoders; immutable. */
public record DecoderConfig(int[] vxlanPorts, boolean validateChecksums, int maxTunnelDepth) {
  public static DecoderConfig defaults() {
    return new DecoderConfig(new int[] {4789}, false, 4);
  }
}
