/**
 * DCE pipes: {@code InPipe} and {@code OutPipe} ends, credit-based flow control and the per
 * connection routing of pipe frames.
 *
 * <p>Start with {@link dev.asyncrpc.internal.pipe.PipeEnd} (one end, sending or receiving), then
 * {@link dev.asyncrpc.internal.pipe.PipeSender} (encode on the producer's thread, write on the event
 * loop within credit) and {@link dev.asyncrpc.internal.pipe.PipeReceiver} (retained payload slices,
 * decode on the consumer's thread, credit granted back in batches).
 * {@link dev.asyncrpc.internal.pipe.PipePlan} binds an operation's pipes to a call,
 * {@link dev.asyncrpc.internal.pipe.CallPipes} holds them and enforces the completion discipline,
 * {@link dev.asyncrpc.internal.pipe.PipeTable} routes a connection's pipe frames and
 * {@link dev.asyncrpc.internal.pipe.PipeRegistry} lists the open pipes of a runtime.
 */
package dev.asyncrpc.internal.pipe;
