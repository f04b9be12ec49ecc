package io.mirrorsensor.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keywords the engine understands, in one explicit ordered list (no classpath scanning), like
 * Suricata's SigTableSetup. A name Suricata has but this list lacks makes its rule skipped
 * (counted under the name); a name Suricata does not have is an error.
 */
final class KeywordRegistry {
  private final Map<String, Keyword> byName = new LinkedHashMap<>();
  private final List<Keyword> ordered;

  private KeywordRegistry(List<Keyword> keywords) {
    this.ordered = List.copyOf(keywords);
    for (Keyword k : keywords) {
      byName.put(k.name(), k);
      for (String a : k.aliases()) {
        byName.put(a, k);
      }
    }
  }

  static KeywordRegistry standard() {
    return new KeywordRegistry(
        List.of(
            new MsgKeyword(),
            new SidKeyword(),
            new RevKeyword(),
            new GidKeyword(),
            new ClasstypeKeyword(),
            new PriorityKeyword(),
            new ReferenceKeyword(),
            new MetadataKeyword(),
            new TargetKeyword(),
            new PktDataKeyword(),
            new ContentKeyword(),
            new NocaseKeyword(),
            new DepthKeyword(),
            new OffsetKeyword(),
            new DistanceKeyword(),
            new WithinKeyword(),
            new StartswithKeyword(),
            new EndswithKeyword(),
            new FastPatternKeyword(),
            new RawbytesKeyword(),
            new PcreKeyword(),
            new IsdataatKeyword(),
            new BsizeKeyword(),
            new ByteTestKeyword(),
            new ByteJumpKeyword(),
            new ByteExtractKeyword(),
            new Base64DecodeKeyword(),
            new Base64DataKeyword(),
            new DsizeKeyword(),
            new FlowKeyword(),
            new FlowbitsKeyword(),
            new XbitsKeyword(),
            new FlowintKeyword(),
            new FlagsKeyword(),
            new TtlKeyword(),
            new IpProtoKeyword(),
            new ItypeKeyword(),
            new IcodeKeyword(),
            new ThresholdKeyword(),
            new DetectionFilterKeyword(),
            new NoalertKeyword(),
            new StreamSizeKeyword(),
            new TagKeyword(),
            new EventKeyword("decode-event"),
            new EventKeyword("app-layer-event"),
            new EventKeyword("stream-event"),
            // HTTP sticky buffers (Suricata 7 names), then the legacy content modifiers
            new StickyBufferKeyword(StickyBuffer.HTTP_METHOD),
            new StickyBufferKeyword(StickyBuffer.HTTP_URI),
            new StickyBufferKeyword(StickyBuffer.HTTP_URI_RAW),
            new StickyBufferKeyword(StickyBuffer.HTTP_PROTOCOL),
            new StickyBufferKeyword(StickyBuffer.HTTP_REQUEST_LINE, "http_request_line"),
            new StickyBufferKeyword(StickyBuffer.HTTP_HOST),
            new StickyBufferKeyword(StickyBuffer.HTTP_HOST_RAW),
            new StickyBufferKeyword(StickyBuffer.HTTP_USER_AGENT),
            new StickyBufferKeyword(StickyBuffer.HTTP_REFERER),
            new StickyBufferKeyword(StickyBuffer.HTTP_HEADER),
            new StickyBufferKeyword(StickyBuffer.HTTP_HEADER_RAW),
            new StickyBufferKeyword(StickyBuffer.HTTP_HEADER_NAMES),
            new StickyBufferKeyword(StickyBuffer.HTTP_COOKIE),
            new StickyBufferKeyword(StickyBuffer.HTTP_CONTENT_TYPE),
            new StickyBufferKeyword(StickyBuffer.HTTP_STAT_CODE),
            new StickyBufferKeyword(StickyBuffer.HTTP_STAT_MSG),
            new StickyBufferKeyword(StickyBuffer.HTTP_RESPONSE_LINE, "http_response_line"),
            new StickyBufferKeyword(StickyBuffer.HTTP_SERVER),
            new StickyBufferKeyword(StickyBuffer.HTTP_LOCATION),
            new UricontentKeyword(),
            new BufferModifierKeyword("http_uri", StickyBuffer.HTTP_URI),
            new BufferModifierKeyword("http_raw_uri", StickyBuffer.HTTP_URI_RAW),
            new BufferModifierKeyword("http_method", StickyBuffer.HTTP_METHOD),
            new BufferModifierKeyword("http_header", StickyBuffer.HTTP_HEADER),
            new BufferModifierKeyword("http_raw_header", StickyBuffer.HTTP_HEADER_RAW),
            new BufferModifierKeyword("http_cookie", StickyBuffer.HTTP_COOKIE),
            new BufferModifierKeyword("http_user_agent", StickyBuffer.HTTP_USER_AGENT),
            new BufferModifierKeyword("http_host", StickyBuffer.HTTP_HOST),
            new BufferModifierKeyword("http_raw_host", StickyBuffer.HTTP_HOST_RAW),
            new BufferModifierKeyword("http_stat_code", StickyBuffer.HTTP_STAT_CODE),
            new BufferModifierKeyword("http_stat_msg", StickyBuffer.HTTP_STAT_MSG),
            // HTTP bodies, the other named headers and http.start (HttpKeywords)
            new StickyBufferKeyword(StickyBuffer.HTTP_REQUEST_BODY),
            new StickyBufferKeyword(StickyBuffer.HTTP_RESPONSE_BODY),
            new StickyBufferKeyword(StickyBuffer.FILE_DATA, "file_data"),
            new StickyBufferKeyword(StickyBuffer.HTTP_CONTENT_LEN),
            new StickyBufferKeyword(StickyBuffer.HTTP_CONNECTION),
            new StickyBufferKeyword(StickyBuffer.HTTP_ACCEPT),
            new StickyBufferKeyword(StickyBuffer.HTTP_ACCEPT_ENC),
            new StickyBufferKeyword(StickyBuffer.HTTP_ACCEPT_LANG),
            new StickyBufferKeyword(StickyBuffer.HTTP_START),
            new BufferModifierKeyword("http_client_body", StickyBuffer.HTTP_REQUEST_BODY),
            new BufferModifierKeyword("http_server_body", StickyBuffer.HTTP_RESPONSE_BODY),
            new BufferModifierKeyword("http_content_type", StickyBuffer.HTTP_CONTENT_TYPE),
            new BufferModifierKeyword("http_content_len", StickyBuffer.HTTP_CONTENT_LEN),
            new BufferModifierKeyword("http_connection", StickyBuffer.HTTP_CONNECTION),
            new BufferModifierKeyword("http_accept", StickyBuffer.HTTP_ACCEPT),
            new BufferModifierKeyword("http_accept_enc", StickyBuffer.HTTP_ACCEPT_ENC),
            new BufferModifierKeyword("http_accept_lang", StickyBuffer.HTTP_ACCEPT_LANG),
            new BufferModifierKeyword("http_start", StickyBuffer.HTTP_START),
            new UrilenKeyword(),
            // DNS
            new StickyBufferKeyword(StickyBuffer.DNS_QUERY, "dns_query"),
            // TLS
            new StickyBufferKeyword(StickyBuffer.TLS_SNI, "tls_sni"),
            new StickyBufferKeyword(StickyBuffer.TLS_CERT_SUBJECT, "tls_cert_subject"),
            new StickyBufferKeyword(StickyBuffer.TLS_CERT_ISSUER, "tls_cert_issuer"),
            new StickyBufferKeyword(StickyBuffer.TLS_CERT_SERIAL, "tls_cert_serial"),
            new TlsVersionKeyword(),
            new StickyBufferKeyword(StickyBuffer.JA3_HASH, "ja3_hash"),
            new StickyBufferKeyword(StickyBuffer.JA3_STRING, "ja3_string"),
            new StickyBufferKeyword(StickyBuffer.JA3S_HASH),
            new StickyBufferKeyword(StickyBuffer.JA3S_STRING),
            new StickyBufferKeyword(StickyBuffer.JA4_HASH),
            new StickyBufferKeyword(StickyBuffer.TLS_RANDOM),
            new StickyBufferKeyword(StickyBuffer.TLS_RANDOM_TIME),
            new StickyBufferKeyword(StickyBuffer.TLS_RANDOM_BYTES),
            new StickyBufferKeyword(StickyBuffer.TLS_CERTS),
            new StickyBufferKeyword(StickyBuffer.TLS_SAN),
            new StickyBufferKeyword(StickyBuffer.DNS_ANSWER_NAME, "dns.answer.name"),
            new StickyBufferKeyword(StickyBuffer.DNS_RESPONSE_RRNAME),
            new DnsHeaderKeyword("dns.opcode"),
            new DnsHeaderKeyword("dns.rcode"),
            // transforms (of the sticky buffer in force)
            TransformKeyword.plain("dotprefix", Transform.DotPrefix::new),
            TransformKeyword.plain("to_lowercase", () -> new Transform.Case(false)),
            TransformKeyword.plain("to_uppercase", () -> new Transform.Case(true)),
            TransformKeyword.plain("strip_whitespace", Transform.StripWhitespace::new),
            TransformKeyword.plain("compress_whitespace", Transform.CompressWhitespace::new),
            TransformKeyword.plain("url_decode", Transform.UrlDecode::new),
            TransformKeyword.plain("to_md5", () -> new Transform.Digest("to_md5", "MD5", 16)),
            TransformKeyword.plain("to_sha1", () -> new Transform.Digest("to_sha1", "SHA-1", 20)),
            TransformKeyword.plain("to_sha256", () -> new Transform.Digest("to_sha256", "SHA-256", 32)),
            TransformKeyword.plain("header_lowercase", Transform.HeaderLowercase::new),
            TransformKeyword.plain("strip_pseudo_headers", Transform.StripPseudoHeaders::new),
            new TransformKeyword("xor", TransformKeyword::xor),
            new TransformKeyword("pcrexform", TransformKeyword::pcrexform),
            new TransformKeyword("from_base64", TransformKeyword::fromBase64)));
  }

