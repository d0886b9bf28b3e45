package dev.asyncrpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import dev.asyncrpc.internal.CompletionPool;
import dev.asyncrpc.internal.transport.Transports;

/**
 * Threads that many clients (and optionally a server) of one application share: one group of Netty
 * event loops and one completion executor. Each client built with
 * {@link AsyncRpcClient.Builder#resources(AsyncRpcResources)} keeps its own connections and settings
 * but borrows these threads; a server built with
 * {@link AsyncRpcServer.Builder#resources(AsyncRpcResources)} borrows the event loops (its worker
 * executor stays its own).
 * <pre>{@code
 * AsyncRpcResources shared = AsyncRpcResources.builder().ioThreads(2).build();
 * AsyncRpcClient inventory = AsyncRpcClient.builder().address("inventory:7443").resources(shared).build();
 * AsyncRpcClient billing = AsyncRpcClient.builder().address("billing:7443").resources(shared).build();
 * ...
 * inventory.close();   // closes its connections only
 * billing.close();
 * shared.close();      // the owner closes the threads, after the clients
 * }</pre>
 * <b>Ownership.</b> Whoever builds the resources closes them; closing a client or server never
 * closes what it borrowed. If the resources are closed while borrowers are still open, those are
 * closed first (their pending calls fail with {@link Status#UNAVAILABLE}). Threads start only when
 * needed: an event loop when a connection is registered on it, a completion thread when a task
 * finds no idle one; idle completion threads retire after 60 s.
 */
public final class AsyncRpcResources implements AutoCloseable {

    private final Transports transports;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final int completionThreads;
    private final Set<AutoCloseable> borrowers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private AsyncRpcResources(Transports transports, ExecutorService executor, boolean ownsExecutor, int completionThreads) {
        this.transports = transports;
        this.executor = executor;
        this.ownsExecutor = ownsExecutor;
        this.completionThreads = completionThreads;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The transport of the event loops: {@link Transport#EPOLL} or {@link Transport#NIO} (what
     * {@link Transport#AUTO} chose).
     * @return the transport in use
     */
    public Transport transport() {
        return this.transports.transport();
    }

    /**
     * Event loop threads of the shared group (at most; each starts when a connection first needs it).
     * @return the thread count
     */
    public int ioThreads() {
        return this.transports.threads();
    }

    /**
     * The most threads of the completion executor made here, or -1 if the executor was given.
     * @return the thread count
     */
    public int completionThreads() {
        return this.completionThreads;
    }

    /**
     * The executor that completes calls of the borrowing clients and runs their callbacks.
     * Callers may use it for their own callbacks ({@code whenDone(callback, executor)}).
     * @return the executor
     */
    public Executor completionExecutor() {
        return this.executor;
    }

    /**
     * Clients and servers built on these resources and not closed yet.
     * @return the count
     */
    public int borrowers() {
        return this.borrowers.size();
    }

    public boolean isClosed() {
        return this.closed;
    }

    Transports transports() {
        return this.transports;
    }

    ExecutorService executor() {
        return this.executor;
    }

    /** A client or server starts borrowing. */
    void borrow(AutoCloseable borrower) {
        if (this.closed) {
            throw new IllegalStateException("resources: closed (expected: open AsyncRpcResources; the owner closed them)");
        }
        this.borrowers.add(borrower);
    }

    /** A client or server closed. */
    void giveBack(AutoCloseable borrower) {
        this.borrowers.remove(borrower);
    }

    /**
     * Close borrowers still open, then stop the event loops and, if made here, the completion
     * executor (waiting up to 2 s for its tasks).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (this.closed) {
                return;
            }
            this.closed = true;
        }
        List<AutoCloseable> open = new ArrayList<>(this.borrowers);
        for (AutoCloseable b : open) {
            try {
                b.close();
            }
            catch (Exception ex) {
                System.getLogger(AsyncRpcResources.class.getName()).log(System.Logger.Level.WARNING, "closing " + b + " failed", ex);
            }
        }
        this.transports.close();
        if (this.ownsExecutor) {
            this.executor.shutdown();
            try {
                this.executor.awaitTermination(2, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "AsyncRpcResources[" + transport() + ", ioThreads=" + ioThreads() + ", borrowers=" + borrowers() + (this.closed ? ", closed" : "") + "]";
    }

    /** Builds {@link AsyncRpcResources}; every setting is checked when set. */
    public static final class Builder {

        private int ioThreads = 1;
        private int completionThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private ExecutorService executor;
        private Transport transport = Transport.AUTO;
        private String name = "asyncrpc";

        private Builder() {
        }

        /**
         * Event loop threads shared by every borrower's connections. One loop serves many
         * connections; raise it when one loop thread is busy all the time. Default 1.
         * @param threads the thread count
         * @return this builder
         */
        public Builder ioThreads(int threads) {
            if (threads <= 0) {
                throw new IllegalArgumentException("ioThreads: " + threads + " (expected: > 0)");
            }
            this.ioThreads = threads;
            return this;
        }

        /**
         * The most threads of the completion executor, which runs callbacks of asynchronous
         * callers. Threads start only when a task finds none idle and retire after 60 s idle.
         * Default: the number of cores, at least 2. Ignored with {@link #completionExecutor}.
         * @param threads the thread count
         * @return this builder
         */
        public Builder completionThreads(int threads) {
            if (threads <= 0) {
                throw new IllegalArgumentException("completionThreads: " + threads + " (expected: > 0)");
            }
            this.completionThreads = threads;
            return this;
        }

        /**
         * Use {@code executor} as the completion executor; the caller keeps ownership (closing the
         * resources does not shut it down).
         * @param executor the executor
         * @return this builder
         */
        public Builder completionExecutor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "completionExecutor");
            return this;
        }

        /**
         * The transport of the event loops. Default {@link Transport#AUTO}.
         * @param transport the transport
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * The prefix of the thread names ({@code <name>-io-1}, {@code <name>-completion-1}). Default {@code asyncrpc}.
         * @param name the prefix
         * @return this builder
         */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name: '" + name + "' (expected: a non-blank thread name prefix)");
            }
            this.name = name;
            return this;
        }

        /**
         * Build the resources; no thread starts yet.
         * @return the resources
         * @throws IllegalStateException if {@link Transport#EPOLL} was asked for and cannot load, naming the cause
         */
        public AsyncRpcResources build() {
            Transports transports = new Transports(this.name + "-io", this.ioThreads, this.transport);
            boolean owns = this.executor == null;
            ExecutorService exec = owns ? new CompletionPool(this.name + "-completion", this.completionThreads, 60, TimeUnit.SECONDS)
                    : this.executor;
            return new AsyncRpcResources(transports, exec, owns, owns ? this.completionThreads : -1);
        }
    }
}
