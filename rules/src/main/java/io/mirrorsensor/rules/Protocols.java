package io.mirrorsensor.rules;

import java.util.Set;

/**
 * Header protocols. Packet protocols and the app-layer protocols with a parser here (http, dns,
 * tls) are compiled; the other app-layer protocols are recognised and parsed but their rules are
 * skipped, counted under {@code protocol <name>}.
 */
final class Protocols {
  static final int IP = 0;
  static final int TCP = 1;
  static final int UDP = 2;
  static final int ICMP = 3;

  /** Protocol groups the engine keeps separate prefilters for. */
  static final int GROUPS = 4;

  /** Not an app-layer rule: inspected per packet. */
  static final int APP_NONE = -1;
  static final int APP_HTTP = 0;
  static final int APP_DNS = 1;
  static final int APP_TLS = 2;
  /** App-layer protocols inspected per transaction, each with its own rule group. */
  static final int APP_GROUPS = 3;
  static final String[] APP_NAMES = {"http", "dns", "tls"};

  /** Suricata app-layer protocol names (app-layer-protos.c) accepted in a rule header. */
  static final Set<String> APP_LAYER =
      Set.of(
          "http", "http1", "http2", "dns", "tls", "ssl", "smtp", "ftp", "ftp-data", "smb",
          "dcerpc", "ssh", "nfs", "ntp", "tftp", "ikev2", "ike", "krb5", "dhcp", "snmp", "sip",
          "rfb", "mqtt", "modbus", "dnp3", "enip", "imap", "pop3", "quic", "rdp", "telnet",
          "ldap", "pgsql", "websocket", "bittorrent-dht", "template", "doh2", "sctp");

  /** Packet protocols Suricata has that this engine does not compile yet. */
  static final Set<String> PACKET_UNSUPPORTED =
      Set.of("ipv4", "ipv6", "ip4", "ip6", "icmpv4", "icmpv6", "pkthdr");

  private Protocols() {}

  /** App protocol of a header protocol name (http, http1, dns, tls), or {@link #APP_NONE}. */
  static int appProtocol(String p) {
    switch (p) {
      case "http":
      case "http1":
        return APP_HTTP;
      case "dns":
        return APP_DNS;
      case "tls":
        return APP_TLS;
      default:
        return APP_NONE;
    }
  }

  /** Group of a compiled protocol name, or -1 when not a packet protocol. */
  static int packetProtocol(String p) {
    switch (p) {
      case "ip":
        return IP;
      case "tcp":
      case "tcp-pkt":
      case "tcp-stream":
        return TCP;
      case "udp":
        return UDP;
      case "icmp":
        return ICMP;
      default:
        return -1;
    }
  }
}
