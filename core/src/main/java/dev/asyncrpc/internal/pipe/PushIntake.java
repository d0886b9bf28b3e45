package dev.asyncrpc.internal.pipe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.asyncrpc.RemoteCallException;

/**
 * The push side of a sending pipe end: encodes pushed elements into PIPE_DATA frames
 * ({@link ChunkEncoder}) on the producer's thread and queues them in the flow controller, whose
 * credit decides whether a push is accepted at once; holds pushes as references
 * ({@link DeferredPushes}) while the end is not attached or its queue reaches its bound beyond the
 * credit limit, and encodes
 * them later ({@link #refill()}, off the loop). Also places send-complete markers.
 *
 * <p>Thread-safety: producers on any thread but the event loop; serialised by the producer lock,
 * encoding outside the shared state's monitor.
 */
final class PushIntake {

    private final SenderState s;
    private final FrameWriter writer;
    /** Producer lock (set at attach, read by producers). */
    private ChunkEncoder encoder;

    PushIntake(SenderState state, FrameWriter writer) {
        this.s = state;
        this.writer = writer;
    }

    /** Use {@code enc} from now on (before the end is attached). */
    void encoder(ChunkEncoder enc) {
        this.s.producer.lock(); // publishes the encoder to producers
        try {
            this.encoder = enc;
        }
        finally {
            this.s.producer.unlock();
        }
    }

    /**
     * Encode and queue {@code elements} now if there is room, else hold them.
     * @param wantStage whether the caller wants a stage (a subscriber's element does not)
     * @return a completed stage if the push was accepted at once, else the pending stage
     */
    CompletionStage<Void> push(List<?> elements, boolean wantStage) {
        SenderState st = this.s;
        st.producer.lock();
        try {
            boolean busy;
            synchronized (st) {
                if (!st.state.isOpen()) {
                    return CompletableFuture.failedFuture(st.refusalLocked());
                }
                if (elements.isEmpty()) {
                    return CompletableFuture.completedFuture(null);
                }
                if (st.mustDeferLocked()) {
                    CompletableFuture<Void> stage = wantStage ? new PushStage() : null;
                    st.deferred.push(elements, stage);
                    return (stage != null) ? stage : CompletableFuture.completedFuture(null);
                }
                CompletionStage<Void> appended = appendLocked(elements, wantStage);
                if (appended != null) {
                    return appended;
                }
                busy = !st.flow.isEmpty();
            }
            return encodeAndQueue(elements, busy, wantStage ? null : List.of());
        }
        finally {
            st.producer.unlock();
        }
    }

    /**
     * Copy small raw elements into the room the last queued frame has left, while the loop has not
     * taken it: bursts of small pushes share frames (locked). Either the elements stay within
     * credit (the push is accepted at once), or the frame already lies beyond credit and the push
     * is accepted with it. A frame within credit never grows beyond it: what was accepted must not
     * wait for the receiver again.
     * @return the push's stage, or {@code null} if the elements were not appended
     */
    private CompletionStage<Void> appendLocked(List<?> elements, boolean wantStage) {
        OutboundFlowController flow = this.s.flow;
        OutboundFlowController.Entry tail = flow.tail();
        if (!this.encoder.isRaw() || tail == null) {
            return null;
        }
        boolean accepted = flow.fits(tail, rawSize(elements));
        if (!accepted && !flow.isPending(tail)) {
            return null;
        }
        int n = this.encoder.append(tail.frame, tail.size, tail.elements, elements);
        if (n < 0) {
            return null;
        }
        CompletableFuture<Void> stage = (!accepted && wantStage) ? new PushStage() : null;
        flow.appended(tail, n, elements.size(), stage);
        this.s.encodedBytes += n;
        this.s.encodedElements += elements.size();
        return (stage != null) ? stage : CompletableFuture.completedFuture(null);
    }

    private static int rawSize(List<?> elements) {
        int needed = 0;
        for (Object e : elements) {
            needed += 4 + ((e instanceof byte[] b) ? b.length : ((java.nio.ByteBuffer) e).remaining());
        }
        return needed;
    }

