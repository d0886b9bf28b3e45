package dev.asyncrpc.spring.autoconfigure.console;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.asyncrpc.AsyncCall;
import dev.asyncrpc.AsyncRpcClient;
import dev.asyncrpc.AsyncRpcResources;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.spring.AsyncRpcClientCustomizer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes the console's calls through the real client path: JSON arguments are read into the
 * declared parameter types of a caller's view of the operation, and a client proxy of that view
 * sends them to this application's own server. An in-pipe is fed from JSON lines (one element per
 * line); an out-pipe (or a {@code Flux} result) is read as elements arrive, and each one is kept,
 * as JSON, for the page to fetch.
 * <p>
 * Bounded: at most {@code maxPending} console calls run at once, the last {@code retained} calls
 * are kept, and each keeps at most {@code maxElements} elements. The client is created on first
 * use and closed with this object.
 */
final class ConsoleCalls implements AutoCloseable {

    private final ConsoleCatalog catalog;

    private final ConsoleJson json;

    private final int maxPending;

    private final int retained;

    private final int maxElements;

    private final AtomicLong ids = new AtomicLong();

    private final AtomicInteger pending = new AtomicInteger();

    private final Map<Long, ConsoleCall> calls = new ConcurrentHashMap<>();

    private final ExecutorService executor;

    private final ConsoleClients clients;