  Keyword get(String name) {
    return byName.get(name);
  }

  /** Every supported keyword in registry order. */
  List<Keyword> keywords() {
    return Collections.unmodifiableList(ordered);
  }

  /**
   * True when {@code name} is a Suricata (7/8) keyword: dotted sticky buffers ({@code http.uri},
   * {@code dns.query}, ...) and the names below. Used only to tell "not supported yet" (skip)
   * from "no such keyword" (error).
   */
  static boolean isSuricataKeyword(String name) {
    if (name.indexOf('.') > 0) {
      return true;
    }
    if (name.startsWith("http_") || name.startsWith("tls_") || name.startsWith("ssl_")
        || name.startsWith("dns_") || name.startsWith("ja3") || name.startsWith("krb5_")
        || name.startsWith("ssh_") || name.startsWith("dce_") || name.startsWith("file_")
        || name.startsWith("sip_") || name.startsWith("snmp_") || name.startsWith("dnp3_")
        || name.startsWith("enip_") || name.startsWith("cip_") || name.startsWith("modbus")
        || name.startsWith("ftp") || name.startsWith("icmp_") || name.startsWith("icmpv6")
        || name.startsWith("nfs_") || name.startsWith("template")) {
      return true;
    }
    return SURICATA.contains(name);
  }