    /**
     * Encode {@code elements} and queue them (producer lock held, monitor not).
     * @param stages the stages to complete on acceptance, or {@code null} to make one
     * @return a completed stage if the push was accepted at once, else the pending stage
     */
    private CompletionStage<Void> encodeAndQueue(List<?> elements, boolean busy, List<CompletableFuture<Void>> stages) {
        List<ChunkEncoder.Encoded> frames;
        try {
            frames = this.encoder.encode(elements, busy);
        }
        catch (RemoteCallException ex) {
            if (stages != null) {
                stages.forEach(f -> f.completeExceptionally(ex));
            }
            return CompletableFuture.failedFuture(ex);
        }
        List<OutboundFlowController.Entry> entries = new ArrayList<>(frames.size());
        int count = 0;
        long bytes = 0;
        for (ChunkEncoder.Encoded f : frames) {
            entries.add(OutboundFlowController.Entry.data(f.frame(), f.size(), f.elements()));
            count += f.elements();
            bytes += f.size();
        }
        CompletableFuture<Void> made = null;
        List<CompletableFuture<Void>> accepted;
        SenderState st = this.s;
        synchronized (st) {
            if (st.state.refusesData()) {
                for (ChunkEncoder.Encoded f : frames) {
                    f.frame().release();
                }
                RemoteCallException ex = st.droppedLocked();
                if (stages != null) {
                    stages.forEach(f -> f.completeExceptionally(ex));
                }
                return CompletableFuture.failedFuture(ex);
            }
            List<CompletableFuture<Void>> waiting = stages;
            if (waiting == null) {
                made = new PushStage();
                waiting = new ArrayList<>(1);
                waiting.add(made);
            }
            accepted = st.flow.enqueue(entries, waiting);
            st.encodedBytes += bytes;
            st.encodedElements += count;
            this.writer.scheduleFlushLocked();
        }
        if (accepted == null) {
            return (made != null) ? made : CompletableFuture.completedFuture(null);
        }
        if (stages != null) {
            accepted.forEach(f -> f.complete(null)); // deferred pushes: on the executor already
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Send complete: a stage that completes once every element pushed before has been handed to
     * the transport.
     */
    CompletionStage<Void> whenSent() {
        SenderState st = this.s;
        st.producer.lock();
        try {
            synchronized (st) {
                if (st.state == OutboundState.FAILED) {
                    return CompletableFuture.failedFuture(SenderState.copy(st.failure));
                }
                if (st.state == OutboundState.ENDED || st.state == OutboundState.ABORTED) {
                    return CompletableFuture.completedFuture(null);
                }
                CompletableFuture<Void> stage = new CompletableFuture<>();
                if (st.mustDeferEndLocked()) {
                    st.deferred.marker(stage);
                }
                else if (st.flow.isEmpty()) {
                    return CompletableFuture.completedFuture(null);
                }
                else {
                    st.flow.enqueueMarker(stage);
                    this.writer.scheduleFlushLocked();
                }
                return stage;
            }
        }
        finally {
            st.producer.unlock();
        }
    }

    /**
     * Encode deferred pushes while there is room (off the loop; the caller has set
     * {@code refillScheduled}).
     * @return the readiness callback now due, or {@code null}; also {@code null} if the end failed
     */
    Runnable refill() {
        SenderState st = this.s;
        st.producer.lock();
        try {
            while (true) {
                DeferredPushes.Deferred d;
                boolean busy;
                synchronized (st) {
                    if (st.state == OutboundState.FAILED || !st.isAttached()) {
                        st.refillScheduled = false;
                        return null;
                    }
                    if (st.flow.aheadOfCredit() >= st.bound || (d = st.deferred.poll()) == null) {
                        st.refillScheduled = false;
                        break;
                    }
                    if (d.end) {
                        st.flow.enqueueEnd(d.abort, d.stages);
                        this.writer.scheduleFlushLocked();
                        continue;
                    }
                    if (d.marker) {
                        st.flow.enqueueMarker(d.stages.get(0));
                        this.writer.scheduleFlushLocked();
                        continue;
                    }
                    busy = !st.flow.isEmpty();
                }
                encodeAndQueue(d.elements, busy, d.stages);
            }
            synchronized (st) {
                return st.takeReadyLocked();
            }
        }
        finally {
            st.producer.unlock();
        }
    }
}
