/**
 * The bridge's meters in a Micrometer {@code MeterRegistry}. Only this package touches Micrometer,
 * and only once a registry exists: without Micrometer on the class path nothing here is loaded.
 */
package io.fastcgibridge.monitor.micrometer;
