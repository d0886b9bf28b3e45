package dev.asyncrpc.internal.pipe;

import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.asyncrpc.RemoteCallException;

/**
 * The Reactive Streams bridge of a receiving end: delivers pulled elements to one
 * {@link Flow.Subscriber} within its demand, then {@code onComplete} or {@code onError} after the
 * last element. Signals are serialised by a work-in-progress count; deliveries run on the executor
 * (never on the event loop) or on the thread that requested. Cancelling abandons the pipe.
 *
 * @param <T> the element type
 */
final class PipeSubscription<T> implements Flow.Subscription, Runnable {

    /** The most elements pulled at once for a subscriber. */
    private static final int BATCH = 256;

    private final PipeReceiver<T> source;
    private final Flow.Subscriber<? super T> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean cancelled;
    private boolean done;

    /**
     * Subscribe {@code subscriber} to {@code source}, whose waiters signal it from then on; a
     * second subscriber is refused (a pipe is consumed once).
     */
    static <T> void subscribe(PipeReceiver<T> source, InboundWaiters waiters, Flow.Subscriber<? super T> subscriber) {
        PipeSubscription<T> s = new PipeSubscription<>(source, subscriber);
        if (!waiters.subscribe(s::signal)) {
            refuse(subscriber, new IllegalStateException(source.describe() + " already has a subscriber: a pipe is consumed once"));
            return;
        }
        subscriber.onSubscribe(s);
        s.signal();
    }

    /** Refuse {@code subscriber} (Reactive Streams rule 1.9: {@code onSubscribe} first, then {@code onError}). */
    private static void refuse(Flow.Subscriber<?> subscriber, Throwable why) {
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        subscriber.onError(why);
    }

    PipeSubscription(PipeReceiver<T> source, Flow.Subscriber<? super T> subscriber) {
        this.source = source;
        this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            cancel();
            this.subscriber.onError(new IllegalArgumentException("request: " + n + " (expected: > 0, Reactive Streams rule 3.9)"));
            return;
        }
        long r;
        long u;
        do {
            r = this.demand.get();
            u = r + n;
            if (u < 0) {
                u = Long.MAX_VALUE;
            }
        }
        while (!this.demand.compareAndSet(r, u));
        if (this.wip.getAndIncrement() == 0) {
            drain();
        }
    }

    @Override
    public void cancel() {
        if (!this.cancelled) {
            this.cancelled = true;
            this.source.abandon();
        }
    }

    /** Data or the end arrived (from the loop): drain on the executor. */
    void signal() {
        if (this.wip.getAndIncrement() == 0) {
            PipeTable.execute(this.source.executor(), this);
        }
    }

    @Override
    public void run() {
        drain();
    }

    private void drain() {
        int missed = 1;
        while (true) {
            if (this.cancelled || this.done) {
                return;
            }
            long r = this.demand.get();
            long e = 0;
            while (e != r && !this.cancelled) {
                List<T> items;
                try {
                    items = this.source.pull((int) Math.min(r - e, BATCH));
                }
                catch (RemoteCallException ex) {
                    this.done = true;
                    this.subscriber.onError(ex);
                    return;
                }
                if (items.isEmpty()) {
                    break;
                }
                for (T item : items) {
                    if (this.cancelled) {
                        return;
                    }
                    this.subscriber.onNext(item);
                }
                e += items.size();
            }
            if (e != 0 && r != Long.MAX_VALUE) {
                this.demand.addAndGet(-e);
            }
            if (!this.cancelled && this.source.isClosed()) {
                this.done = true;
                RemoteCallException f = this.source.endFailure();
                if (f != null) {
                    this.subscriber.onError(f);
                }
                else {
                    this.subscriber.onComplete();
                }
                return;
            }
            missed = this.wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }
}
