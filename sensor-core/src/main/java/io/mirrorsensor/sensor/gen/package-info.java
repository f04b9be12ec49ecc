/**
 * Builders of real frames with correct checksums: {@link io.mirrorsensor.sensor.gen.Frames} (Ethernet,
 * VLAN, IPv4/IPv6, TCP/UDP/ICMP, and VXLAN wrapping as AWS Traffic Mirroring does it), {@link
 * io.mirrorsensor.sensor.gen.Conversations} (whole TCP, DNS and ICMP exchanges) and {@link
 * io.mirrorsensor.sensor.gen.DnsWire}. Used by the tests, the sample and traffic generators, and the
 * sender that wraps plain captures in VXLAN. No wall clock, no unseeded randomness.
 */
package io.mirrorsensor.sensor.gen;
