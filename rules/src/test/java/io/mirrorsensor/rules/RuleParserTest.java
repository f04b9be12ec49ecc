package io.mirrorsensor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleParserTest {
  static RuleSet load(String text) throws RuleLoadException {
    return RuleLoader.loadText("local.rules", text, RuleOptions.defaults());
  }

  static Diagnostic onlyDiagnostic(String text) throws RuleLoadException {
    LoadReport r = load(text).report();
    List<Diagnostic> ds = r.diagnostics().stream()
        .filter(d -> d.severity() != Diagnostic.Severity.WARNING).toList();
    assertEquals(1, ds.size(), "diagnostics: " + r.diagnostics());
    return ds.get(0);
  }

  @Test
  void loadsEveryKeyword() throws Exception {
    String rule = "alert tcp $EXTERNAL_NET any -> $HOME_NET [80,8080:8090,!8085] (msg:\"all \\\"keywords\\\"\"; "
        + "flow:established,to_server; flags:+PA,CE; ttl:<200; ip_proto:tcp; dsize:>3; "
        + "content:\"GET \"; startswith; content:\"|41 42|c\"; nocase; distance:0; within:20; fast_pattern; "
        + "content:!\"zz\"; pkt_data; content:\"x\"; offset:1; depth:50; rawbytes; "
        + "pcre:\"/ab+c/Ri\"; isdataat:1,relative; byte_test:1,>,0,0; byte_jump:1,0,relative,post_offset 1; "
        + "content:\"end\"; endswith; flowbits:set,seen; flowbits:isnotset,other; "
        + "threshold:type limit, track by_src, count 1, seconds 60; classtype:trojan-activity; "
        + "priority:2; reference:url,example.com; metadata:created_at 2024_01_01, tag x; target:dest_ip; "
        + "gid:1; sid:1000001; rev:3;)\n"
        + "alert icmp any any <> any any (itype:8; icode:0; detection_filter:track by_dst, count 2, seconds 10; noalert; sid:2;)\n"
        + "alert udp any any -> any 53 (content:\"a\"; fast_pattern:only; flowbits:noalert; sid:3;)\n";
    RuleSet set = load(rule);
    assertEquals(3, set.report().loaded(), set.report().diagnostics().toString());
    Rule r = set.rule(1, 1000001);
    assertNotNull(r);
    assertEquals("all \"keywords\"", r.msg());
    assertEquals("A Network Trojan was detected", r.category());
    assertEquals(2, r.severity());
    assertEquals(List.of("created_at 2024_01_01", "tag x"), r.metadata());
    assertEquals(3, r.rev());
  }

  @Test
  void classtypeGivesDefaultPriority() throws Exception {
    Rule r = load("alert ip any any -> any any (classtype:attempted-admin; sid:9;)").rule(1, 9);
    assertEquals(1, r.severity());
    assertEquals("Attempted Administrator Privilege Gain", r.category());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " ~ ", quoteCharacter = '`', textBlock = """
      alert tcp any any -> any any (content:"ab|41 4|"; sid:1;) ~ 1:42 ~ content: odd number of hex digits in hex sequence
      alert tcp any any -> any any (content:"ab|41 42"; sid:1;) ~ 1:42 ~ content: unterminated hex sequence
      alert tcp any any -> any any (content:"ab|4g|"; sid:1;) ~ 1:44 ~ content: invalid hex digit 'g' in hex sequence
      alert tcp any any -> any any (content:"ab; sid:1;) ~ 1:39 ~ content: unterminated string: missing closing '"'
      alert tcp any any -> any any (content:"ab",depth 4; sid:1;) ~ 1:43 ~ content: unexpected text after the closing quote: ',depth 4'
      alert tcp any any -> any any (content:"a\\qb"; sid:1;) ~ 1:41 ~ content: invalid escape '\\q' (only \\" \\; \\\\ \\: \\| are allowed; use |hex| for other bytes)
      alert tcp any any -> any any (content:""; sid:1;) ~ 1:39 ~ content: empty content
      alert tcp any any -> any any (nocase; sid:1;) ~ 1:31 ~ nocase: needs a preceding content
      alert tcp any any -> any any (content:"a"; nocase; nocase; sid:1;) ~ 1:52 ~ nocase: already set for this content
      alert tcp any any -> any any (content:"a"; depth:0; sid:1;) ~ 1:50 ~ depth: must be positive
      alert tcp any any -> any any (content:"a"; distance:1; depth:3; sid:1;) ~ 1:62 ~ depth: cannot mix absolute (offset, depth) and relative (distance, within) modifiers on one content
      alert tcp any any -> any any (content:"a"; offset:2; startswith; sid:1;) ~ 1:54 ~ startswith: cannot be combined with offset, depth, distance or within
      alert tcp any any -> any any (content:"a"; fast_pattern; content:"b"; fast_pattern; sid:1;) ~ 1:71 ~ fast_pattern: only one content of a rule may be the fast_pattern
      alert tcp any any -> any any (content:"ab"; fast_pattern:1,5; sid:1;) ~ 1:58 ~ fast_pattern: chop 1,5 is outside the content (2 bytes)
      alert tcp any any -> any any (pcre:"/a/q"; sid:1;) ~ 1:40 ~ pcre: unknown flag 'q'
      alert tcp any any -> any any (pcre:"a"; sid:1;) ~ 1:37 ~ pcre: the regex must start with '/'
      alert tcp any any -> any any (pcre:/a/; sid:1;) ~ 1:36 ~ pcre: expected a quoted "/regex/flags"
      alert tcp any any -> any any (isdataat:x; sid:1;) ~ 1:40 ~ isdataat: 'x' is not a number
      alert tcp any any -> any any (isdataat:1,near; sid:1;) ~ 1:40 ~ isdataat: unknown option 'near' (expected relative or rawbytes)
      alert tcp any any -> any any (dsize:5<>3; sid:1;) ~ 1:37 ~ dsize: range '5<>3' is empty (the lower bound must be below the upper)
      alert tcp any any -> any any (dsize:70000; sid:1;) ~ 1:37 ~ dsize: 70000 is out of range (at most 65535)
      alert tcp any any -> any any (flow:sideways; sid:1;) ~ 1:36 ~ flow: unknown option 'sideways'
      alert tcp any any -> any any (flow:to_server,to_client; sid:1;) ~ 1:36 ~ flow: to_server and to_client contradict each other
      alert tcp any any -> any any (flow:established,not_established; sid:1;) ~ 1:36 ~ flow: established and not_established contradict each other
      alert tcp any any -> any any (flow:only_stream,no_stream; sid:1;) ~ 1:36 ~ flow: only_stream and no_stream contradict each other
      alert tcp any any -> any any (flowbits:flip,a; sid:1;) ~ 1:40 ~ flowbits: unknown command 'flip' (set, unset, toggle, isset, isnotset, noalert)
      alert tcp any any -> any any (flowbits:set; sid:1;) ~ 1:40 ~ flowbits: 'set' needs a flowbit name
      alert tcp any any -> any any (flowbits:set,a|b; sid:1;) ~ 1:40 ~ flowbits: '|' is only allowed with isset and isnotset
      alert tcp any any -> any any (flowbits:isset,a|b&c; sid:1;) ~ 1:40 ~ flowbits: cannot mix '|' and '&' in one flowbits
      alert tcp any any -> any any (flowbits:noalert,x; sid:1;) ~ 1:40 ~ flowbits: noalert takes no flowbit name
      alert tcp any any -> any any (flags:SX; sid:1;) ~ 1:37 ~ flags: unknown flag 'X' (FSRPAUCE0)
      alert tcp any any -> any any (flags:+*S; sid:1;) ~ 1:37 ~ flags: more than one modifier in '+*S'
      alert tcp any any -> any any (ttl:abc; sid:1;) ~ 1:35 ~ ttl: 'abc' is not a number
      alert tcp any any -> any any (ip_proto:300; sid:1;) ~ 1:40 ~ ip_proto: 300 is out of range (at most 255)
      alert tcp any any -> any any (itype:; sid:1;) ~ 1:37 ~ itype: needs a value
      alert tcp any any -> any any (icode:>256; sid:1;) ~ 1:37 ~ icode: 256 is out of range (at most 255)
      alert tcp any any -> any any (byte_test:1,~,0,0; sid:1;) ~ 1:41 ~ byte_test: unknown operator '~' (< > = ! & ^ <= >=)
      alert tcp any any -> any any (byte_test:1,>,0; sid:1;) ~ 1:41 ~ byte_test: expected bytes,operator,value,offset[,options]
      alert tcp any any -> any any (byte_test:9,>,0,0; sid:1;) ~ 1:41 ~ byte_test: 9 bytes is too many (at most 8 without string)
      alert tcp any any -> any any (byte_jump:1; sid:1;) ~ 1:41 ~ byte_jump: expected bytes,offset[,options]
      alert tcp any any -> any any (byte_jump:1,0,from_end,from_beginning; sid:1;) ~ 1:41 ~ byte_jump: from_beginning and from_end contradict each other
      alert tcp any any -> any any (threshold:type limit, count 1, seconds 1; sid:1;) ~ 1:41 ~ threshold: missing 'track'
      alert tcp any any -> any any (threshold:type often, track by_src, count 1, seconds 1; sid:1;) ~ 1:41 ~ threshold: unknown type 'often' (limit, threshold, both)
      alert tcp any any -> any any (detection_filter:type limit, track by_src, count 1, seconds 1; sid:1;) ~ 1:48 ~ detection_filter: takes no type
      alert tcp any any -> any any (msg:"a"b"; sid:1;) ~ 1:37 ~ msg: unescaped '"' inside the string
      alert tcp any any -> any any (sid:0;) ~ 1:35 ~ sid: must be positive
      alert tcp any any -> any any (sid:1; sid:2;) ~ 1:42 ~ sid: given twice
      alert tcp any any -> any any (rev:x; sid:1;) ~ 1:35 ~ rev: 'x' is not a number
      alert tcp any any -> any any (gid:-1; sid:1;) ~ 1:35 ~ gid: '-1' is not a number
      alert tcp any any -> any any (classtype:nope; sid:1;) ~ 1:41 ~ classtype: unknown classtype 'nope' (not in the classification table)
      alert tcp any any -> any any (priority:0; sid:1;) ~ 1:40 ~ priority: must be 1..255
      alert tcp any any -> any any (reference:url; sid:1;) ~ 1:41 ~ reference: expected 'type,value', got 'url'
      alert tcp any any -> any any (metadata:; sid:1;) ~ 1:40 ~ metadata: needs a value
      alert tcp any any -> any any (target:both; sid:1;) ~ 1:38 ~ target: expected src_ip or dest_ip, got 'both'
      alert tcp any any -> any any (pkt_data:1; sid:1;) ~ 1:40 ~ pkt_data: takes no value, got '1'
      alert tcp any any -> any any (noalert:1; sid:1;) ~ 1:39 ~ noalert: takes no value, got '1'
      alert tcp any any -> any any (contnet:"a"; sid:1;) ~ 1:31 ~ contnet: unknown keyword
      alert tcp any any -> any any (msg:"x";) ~ 1:30 ~ sid: the rule has no sid
      alert tcp any any -> any any (sid:1; ; ) ~ 1:38 ~ empty option (a stray ';'?)
      alert tcp any any -> any any (msg:"x" sid:1;) ~ 1:35 ~ msg: unterminated string: missing closing '"'
      alert tcp any any -> any any sid:1; ~ 1:36 ~ missing '(': a rule is 'action proto src sport -> dst dport (options)'
      alert tcp any any -> any any (sid:1; ~ 1:37 ~ the option list is not closed: the rule must end with ')'
      alert tcp any any -> any (sid:1;) ~ 1:25 ~ incomplete header: expected destination port before '('
      block tcp any any -> any any (sid:1;) ~ 1:1 ~ unknown action 'block' (alert, pass, drop, reject)
      alert tpc any any -> any any (sid:1;) ~ 1:7 ~ unknown protocol 'tpc'
      alert tcp any any <- any any (sid:1;) ~ 1:19 ~ '<-' is not a direction: swap source and destination and use '->'
      alert tcp any any >> any any (sid:1;) ~ 1:19 ~ unknown direction '>>' ('->' or '<>')
      alert tcp 1.2.3.400 any -> any any (sid:1;) ~ 1:11 ~ source address: invalid address '1.2.3.400'
      alert tcp [1.2.3.4 any -> any any (sid:1;) ~ 1:11 ~ unterminated list '[1.2.3.4 any -> any any': missing ']'
      alert tcp $NOPE any -> any any (sid:1;) ~ 1:11 ~ source address: undefined variable $NOPE
      alert tcp 10.0.0.0/33 any -> any any (sid:1;) ~ 1:11 ~ source address: invalid prefix length '/33' (0..32)
      alert tcp !any any -> any any (sid:1;) ~ 1:12 ~ source address: '!any' matches nothing
      alert tcp any 70000 -> any any (sid:1;) ~ 1:15 ~ source port: invalid port '70000'
      alert tcp any any -> any 90:80 (sid:1;) ~ 1:26 ~ destination port: empty port range '90:80'
      alert tcp any any -> any $NOPE_PORTS (sid:1;) ~ 1:26 ~ destination port: undefined variable $NOPE_PORTS
      """)
  void reportsExactErrors(String rule, String where, String message) throws Exception {
    Diagnostic d = onlyDiagnostic(rule);
    assertEquals(Diagnostic.Severity.ERROR, d.severity(), d.toString());
    assertEquals("local.rules:" + where + ": " + message, d.toString().replaceAll(" \\(sid \\d+\\)$", ""));
  }

  @Test
  void skipsUnsupportedKeywordsNamingThem() throws Exception {
    LoadReport r = load("alert http any any -> any any (http.request_header; content:\"/a\"; sid:1;)\n"
        + "alert tcp any any -> any any (content:\"a\"; asn1:bitstring_overflow; sid:2;)\n"
        + "alert smtp any any -> any any (content:\"a\"; sid:3;)\n"
        + "alert tcp any any -> any any (pcre:\"/(a)\\1/\"; sid:4;)\n"
        + "alert dns any any -> any any (dns.query; content:\"a\"; pkt_data; content:\"b\"; sid:5;)\n").report();
    assertEquals(0, r.loaded());
    assertEquals(5, r.skipped());
    assertEquals(1, r.skippedByReason().get("http.request_header"));
    assertEquals(1, r.skippedByReason().get("asn1"));
    assertEquals(1, r.skippedByReason().get("protocol smtp"));
    assertEquals(1, r.skippedByReason().get("pcre (needs backtracking)"));
    assertEquals(1, r.skippedByReason().get("pkt_data in an app-layer rule"));
    assertTrue(r.diagnostics().get(0).toString().startsWith("local.rules:1:32: skipped: http.request_header: keyword not supported yet"), r.diagnostics().get(0).toString());
  }

  @Test
  void strictModeFailsOnSkippedRules() {
    RuleLoadException e = org.junit.jupiter.api.Assertions.assertThrows(RuleLoadException.class,
        () -> RuleLoader.loadText("x.rules", "alert tcp any any -> any any (http.request_header; content:\"a\"; sid:1;)",
            RuleOptions.defaults().withStrict(true)));
    assertEquals(1, e.report().skipped());
  }

  @Test
  void countsDisabledRulesAndJoinsContinuationLines() throws Exception {
    String text = "# a comment\n"
        + "# alert tcp any any -> any any (msg:\"off\"; sid:5;)\n"
        + "\n"
        + "alert tcp any any -> any any (msg:\"two lines\"; \\\n"
        + "    content:\"ab|4g|\"; sid:6;)\n";
    LoadReport r = load(text).report();
    assertEquals(1, r.disabled());
    assertEquals(1, r.failed());
    assertEquals("local.rules:5:18: content: invalid hex digit 'g' in hex sequence (sid 6)", r.diagnostics().get(0).toString());
  }

  @Test
  void lintWarnsAboutSlowAndNeverMatchingRules() throws Exception {
    LoadReport r = load("alert tcp any any -> any any (pcre:\"/a+b/\"; sid:1;)\n"
        + "alert tcp any any -> any any (content:\"abcdef\"; depth:3; sid:2;)\n"
        + "alert udp any any -> any any (flags:S; sid:3;)\n"
        + "alert tcp any any -> any any (flowbits:isset,never; sid:4;)\n"
        + "alert tcp any any -> any any (dsize:<3; content:\"abcd\"; sid:5;)\n"
        + "drop tcp any any -> any any (content:\"zzz\"; sid:6;)\n").report();
    assertEquals(6, r.loaded());
    String all = r.diagnostics().toString();
    assertTrue(all.contains("pcre without a content: no fast pattern"), all);
    assertTrue(all.contains("depth 3 is shorter than the content (6 bytes): never matches"), all);
    assertTrue(all.contains("flags on a udp rule"), all);
    assertTrue(all.contains("flowbit 'never' is checked but no loaded rule sets it"), all);
    assertTrue(all.contains("cannot fit the payload dsize allows"), all);
    assertTrue(all.contains("drop and reject rules only alert"), all);
  }

  @Test
  void duplicateSidIsAnError() throws Exception {
    LoadReport r = load("alert tcp any any -> any any (sid:1;)\nalert tcp any any -> any any (sid:1;)\n").report();
    assertEquals(1, r.loaded());
    assertEquals(1, r.failed());
  }
}
