/**
 * The runtime behind the public API; not API. Subpackages: {@code protocol} (frames and their
 * bytes, start at {@code FrameType}), {@code codec} (value encoding), {@code contract} (the model
 * of a {@code @RemoteService} interface), {@code transport} (Netty channels and the per-connection
 * write queue), {@code client} and {@code server}.
 */
package dev.asyncrpc.internal;
