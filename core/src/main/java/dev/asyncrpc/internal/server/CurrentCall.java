package dev.asyncrpc.internal.server;

import dev.asyncrpc.ServerCall;

/** The call being dispatched on the current thread, behind {@link ServerCall#current()}. */
public final class CurrentCall {

    private static final ThreadLocal<ServerCall> CURRENT = new ThreadLocal<>();

    private CurrentCall() {
    }

    public static ServerCall get() {
        return CURRENT.get();
    }

    static void set(ServerCall call) {
        CURRENT.set(call);
    }

    static void clear() {
        CURRENT.set(null); // keeps the thread's map entry: no allocation per call
    }
}
