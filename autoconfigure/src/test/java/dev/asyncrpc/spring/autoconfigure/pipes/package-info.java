/** The "transfer" test service: one in-pipe and one out-pipe operation, and its endpoint. */
package dev.asyncrpc.spring.autoconfigure.pipes;
