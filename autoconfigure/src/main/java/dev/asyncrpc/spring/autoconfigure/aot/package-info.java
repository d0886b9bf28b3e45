/**
 * Ahead-of-time (Spring AOT, GraalVM native image) support: the runtime hints asyncrpc needs for
 * the context's clients, endpoints and exception handlers. Not API.
 */
@NullMarked
package dev.asyncrpc.spring.autoconfigure.aot;

import org.jspecify.annotations.NullMarked;
