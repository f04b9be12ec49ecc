/** The {@code mirrorsensor} command line (picocli). Talks to users; holds no packet logic. */
package io.mirrorsensor.sensor.cli;
