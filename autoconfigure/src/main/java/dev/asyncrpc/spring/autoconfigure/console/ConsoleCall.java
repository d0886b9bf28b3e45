package dev.asyncrpc.spring.autoconfigure.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;

/**
 * One call made from the console: its outcome (status, message or result, duration) and the
 * elements its out-pipe (or {@code Flux} result) has delivered so far, at most
 * {@code maxElements} of them (later ones are counted, not kept). Thread-safe: the call's
 * completion and the pipe reader write, the page's polls read.
 */
final class ConsoleCall {

    private final long id;

    private final String service;

    private final String operation;

    private final long startNanos = System.nanoTime();

    private final int maxElements;

    private final List<String> elements = new ArrayList<>();

    private long elementCount;

    private int inputCount;

    private String status = "PENDING";

    private @Nullable String message;

    private @Nullable String result;

    private long durationNanos = -1;

    private @Nullable Future<?> handle;

    ConsoleCall(long id, String service, String operation, int maxElements) {
        this.id = id;
        this.service = service;
        this.operation = operation;
        this.maxElements = maxElements;
    }

    long id() {
        return this.id;
    }

    synchronized boolean isPending() {
        return this.durationNanos < 0;
    }

    synchronized void handle(Future<?> handle) {
        this.handle = handle;
    }

    /** Cancel the call if it is still pending. */
    void cancel() {
        Future<?> h;
        synchronized (this) {
            h = this.handle;
        }
        if (h != null) {
            h.cancel(true);
        }
    }

    synchronized void sent(int count) {
        this.inputCount += count;
    }

    /** Record an element that arrived, as JSON text. */
    synchronized void element(String json) {
        if (this.elements.size() < this.maxElements) {
            this.elements.add(json);
        }
        this.elementCount++;
    }

    /** Record success; the first outcome wins. */
    synchronized void succeeded(@Nullable String resultJson) {
        if (isPending()) {
            this.durationNanos = System.nanoTime() - this.startNanos;
            this.status = "OK";
            this.result = resultJson;
        }
    }

    /** Record failure; the first outcome wins. */
    synchronized void failed(String status, String message) {
        if (isPending()) {
            this.durationNanos = System.nanoTime() - this.startNanos;
            this.status = status;
            this.message = message;
        }
    }

    /**
     * What the page shows.
     * @param from the index of the first element to include
     */
    synchronized Map<String, Object> view(int from) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", this.id);
        v.put("service", this.service);
        v.put("operation", this.operation);
        v.put("status", this.status);
        v.put("message", this.message);
        v.put("result", this.result);
        long nanos = (this.durationNanos >= 0) ? this.durationNanos : System.nanoTime() - this.startNanos;
        v.put("durationMillis", nanos / 1_000_000.0);
        v.put("inputCount", this.inputCount);
        v.put("elementCount", this.elementCount);
        int start = Math.max(0, Math.min(from, this.elements.size()));
        v.put("from", start);
        v.put("elements", List.copyOf(this.elements.subList(start, this.elements.size())));
        return v;
    }
}
