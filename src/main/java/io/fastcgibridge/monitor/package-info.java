/**
 * What the bridge counts about its backends and how it shows it: counters kept by every servlet,
 * one JMX MBean per backend, and (in {@code micrometer}, only when Micrometer is present) meters
 * bound to a {@code MeterRegistry}. Uses the servlet and client packages; nothing below uses it.
 */
package io.fastcgibridge.monitor;
