package io.fastcgibridge.servlet;

/**
 * What the bridge does to one PHP response as a front server would: compress it, or send the file
 * PHP named instead of its body.
 *
 * @param coding whether and how the body is compressed
 * @param files how a file PHP names ({@code X-Accel-Redirect}, {@code X-Sendfile}) is sent instead
 */
record ResponseRules(ResponseCoding coding, RedirectedFile.Context files) {
}