    /**
     * @param resources the application's shared event loops and completion executor for the
     *        console's client to borrow, or {@code null} for the client to make its own
     * @param customizers the application's client customizers (credentials among them), applied
     *        to the console's client of each service
     */
    ConsoleCalls(ConsoleCatalog catalog, JsonMapper json, @Nullable AsyncRpcResources resources, List<AsyncRpcClientCustomizer> customizers,
            int maxPending, int retained, int maxElements) {
        this.catalog = catalog;
        this.clients = new ConsoleClients(catalog, resources, customizers);
        this.json = new ConsoleJson(json);
        this.maxPending = maxPending;
        this.retained = retained;
        this.maxElements = maxElements;
        AtomicInteger threads = new AtomicInteger();
        // a plain caller's call, an in-pipe feeder and an out-pipe reader per call at most
        this.executor = new ThreadPoolExecutor(0, 3 * maxPending + 1, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), (task) -> {
            Thread thread = new Thread(task, "asyncrpc-console-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Start a call.
     * @param service the service name
     * @param operation the operation name
     * @param arguments a JSON object of the value parameters by name, or a JSON array of them in order
     * @param input the in-pipe's elements, one JSON value per line (blank lines skipped), or {@code null}
     * @return the call
     * @throws IllegalArgumentException naming what is wrong with the request
     * @throws IllegalStateException when too many console calls are in progress
     */
    ConsoleCall start(String service, String operation, @Nullable String arguments, @Nullable String input) {
        OperationSignature signature = this.catalog.callerView(service, operation);
        if (signature == null) {
            throw new IllegalArgumentException(service + "/" + operation + " cannot be called from the console: "
                    + "the application has no caller's view of it (a @RemoteService interface without AsyncReply or ServerCall parameters)");
        }
        Object[] args = new Object[signature.method().getParameterCount()];
        InPipe<Object> in = null;
        OutPipe<Object> out = null;
        Type inType = null;
        Type outType = null;
        JsonNode values = this.json.readArguments(signature, arguments);
        List<Object> elements = List.of();
        int position = 0;
        for (OperationSignature.Param p : signature.parameters()) {
            if ("in".equals(p.pipe())) {
                in = InPipe.create();
                inType = p.type();
                args[p.index()] = in;
                elements = this.json.readLines(input, p);
            }
            else if ("out".equals(p.pipe())) {
                out = OutPipe.create();
                outType = p.type();
                args[p.index()] = out;
            }
            else {
                JsonNode value = values.isArray() ? values.get(position) : values.get(p.name());
                args[p.index()] = this.json.readValue(value, p);
                position++;
            }
        }
        if (this.pending.incrementAndGet() > this.maxPending) {
            this.pending.decrementAndGet();
            throw new IllegalStateException(this.maxPending + " console calls are in progress already: wait for one to end");
        }
        ConsoleCall call = new ConsoleCall(this.ids.incrementAndGet(), service, operation, this.maxElements);
        remember(call);
        Object proxy = this.clients.proxy(service, signature.method().getDeclaringClass());
        CompletableFuture<Object> outcome;
        if (signature.async()) {
            outcome = invokeAsync(signature, proxy, args, call);
        }
        else {
            outcome = CompletableFuture.supplyAsync(() -> invoke(signature, proxy, args), this.executor);
            call.handle(outcome);
        }
        if (in != null) {
            InPipe<Object> pipe = in;
            List<Object> toSend = elements;
            this.executor.execute(() -> feed(pipe, toSend, call));
        }
        if (out != null) {
            new PipeReader(out, outType, call).read();
        }
        Type resultType = signature.resultType();
        boolean stream = signature.resultStream();
        outcome.whenComplete((value, failure) -> {
            this.pending.decrementAndGet();
            if (failure == null) {
                call.succeeded(stream ? String.valueOf(value) : this.json.write(value));
            }
            else {
                fail(call, failure);
            }
        });
        return call;
    }

    /**
     * A call made from the console, if it is still kept.
     */
    @Nullable ConsoleCall call(long id) {
        return this.calls.get(id);
    }

    private void remember(ConsoleCall call) {
        this.calls.put(call.id(), call);
        if (this.calls.size() > this.retained) {
            long oldest = Long.MAX_VALUE;
            for (ConsoleCall kept : this.calls.values()) {
                if (!kept.isPending() && kept.id() < oldest) {
                    oldest = kept.id();
                }
            }
            this.calls.remove(oldest);
        }
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<Object> invokeAsync(OperationSignature signature, Object proxy, Object[] args, ConsoleCall call) {
        Object handle;
        try {
            handle = signature.method().invoke(proxy, args);
        }
        catch (InvocationTargetException ex) {
            return CompletableFuture.failedFuture(ex.getCause());
        }
        catch (IllegalAccessException ex) {
            return CompletableFuture.failedFuture(ex);
        }
        CompletableFuture<Object> outcome;
        if (handle instanceof AsyncCall<?> asyncCall) {
            call.handle(new AsyncCallHandle(asyncCall));
            outcome = (CompletableFuture<Object>) asyncCall.toCompletableFuture();
        }
        else if (handle instanceof CompletionStage<?> stage) {
            outcome = (CompletableFuture<Object>) stage.toCompletableFuture();
            call.handle(outcome);
        }
        else if (handle != null && Reactor.isMono(handle)) {
            outcome = Reactor.monoToFuture(handle);
            call.handle(outcome);
        }
        else if (handle != null && Reactor.isFlux(handle)) {
            outcome = Reactor.fluxToFuture(handle, (element) -> call.element(this.json.write(element)));
            call.handle(outcome);
        }
        else {
            outcome = CompletableFuture.completedFuture(handle);
        }
        return outcome;
    }

    private static Object invoke(OperationSignature signature, Object proxy, Object[] args) {
        try {
            return signature.method().invoke(proxy, args);
        }
        catch (InvocationTargetException ex) {
            throw new CompletionException(ex.getCause());
        }
        catch (IllegalAccessException ex) {
            throw new CompletionException(ex);
        }
    }

    private void feed(InPipe<Object> pipe, List<Object> elements, ConsoleCall call) {
        try {
            for (int i = 0; i < elements.size(); i += 64) {
                List<Object> batch = elements.subList(i, Math.min(elements.size(), i + 64));
                pipe.push(batch).toCompletableFuture().join();
                call.sent(batch.size());
            }
            pipe.close();
        }
        catch (RuntimeException ex) {
            // the call ends with its own outcome; the pipe shares it
        }
    }

    private void fail(ConsoleCall call, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RemoteCallException remote) {
            call.failed(remote.status().name(), remote.description());
        }
        else if (cause instanceof java.util.concurrent.CancellationException) {
            call.failed("CANCELLED", "cancelled from the console");
        }
        else {
            call.failed("CLIENT_ERROR", String.valueOf(cause.getMessage()));
        }
    }

    /** The console's own clients, named "console" (or "console:service" when it has several). */
    Map<String, AsyncRpcClient> consoleClient() {
        return this.clients.named();
    }

    @Override
    public void close() {
        this.clients.close();
        this.executor.shutdownNow();
    }

    /** Reads an out-pipe as its elements arrive, without holding a thread while it waits. */
    private final class PipeReader implements Runnable {

        private final OutPipe<Object> pipe;

        private final ConsoleCall call;

        PipeReader(OutPipe<Object> pipe, @Nullable Type type, ConsoleCall call) {
            this.pipe = pipe;
            this.call = call;
        }

        void read() {
            this.pipe.onAvailable(this, ConsoleCalls.this.executor);
        }

        @Override
        public void run() {
            try {
                List<Object> got;
                while (!(got = this.pipe.pull(256)).isEmpty()) {
                    for (Object element : got) {
                        this.call.element(ConsoleCalls.this.json.write(element));
                    }
                }
                if (!this.pipe.isClosed()) {
                    read();
                }
            }
            catch (RuntimeException ex) {
                // a failed pipe ends with its call, whose outcome the page shows
            }
        }
    }

    /** Cancels an {@link AsyncCall} abortively through the {@code Future} view the console keeps. */
    private record AsyncCallHandle(AsyncCall<?> call) implements java.util.concurrent.Future<Object> {

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return this.call.cancel(dev.asyncrpc.CancelMode.ABORTIVE);
        }

        @Override
        public boolean isCancelled() {
            return this.call.state() == dev.asyncrpc.CallState.CANCELLED;
        }

        @Override
        public boolean isDone() {
            return this.call.state() != dev.asyncrpc.CallState.PENDING;
        }

        @Override
        public Object get() {
            return this.call.join();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return this.call.join(java.time.Duration.ofNanos(unit.toNanos(timeout)));
        }
    }

    /** Reactor results, without a compile-time dependency on Reactor. */
    private static final class Reactor {

        static boolean isMono(Object value) {
            return value.getClass().getName().startsWith("reactor.core.publisher.Mono");
        }

        static boolean isFlux(Object value) {
            return value.getClass().getName().startsWith("reactor.core.publisher.Flux");
        }

        @SuppressWarnings("unchecked")
        static CompletableFuture<Object> monoToFuture(Object mono) {
            try {
                return (CompletableFuture<Object>) mono.getClass().getMethod("toFuture").invoke(mono);
            }
            catch (ReflectiveOperationException ex) {
                return CompletableFuture.failedFuture(ex);
            }
        }

        /** Subscribe to a {@code Flux}: each element goes to {@code onElement}; the future completes with the count. */
        static CompletableFuture<Object> fluxToFuture(Object flux, java.util.function.Consumer<Object> onElement) {
            try {
                Object peeked = flux.getClass().getMethod("doOnNext", java.util.function.Consumer.class).invoke(flux, onElement);
                Object count = peeked.getClass().getMethod("count").invoke(peeked);
                return monoToFuture(count);
            }
            catch (ReflectiveOperationException ex) {
                return CompletableFuture.failedFuture(ex);
            }
        }
    }
}
