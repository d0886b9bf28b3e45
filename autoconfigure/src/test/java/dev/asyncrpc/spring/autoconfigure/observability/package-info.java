/**
 * Tests of the observability auto-configurations, with real calls over loopback TCP (or in-JVM).
 * {@link dev.asyncrpc.spring.autoconfigure.observability.Metered} is the test service: a plain
 * {@code greet} that fails for a blank name and an asynchronous {@code hold} that ends only when
 * released or cancelled; {@link dev.asyncrpc.spring.autoconfigure.observability.MeteredEndpoint}
 * serves it.
 */
package dev.asyncrpc.spring.autoconfigure.observability;
