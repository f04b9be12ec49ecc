/** JMH benchmarks, the end-to-end harness and capture generators. Never needed at run time. */
package io.mirrorsensor.bench;
