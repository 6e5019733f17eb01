package io.fastcgibridge.servlet;

/**
 * What the bridge does to one PHP response as a front server would: compress it, or send the file
 * PHP named instead of its body.
 *
 * @param coding whether and how the body is compressed
 */
record ResponseRules(ResponseCoding coding) {
}
