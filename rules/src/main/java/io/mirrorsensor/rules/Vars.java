package io.mirrorsensor.rules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Address and port variables ({@code $HOME_NET}, {@code $HTTP_PORTS}, ...) with the values of
 * Suricata's default {@code suricata.yaml} (vars.address-groups and vars.port-groups), which the
 * ET Open rules assume. {@link RuleOptions} overrides or adds to them.
 */
final class Vars {
  private Vars() {}

  /** Suricata 7 default suricata.yaml, vars.address-groups. */
  static Map<String, String> defaultAddressGroups() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]");
    m.put("EXTERNAL_NET", "!$HOME_NET");
    for (String s :
        new String[] {
          "HTTP_SERVERS", "SMTP_SERVERS", "SQL_SERVERS", "DNS_SERVERS", "TELNET_SERVERS",
          "DC_SERVERS", "DNP3_SERVER", "DNP3_CLIENT", "MODBUS_CLIENT", "MODBUS_SERVER",
          "ENIP_CLIENT", "ENIP_SERVER"
        }) {
      m.put(s, "$HOME_NET");
    }
    m.put("AIM_SERVERS", "$EXTERNAL_NET");
    return m;
  }

  /** Suricata 7 default suricata.yaml, vars.port-groups. */
  static Map<String, String> defaultPortGroups() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("HTTP_PORTS", "80");
    m.put("SHELLCODE_PORTS", "!80");
    m.put("ORACLE_PORTS", "1521");
    m.put("SSH_PORTS", "22");
    m.put("DNP3_PORTS", "20000");
    m.put("MODBUS_PORTS", "502");
    m.put("FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]");
    m.put("FTP_PORTS", "21");
    m.put("GENEVE_PORTS", "6081");
    m.put("VXLAN_PORTS", "4789");
    m.put("TEREDO_PORTS", "3544");
    return m;
  }
}
