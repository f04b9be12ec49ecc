package io.mirrorsensor.decode.app.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * The fields of the server's first certificate that EVE and rules use, read by the JDK's X.509
 * parser ({@code CertificateFactory.getInstance("X.509")}) from its DER bytes (RFC 5280). Names
 * are in Suricata's text form: RDNs in certificate order, {@code ", "} between them ({@code C=US,
 * O=Let's Encrypt, CN=R3}); serial as colon-separated upper-case hex of the DER integer.
 *
 * <p>Immutable.
 */
public final class TlsCertificate {
  private static final ThreadLocal<CertificateFactory> FACTORY = ThreadLocal.withInitial(() -> {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("X.509 is required of every JDK", e);
    }
  });
  /** Names the JDK prints as OIDs in RFC 2253 form, as OpenSSL and Suricata print them. */
  private static final Map<String, String> OID_NAMES = Map.of(
      "1.2.840.113549.1.9.1", "emailAddress",
      "2.5.4.5", "serialNumber",
      "2.5.4.15", "businessCategory",
      "1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC");
  private static final DateTimeFormatter EVE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private final String subject;
  private final String issuer;
  private final String serial;
  private final long notBeforeSeconds;
  private final long notAfterSeconds;
  private final List<String> dnsNames;

  private TlsCertificate(X509Certificate c) {
    this.subject = suricataName(c.getSubjectX500Principal());
    this.issuer = suricataName(c.getIssuerX500Principal());
    this.serial = serialText(c.getSerialNumber());
    this.notBeforeSeconds = c.getNotBefore().getTime() / 1000;
    this.notAfterSeconds = c.getNotAfter().getTime() / 1000;
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0))) { // dNSName
            names.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // A malformed SAN extension: the names stay empty, the rest of the certificate is good.
    }
    this.dnsNames = Collections.unmodifiableList(names);
  }

  /**
   * Parses the DER certificate {@code der[off, off + len)} (the caller's, only read), or returns
   * null when the JDK rejects it.
   */
  static TlsCertificate parse(byte[] der, int off, int len) {
    try {
      X509Certificate c = (X509Certificate) FACTORY.get()
          .generateCertificate(new ByteArrayInputStream(der, off, len));
      return new TlsCertificate(c);
    } catch (CertificateException | RuntimeException e) {
      // The JDK's parser throws unchecked exceptions on some malformed DER: still bad input.
      return null;
    }
  }

  /** RDNs in DER order (RFC 2253 text lists them reversed), joined with ", ", unescaped. */
  static String suricataName(X500Principal p) {
    String s = p.getName(X500Principal.RFC2253, OID_NAMES);
    List<String> rdns = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        cur.append(s.charAt(++i));
      } else if (c == ',') {
        rdns.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (cur.length() > 0 || !rdns.isEmpty()) {
      rdns.add(cur.toString());
    }
    Collections.reverse(rdns);
    return String.join(", ", rdns);
  }

  static String serialText(BigInteger serial) {
    byte[] b = serial.toByteArray();
    StringBuilder r = new StringBuilder(b.length * 3);
    for (int i = 0; i < b.length; i++) {
      if (i > 0) {
        r.append(':');
      }
      r.append(Character.toUpperCase(Character.forDigit((b[i] >>> 4) & 0xf, 16)))
          .append(Character.toUpperCase(Character.forDigit(b[i] & 0xf, 16)));
    }
    return r.toString();
  }

  /** Subject, e.g. {@code C=US, O=Example, CN=www.example.com}. */
  public String subject() {
    return subject;
  }

  /** Issuer, same form: EVE {@code issuerdn}. */
  public String issuer() {
    return issuer;
  }

  /** Serial, e.g. {@code 03:A1:...}. */
  public String serial() {
    return serial;
  }

  /** notBefore, seconds since the epoch. */
  public long notBeforeSeconds() {
    return notBeforeSeconds;
  }

  /** notAfter, seconds since the epoch. */
  public long notAfterSeconds() {
    return notAfterSeconds;
  }

  /** notBefore as EVE writes it ({@code 2024-01-15T10:00:00}, UTC). */
  public String notBeforeText() {
    return EVE_TIME.format(Instant.ofEpochSecond(notBeforeSeconds));
  }

  /** notAfter as EVE writes it. */
  public String notAfterText() {
    return EVE_TIME.format(Instant.ofEpochSecond(notAfterSeconds));
  }

  /** subjectAltName dNSName entries, in order. */
  public List<String> dnsNames() {
    return dnsNames;
  }

  /** True when {@code epochSeconds} is outside [notBefore, notAfter]. */
  public boolean invalidAt(long epochSeconds) {
    return epochSeconds < notBeforeSeconds || epochSeconds > notAfterSeconds;
  }
}
