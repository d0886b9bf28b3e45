/**
 * Testcontainers support, not API: with
 * {@link dev.asyncrpc.spring.autoconfigure.testcontainers.AsyncRpcContainerConnectionDetailsFactory},
 * a container annotated {@code @ServiceConnection(name = "asyncrpc")} (or running an
 * {@code asyncrpc/sample-app} image) supplies the address of remote services to the clients of a
 * test's application context.
 */
@NullMarked
package dev.asyncrpc.spring.autoconfigure.testcontainers;

import org.jspecify.annotations.NullMarked;
