/**
 * Tests of the sample: {@link dev.asyncrpc.sample.SampleApplicationTests} starts the whole
 * application on a free port and checks what its start-up demo saw.
 */
package dev.asyncrpc.sample;
