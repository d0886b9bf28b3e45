package dev.asyncrpc.internal.pipe;

/**
 * Which pipe of which operation an end belongs to, fixed when the end is bound to a call.
 *
 * @param operation {@code service/operation}
 * @param index the pipe index (position among the operation's pipes)
 */
record PipeIdentity(String operation, int index) {
}
