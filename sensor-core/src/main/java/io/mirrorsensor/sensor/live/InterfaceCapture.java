package io.mirrorsensor.sensor.live;

import io.mirrorsensor.decode.LinkType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.Pcaps;

/**
 * An interface opened for capture with libpcap (through pcap4j and JNA): the handle activated with
 * the options asked for and the BPF filter installed, or a {@link SetupException} whose message
 * says what to do (libpcap missing, no permission, no such interface, a bad filter, a link type
 * the decoders do not read).
 *
 * <p>Opened before any output file is touched: a capture that cannot start leaves the output
 * directory as it was.
 */
public final class InterfaceCapture implements AutoCloseable {
  /** pcap_activate: PCAP_ERROR_NO_SUCH_DEVICE. */
  static final int PCAP_ERROR_NO_SUCH_DEVICE = -5;
  /** pcap_activate: PCAP_ERROR_PERM_DENIED. */
  static final int PCAP_ERROR_PERM_DENIED = -8;
  /** pcap_set_tstamp_precision: PCAP_ERROR_TSTAMP_PRECISION_NOTSUP. */
  static final int PCAP_ERROR_TSTAMP_PRECISION_NOTSUP = -12;
  /** Read timeout: how long libpcap may hold packets back when immediate mode is unavailable. */
  static final int TIMEOUT_MILLIS = 100;
  /** Link types the decoders read (pcap DLT values on Linux, which equal the LINKTYPE_ ones). */
  private static final Set<Integer> DECODED = Set.of(LinkType.NULL, LinkType.ETHERNET,
      LinkType.RAW, LinkType.DLT_RAW_12, LinkType.DLT_RAW_14, LinkType.LOOP, LinkType.LINUX_SLL,
      LinkType.IPV4, LinkType.IPV6, LinkType.LINUX_SLL2);

  /** What to open. */
  public record Options(String interfaceName, String filter, int snaplen, int bufferBytes,
      boolean promiscuous) {}

  /** Why a capture could not start; {@link #getMessage()} is the line to print. */
  public static final class SetupException extends Exception {
    private static final long serialVersionUID = 1L;
    /** The exit status the command returns: 1 (environment), 2 (bad usage: the filter). */
    public final int exitCode;

    SetupException(String message, int exitCode, Throwable cause) {
      super(message, cause);
      this.exitCode = exitCode;
    }
  }

  final PcapHandle handle;
  final String interfaceName;
  final String filter;
  final int linkType;
  final boolean loopback;
  final boolean nanosecondTimestamps;

  private InterfaceCapture(PcapHandle handle, Options o, boolean loopback, boolean nanos) {
    this.handle = handle;
    this.interfaceName = o.interfaceName();
    this.filter = o.filter();
    this.linkType = handle.getDlt().value();
    this.loopback = loopback;
    this.nanosecondTimestamps = nanos;
  }

  // ---- messages (one place, so the tests and the command say the same) ----

  static String libpcapMissing() {
    return "libpcap is not installed: apt-get install libpcap0.8";
  }

  static String permissionDenied(String iface) {
    return "capturing on " + iface + " needs root or CAP_NET_RAW (setcap cap_net_raw+ep on the"
        + " java binary, or run as root)";
  }

  static String unknownInterface(String iface, List<String> available) {
    return "no interface " + iface + "; available: "
        + (available.isEmpty() ? "none" : String.join(", ", available));
  }

  static String badFilter(String filter, String pcapError) {
    return "bad --filter '" + filter + "': " + pcapError;
  }

  /**
   * Opens {@code o.interfaceName()}: promiscuous only when asked, immediate mode (each packet is
   * delivered as it arrives; {@value #TIMEOUT_MILLIS} ms read timeout where immediate mode is not
   * available), kernel buffer {@code o.bufferBytes()}, nanosecond timestamps where the kernel has
   * them, then installs the filter.
   */
  public static InterfaceCapture open(Options o) throws SetupException {
    try {
      return openChecked(o);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      // JNA could not load libpcap (UnsatisfiedLinkError the first time, then the class that
      // holds the bindings is unusable: NoClassDefFoundError)
      throw new SetupException(libpcapMissing() + " (" + oneLine(e) + ")", 1, e);
    }
  }

