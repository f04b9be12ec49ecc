/**
 * Outputs: EVE JSON (Jackson streaming, no databind) and VPC Flow Logs version-2 lines. Every
 * writer is owned by one thread; strings are made here, when a record is written, never on the
 * packet path. Must not decode packets.
 */
package io.mirrorsensor.sensor.output;
