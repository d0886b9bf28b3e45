/**
 * The asyncrpc sample: a Spring Boot service that is also its own client.
 *
 * <p>Start with {@link dev.asyncrpc.sample.SampleApplication}. The contract is
 * {@link dev.asyncrpc.sample.Greeter} (plain), with a caller's asynchronous view
 * {@link dev.asyncrpc.sample.GreeterAsync} and an implementer's view
 * {@link dev.asyncrpc.sample.GreeterService}, served by {@link dev.asyncrpc.sample.GreeterEndpoint}.
 * {@link dev.asyncrpc.sample.GreeterDemo} calls the service through the client beans when the
 * application starts and prints what happened.
 */
package dev.asyncrpc.sample;
