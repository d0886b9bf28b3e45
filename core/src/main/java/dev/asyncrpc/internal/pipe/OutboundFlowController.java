package dev.asyncrpc.internal.pipe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.internal.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * The sending side's flow control for one pipe: the queue of encoded frames, the credit the
 * receiver granted, and the channel's writability.
 *
 * <p>Credit is kept as byte positions: {@link #encodedOffset()} counts every payload byte queued so
 * far, {@link #sentOffset()} every byte written, and {@link #creditLimit()} every byte the receiver
 * allowed (its window plus every CREDIT). A frame may be written once its end position is within
 * the credit limit and the channel is writable. A push is <em>accepted</em> once its last frame's
 * end is within the credit limit: its elements then fit in the receiver's window, so its stage
 * completes although the frame may still wait for writability. What is accepted never waits for
 * the receiver again, so an abort queued after it goes out without the reader's help.
 *
 * <p>Besides data the queue holds send-complete markers (completed when everything before them has
 * been written) and the end (closed or aborted). Not thread-safe: the sender calls it under its
 * lock. Modelled on the roles of Netty's {@code DefaultHttp2RemoteFlowController} and grpc-java's
 * {@code OutboundFlowController}, for one stream.
 *
 * <p>ByteBuf ownership: queued frames are owned here until written (then the channel owns them) or
 * dropped (released).
 */
final class OutboundFlowController {

    /** Where frames go: the connection, as the writer sees it on the event loop. */
    interface Sink {

        /** Whether the channel takes more now. */
        boolean isWritable();

        /** Write one frame; takes ownership. */
        void write(ByteBuf frame);

        /** Call the writer again once the channel is writable. */
        void awaitWritable();
    }

    /** A queued command. */
    static final class Entry {

        enum Kind { DATA, SENT_MARKER, END }

        final Kind kind;
        final ByteBuf frame;
        int size;
        int elements;
        /** Payload position after this frame (data). */
        long endOffset;
        /** Whether this frame ends a push (its stages complete on acceptance). */
        boolean pushEnd;
        /** Stages that complete when this push is accepted (data) or when this entry is written (marker, end). */
        List<CompletableFuture<Void>> stages;
        /** For the end: abort with this instead of closing, or {@code null}. */
        RemoteCallException abort;

        private Entry(Kind kind, ByteBuf frame, int size, int elements) {
            this.kind = kind;
            this.frame = frame;
            this.size = size;
            this.elements = elements;
        }

        static Entry data(ByteBuf frame, int size, int elements) {
            return new Entry(Kind.DATA, frame, size, elements);
        }
    }

    /** What one {@link #flush} did. */
    record Flushed(List<CompletableFuture<Void>> sent, Entry end, int frames) {
    }

    private final int window;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private long creditLimit;
    private long encodedOffset;
    private long sentOffset;
    private long sentElements;
    private long queuedBytes;
    private long stalledNanos;
    private long stallStart;

    /**
     * @param window the receiver's pipe window: the initial credit
     */
    OutboundFlowController(int window) {
        if (window <= 0) {
            throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
        }
        this.window = window;
        this.creditLimit = window;
    }

    int window() {
        return this.window;
    }

    long creditLimit() {
        return this.creditLimit;
    }

    long encodedOffset() {
        return this.encodedOffset;
    }

    long sentOffset() {
        return this.sentOffset;
    }

    long sentElements() {
        return this.sentElements;
    }

    /** Encoded bytes not yet written. */
    long queuedBytes() {
        return this.queuedBytes;
    }

    /**
     * Encoded bytes beyond the credit limit: how far the producer is ahead of what the receiver
     * allows (0 while the pushes queued are all within credit, written or not).
     */
    long aheadOfCredit() {
        return Math.max(0, this.encodedOffset - this.creditLimit);
    }

    /** Bytes written and not yet granted back. */
    long unacknowledged() {
        return this.window - (this.creditLimit - this.sentOffset);
    }

    /** Whether a push made now would be accepted at once: less than the window is queued or in flight. */
    boolean isReady() {
        return this.encodedOffset < this.creditLimit;
    }

    /**
     * Whether the first queued data frame lies beyond the credit limit: nothing more can be
     * written (markers and the end wait behind it) until the receiver grants credit.
     */
    boolean waitingForCredit() {
        for (Entry e : this.queue) {
            if (e.kind == Entry.Kind.DATA) {
                return e.endOffset > this.creditLimit;
            }
            if (e.kind == Entry.Kind.END) {
                return false;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return this.queue.isEmpty();
    }

    /** The last data frame if it is still queued (a candidate for appending small pushes), else {@code null}. */
    Entry tail() {
        Entry e = this.queue.peekLast();
        return (e != null && e.kind == Entry.Kind.DATA) ? e : null;
    }

    /** Whether {@code extra} more bytes appended to {@code tail} would stay within the credit limit. */
    boolean fits(Entry tail, int extra) {
        return tail.endOffset + extra <= this.creditLimit;
    }

    /**
     * Queue the frames of one push.
     * @param stages completed on acceptance, or {@code null}
     * @return {@code stages} if the push is accepted now (the caller completes them), else
     *         {@code null} (they complete from {@link #onCredit})
     */
    List<CompletableFuture<Void>> enqueue(List<Entry> frames, List<CompletableFuture<Void>> stages) {
        for (Entry e : frames) {
            this.encodedOffset += e.size;
            this.queuedBytes += e.size;
            e.endOffset = this.encodedOffset;
            this.queue.add(e);
        }
        Entry last = frames.get(frames.size() - 1);
        last.pushEnd = true;
        if (last.endOffset <= this.creditLimit) {
            return stages;
        }
        last.stages = stages;
        return null;
    }

    /** Whether the queued {@code tail} lies beyond the credit limit: its pushes are not accepted yet. */
    boolean isPending(Entry tail) {
        return tail.endOffset > this.creditLimit;
    }

    /**
     * Account for {@code bytes} and {@code elements} appended to the queued {@code tail} (see
     * {@link #fits}): accepted at once.
     */
    void appended(Entry tail, int bytes, int elements) {
        appended(tail, bytes, elements, null);
    }

    /**
     * Account for {@code bytes} and {@code elements} appended to the queued {@code tail}: within
     * credit ({@link #fits}), accepted at once; or to a tail that {@link #isPending}, then
     * {@code stage} (if not {@code null}) completes when the tail is accepted, from {@link #onCredit}.
     */
    void appended(Entry tail, int bytes, int elements, CompletableFuture<Void> stage) {
        tail.size += bytes;
        tail.elements += elements;
        tail.endOffset += bytes;
        this.encodedOffset += bytes;
        this.queuedBytes += bytes;
        if (stage != null) {
            if (!(tail.stages instanceof ArrayList)) {
                tail.stages = (tail.stages != null) ? new ArrayList<>(tail.stages) : new ArrayList<>(4);
            }
            tail.stages.add(stage);
        }
    }

    /** Queue a send-complete marker: {@code stage} completes once everything before it is written. */
    void enqueueMarker(CompletableFuture<Void> stage) {
        Entry e = new Entry(Entry.Kind.SENT_MARKER, null, 0, 0);
        e.stages = new ArrayList<>(List.of(stage));
        this.queue.add(e);
    }

    /** Queue the end after the data: closed, or aborted with {@code abort}; {@code stages} complete when it is written. */
    void enqueueEnd(RemoteCallException abort, List<CompletableFuture<Void>> stages) {
        Entry e = new Entry(Entry.Kind.END, null, 0, 0);
        e.abort = abort;
        e.stages = stages;
        this.queue.add(e);
    }

    /**
     * Credit granted by the receiver.
     * @return the stages of pushes now accepted (the caller completes them off the event loop)
     * @throws ProtocolException if the grant would let more than the window be in flight
     */
    List<CompletableFuture<Void>> onCredit(long bytes) {
        if (bytes <= 0 || this.creditLimit + bytes - this.sentOffset > this.window) {
            throw new ProtocolException("CREDIT of " + bytes + " bytes overflows the pipe window of " + this.window + " ("
                    + (this.creditLimit - this.sentOffset) + " bytes of credit left)");
        }
        this.creditLimit += bytes;
        List<CompletableFuture<Void>> accepted = null;
        for (Entry e : this.queue) {
            if (e.kind != Entry.Kind.DATA) {
                continue;
            }
            if (e.endOffset > this.creditLimit) {
                break;
            }
            if (e.stages != null) {
                if (accepted == null) {
                    accepted = new ArrayList<>(4);
                }
                accepted.addAll(e.stages);
                e.stages = null;
            }
        }
        return (accepted != null) ? accepted : List.of();
    }

    /**
     * Write what credit and the channel allow, in order (event loop). Stops at the end, at a frame
     * beyond the credit limit (a stall) or when the channel is not writable (then asks the sink to
     * call again).
     */
    Flushed flush(Sink sink) {
        List<CompletableFuture<Void>> sent = null;
        Entry end = null;
        int frames = 0;
        Entry e;
        while ((e = this.queue.peek()) != null) {
            if (e.kind == Entry.Kind.SENT_MARKER) {
                this.queue.poll();
                sent = add(sent, e.stages);
                continue;
            }
            if (e.kind == Entry.Kind.END) {
                this.queue.poll();
                sent = add(sent, e.stages);
                end = e;
                break;
            }
            if (e.endOffset > this.creditLimit) {
                if (this.stallStart == 0) {
                    this.stallStart = System.nanoTime();
                }
                break;
            }
            if (!sink.isWritable()) {
                sink.awaitWritable();
                break;
            }
            this.queue.poll();
            this.queuedBytes -= e.size;
            this.sentOffset += e.size;
            this.sentElements += e.elements;
            sink.write(e.frame);
            frames++;
        }
        if (this.stallStart != 0 && (e == null || e.kind != Entry.Kind.DATA || e.endOffset <= this.creditLimit)) {
            this.stalledNanos += System.nanoTime() - this.stallStart;
            this.stallStart = 0;
        }
        return new Flushed((sent != null) ? sent : List.of(), end, frames);
    }

    /**
     * For an abort: drop the frames of pushes not yet accepted (and everything queued after
     * them), keeping accepted data to be sent before the abort.
     * @return the stages of the dropped entries
     */
    List<CompletableFuture<Void>> dropUnaccepted() {
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        Entry e;
        while ((e = this.queue.peekLast()) != null) {
            if (e.kind == Entry.Kind.DATA && e.pushEnd && e.endOffset <= this.creditLimit) {
                break;
            }
            this.queue.pollLast();
            drop(e, stages);
        }
        return stages;
    }

    /** Drop everything queued (the pipe failed). @return the stages of the dropped entries */
    List<CompletableFuture<Void>> dropAll() {
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        Entry e;
        while ((e = this.queue.poll()) != null) {
            drop(e, stages);
        }
        endStall();
        return stages;
    }

    private void drop(Entry e, List<CompletableFuture<Void>> stages) {
        if (e.frame != null) {
            e.frame.release();
            this.queuedBytes -= e.size;
            this.encodedOffset -= e.size;
        }
        if (e.stages != null) {
            stages.addAll(e.stages);
        }
    }

    private void endStall() {
        if (this.stallStart != 0) {
            this.stalledNanos += System.nanoTime() - this.stallStart;
            this.stallStart = 0;
        }
    }

    /** Time spent waiting for credit with data queued, including a stall in progress. */
    long stalledNanos() {
        return this.stalledNanos + ((this.stallStart != 0) ? System.nanoTime() - this.stallStart : 0);
    }

    private static List<CompletableFuture<Void>> add(List<CompletableFuture<Void>> list, List<CompletableFuture<Void>> stages) {
        if (stages == null || stages.isEmpty()) {
            return list;
        }
        List<CompletableFuture<Void>> l = (list != null) ? list : new ArrayList<>(4);
        l.addAll(stages);
        return l;
    }
}
