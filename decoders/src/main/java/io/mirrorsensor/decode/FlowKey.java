package io.mirrorsensor.decode;

/** Placeholder: replaced by the decoders branch. */
public final class FlowKey {
  public static long hash(DecodedPacket p, int network) {
    return 0;
  }

  public static FlowKey of(DecodedPacket p, int network) {
    return new FlowKey();
  }

  public boolean matches(DecodedPacket p, int network) {
    return false;
  }

  public boolean isFromSrc(DecodedPacket p) {
    return true;
  }

  public int network() {
    return 0;
  }

  public int ipVersion() {
    return 4;
  }

  public int proto() {
    return 0;
  }

  public int srcPort() {
    return 0;
  }

  public int dstPort() {
    return 0;
  }

  public String srcIp() {
    return "";
  }

  public String dstIp() {
    return "";
  }

  public String communityId() {
    return "";
  }

  public long hash() {
    return 0;
  }
}