  private static InterfaceCapture openChecked(Options o) throws SetupException {
    String name = o.interfaceName();
    List<PcapNetworkInterface> devs;
    try {
      devs = Pcaps.findAllDevs();
    } catch (PcapNativeException e) {
      // pcap_findalldevs fails only when it cannot list anything; opening may still work
      devs = null;
    }
    boolean loopback = false;
    if (devs != null) {
      PcapNetworkInterface dev = null;
      List<String> names = new ArrayList<>();
      for (PcapNetworkInterface d : devs) {
        names.add(d.getName());
        if (d.getName().equals(name)) {
          dev = d;
        }
      }
      if (dev == null) {
        throw new SetupException(unknownInterface(name, names), 1, null);
      }
      loopback = dev.isLoopBack();
    }
    PcapHandle h;
    boolean nanos = true;
    try {
      h = build(o, PcapHandle.TimestampPrecision.NANO);
    } catch (PcapNativeException e) {
      if (code(e) != PCAP_ERROR_TSTAMP_PRECISION_NOTSUP) {
        throw setupError(o, e, devs);
      }
      nanos = false;
      try {
        h = build(o, PcapHandle.TimestampPrecision.MICRO);
      } catch (PcapNativeException e2) {
        throw setupError(o, e2, devs);
      }
    }
    InterfaceCapture c = new InterfaceCapture(h, o, loopback, nanos);
    try {
      if (!DECODED.contains(c.linkType)) {
        throw new SetupException("link type " + h.getDlt() + " of " + name
            + " is not one the sensor decodes (Ethernet, Linux cooked, raw IP, loopback)", 1,
            null);
      }
      if (o.filter() != null && !o.filter().isBlank()) {
        try {
          h.setFilter(o.filter(), BpfProgram.BpfCompileMode.OPTIMIZE);
        } catch (PcapNativeException e) {
          String msg = String.valueOf(e.getMessage())
              .replaceFirst("^Error occu?rred in pcap_(compile|setfilger|setfilter): ", "");
          throw new SetupException(badFilter(o.filter(), msg), 2, e);
        }
      }
      return c;
    } catch (SetupException | RuntimeException e) {
      c.close();
      throw e;
    } catch (NotOpenException e) {
      c.close();
      throw new IllegalStateException(e); // just opened
    }
  }

  private static PcapHandle build(Options o, PcapHandle.TimestampPrecision precision)
      throws PcapNativeException {
    return new PcapHandle.Builder(o.interfaceName())
        .snaplen(o.snaplen())
        .promiscuousMode(o.promiscuous() ? PromiscuousMode.PROMISCUOUS
            : PromiscuousMode.NONPROMISCUOUS)
        .timeoutMillis(TIMEOUT_MILLIS)
        .immediateMode(true)
        .bufferSize(o.bufferBytes())
        .timestampPrecision(precision)
        .build();
  }

  private static int code(PcapNativeException e) {
    return e.getReturnCode() == null ? 0 : e.getReturnCode();
  }

  /** The message for a failed pcap_create/pcap_activate. */
  static SetupException setupError(Options o, PcapNativeException e,
      List<PcapNetworkInterface> devs) {
    String name = o.interfaceName();
    String text = String.valueOf(e.getMessage());
    int rc = code(e);
    if (rc == PCAP_ERROR_PERM_DENIED || text.contains("Operation not permitted")
        || text.contains("ermission denied") || text.contains("don't have permission")) {
      return new SetupException(permissionDenied(name), 1, e);
    }
    if (rc == PCAP_ERROR_NO_SUCH_DEVICE || text.contains("No such device")) {
      List<String> names = new ArrayList<>();
      if (devs != null) {
        devs.forEach(d -> names.add(d.getName()));
      }
      return new SetupException(unknownInterface(name, names), 1, e);
    }
    return new SetupException("cannot capture on " + name + ": " + text, 1, e);
  }

  private static String oneLine(Throwable t) {
    String m = String.valueOf(t.getMessage()).replaceAll("\\s+", " ").strip();
    return t.getClass().getSimpleName() + ": " + (m.length() > 160 ? m.substring(0, 157) + "..."
        : m);
  }

  /** The link type's name as libpcap gives it (e.g. {@code EN10MB}), for the start line. */
  public String linkTypeName() {
    return handle.getDlt().name();
  }

  public int linkType() {
    return linkType;
  }

  public String interfaceName() {
    return interfaceName;
  }

  public boolean loopback() {
    return loopback;
  }

  public boolean nanosecondTimestamps() {
    return nanosecondTimestamps;
  }

  @Override
  public void close() {
    handle.close();
  }
}
