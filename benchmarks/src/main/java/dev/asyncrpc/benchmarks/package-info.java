/**
 * Head-to-head load drivers, not part of any published artifact. Start reading at
 * {@code UnaryBenchmark} (the schedule and the report); {@code Window} is the one-thread issuing loop
 * every system shares; each {@code Driver} ({@code AsyncRpcDriver}, {@code GrpcDriver},
 * {@code NettyDriver}) starts a loopback server and client for one system. Results and the command
 * line are in {@code docs/benchmarks.md}.
 */
package dev.asyncrpc.benchmarks;
