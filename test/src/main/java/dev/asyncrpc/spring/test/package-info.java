/**
 * Test support for asyncrpc in Spring Boot: {@link dev.asyncrpc.spring.test.AutoConfigureInProcessAsyncRpc}
 * (endpoints served and called inside the JVM, no TCP port) and
 * {@link dev.asyncrpc.spring.test.LocalAsyncRpcPort} (the bound port of a real server). The
 * auto-configuration below {@code dev.asyncrpc.spring.test.autoconfigure} is not API.
 */
@NullMarked
package dev.asyncrpc.spring.test;

import org.jspecify.annotations.NullMarked;
