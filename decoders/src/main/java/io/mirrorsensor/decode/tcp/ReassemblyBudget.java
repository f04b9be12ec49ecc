package io.mirrorsensor.decode.tcp;

/**
 * The memory all reassemblers of one worker may hold for out-of-order data ({@link
 * TcpConfig#reassemblyMemcap()}). Owned by one thread.
 */
public final class ReassemblyBudget {
  private final long cap;
  private long used;
  private long refusals;

  public ReassemblyBudget(long cap) {
    this.cap = cap;
  }

  boolean take(long n) {
    if (used + n > cap) {
      refusals++;
      return false;
    }
    used += n;
    return true;
  }

  void release(long n) {
    used -= n;
  }

  /** Bytes held now. */
  public long used() {
    return used;
  }

  /** Segments not buffered because the cap was reached. */
  public long refusals() {
    return refusals;
  }
}
