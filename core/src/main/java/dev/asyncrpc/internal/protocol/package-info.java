/**
 * Wire protocol v1: frame types, the frame decoder, frame writers and the handshake settings.
 * {@code docs/protocol.md} is the specification; {@code GoldenFrameTests} pins the bytes.
 */
package dev.asyncrpc.internal.protocol;
