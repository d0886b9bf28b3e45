/**
 * Test contracts of an "echo" remote service: {@link dev.asyncrpc.spring.autoconfigure.scan.Echo}
 * (plain) and {@link dev.asyncrpc.spring.autoconfigure.scan.EchoAsync} (the caller's async view).
 * Tests scan this package with {@code @ImportRemoteServices(basePackages = ...)}.
 */
package dev.asyncrpc.spring.autoconfigure.scan;