  private static final Set<String> SURICATA =
      Set.of(
          "uricontent", "urilen", "file_data", "filename", "fileext", "filemagic", "filestore",
          "filesize", "filemd5", "filesha1", "filesha256", "byte_extract", "byte_math", "bsize",
          "dotprefix", "url_decode", "to_lowercase", "to_uppercase", "strip_whitespace",
          "compress_whitespace", "to_md5", "to_sha1", "to_sha256", "pcrexform", "xor",
          "base64_decode", "base64_data", "header_lowercase", "strip_pseudo_headers", "flowint",
          "xbits", "hostbits", "flowvar", "pktvar", "tag", "replace", "dataset", "datarep",
          "iprep", "lua", "luajit", "asn1", "sameip", "fragbits", "fragoffset", "id", "ipopts",
          "tos", "seq", "ack", "window", "stream_size", "app-layer-protocol", "app-layer-event",
          "app-layer-state", "decode-event", "stream-event", "engine-event", "prefilter",
          "requires", "config", "bypass", "frame", "transform", "ipv4-csum", "tcpv4-csum",
          "tcpv6-csum", "udpv4-csum", "udpv6-csum", "icmpv4-csum", "icmpv6-csum", "geoip",
          "l3_proto", "ftpbounce", "ftpdata_command", "tls_cert_subject", "tls_cert_issuer",
          "tls_cert_serial", "tls_cert_fingerprint", "tls_cert_notbefore", "tls_cert_notafter",
          "tls_cert_expired", "tls_cert_valid", "tls_sni", "ssl_version", "ssl_state",
          "dns_query", "rpc", "pkt_data", "alert", "absent", "entropy",
          "luaxform", "from_base64", "rawbytes", "ja4.hash", "flow.age", "flow.pkts",
          "flow.bytes", "tcp.mss", "tcp.hdr", "udp.hdr", "ipv4.hdr", "ipv6.hdr", "nfs_procedure",
          "nfs_version", "dhcp", "mqtt", "rfb", "snmp", "ike", "quic", "websocket", "ldap",
          "pgsql", "vlan.id", "vlan.layers");
}
