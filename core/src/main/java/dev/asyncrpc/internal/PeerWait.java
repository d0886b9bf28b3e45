package dev.asyncrpc.internal;

/**
 * How a thread about to wait for a peer (a plain implementation reading an in-pipe that holds no
 * data yet) tells the pool it belongs to, so that the pool can run other work in its place while
 * it waits: the same idea as {@link java.util.concurrent.ForkJoinPool.ManagedBlocker}'s
 * compensation. Only threads that implement {@link Aware} (the server's own worker pool) are
 * told; any other thread simply waits.
 *
 * <p>Use: {@code boolean told = PeerWait.begin(); try { wait } finally { if (told) PeerWait.end(); }}.
 */
public final class PeerWait {

    private PeerWait() {
    }

    /** A thread whose pool wants to know when it waits for a peer. */
    public interface Aware {

        /**
         * This thread is about to wait for a peer.
         * @throws dev.asyncrpc.RemoteCallException ({@link dev.asyncrpc.Status#RESOURCE_EXHAUSTED}) if its pool
         *         already has as many threads waiting as it allows: the thread must not wait
         */
        void peerWaitBegins();

        /** The wait begun by {@link #peerWaitBegins()} is over. */
        void peerWaitEnds();
    }

    /**
     * The calling thread is about to wait for a peer: its pool is told if it wants to know.
     * @return whether it was told (then {@link #end()} must follow the wait)
     * @throws dev.asyncrpc.RemoteCallException ({@link dev.asyncrpc.Status#RESOURCE_EXHAUSTED}) if the pool refuses
     *         one more waiting thread: do not wait
     */
    public static boolean begin() {
        if (Thread.currentThread() instanceof Aware aware) {
            aware.peerWaitBegins();
            return true;
        }
        return false;
    }

    /** The wait begun by a {@link #begin()} that returned {@code true} is over. */
    public static void end() {
        if (Thread.currentThread() instanceof Aware aware) {
            aware.peerWaitEnds();
        }
    }
}
