/**
 * Tests of the sample: {@link dev.asyncrpc.sample.SampleApplicationTests} starts the whole
 * application on a free port and checks what its start-up demo saw;
 * {@link dev.asyncrpc.sample.SampleContainerTests} (failsafe, after {@code package}) runs the
 * packaged sample in a container and calls it through {@code @ServiceConnection}, where
 * {@link dev.asyncrpc.sample.DockerCondition} finds Docker.
 */
package dev.asyncrpc.sample;
