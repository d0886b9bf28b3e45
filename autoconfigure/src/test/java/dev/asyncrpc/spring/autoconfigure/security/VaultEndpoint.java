package dev.asyncrpc.spring.autoconfigure.security;

import java.security.Principal;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncrpc.AsyncReply;
import dev.asyncrpc.InPipe;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.spring.RemoteEndpoint;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Serves {@link VaultService}, reporting who it sees and counting how often it ran. */
@RemoteEndpoint
public class VaultEndpoint implements VaultService, DisposableBean {

    private final AtomicInteger invocations = new AtomicInteger();

    private final ExecutorService later = Executors.newSingleThreadExecutor((r) -> new Thread(r, "vault-later"));

    /**
     * How many times an implementation method ran (a method, so that it works through a method
     * security proxy).
     * @return the count
     */
    public int invocations() {
        return this.invocations.get();
    }

    @Override
    public String hello(String name) {
        this.invocations.incrementAndGet();
        return "hello " + name + " " + describe(ServerCall.current());
    }

    @Override
    public String whoami() {
        this.invocations.incrementAndGet();
        return describe(ServerCall.current());
    }

    @Override
    @PreAuthorize("hasAuthority('SCOPE_admin')")
    public String reset() {
        this.invocations.incrementAndGet();
        return "reset by " + SecurityContextHolder.getContext().getAuthentication().getName();
    }

    @Override
    public void whoamiLater(AsyncReply<String> reply, ServerCall call) {
        this.invocations.incrementAndGet();
        String inMethod = describe(call);
        CompletableFuture.runAsync(() -> reply.complete(inMethod + " / " + describe(call) + " on " + Thread.currentThread().getName()),
                call.wrap(this.later));
    }

    @Override
    public void collect(InPipe<String> items, AsyncReply<String> reply) {
        this.invocations.incrementAndGet();
        Set<String> seen = new TreeSet<>();
        items.onAvailable(new Runnable() {
            @Override
            public void run() {
                seen.add(contextName());
                items.pull(100);
                if (items.isClosed()) {
                    reply.complete(String.join(",", seen));
                }
                else {
                    items.onAvailable(this);
                }
            }
        });
    }

    static String describe(ServerCall call) {
        String principal = (call != null) ? call.principal().map(Principal::getName).orElse("none") : "no call";
        return "principal=" + principal + " context=" + contextName();
    }

    static String contextName() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return (authentication != null) ? authentication.getName() : "none";
    }

    @Override
    public void destroy() {
        this.later.shutdownNow();
    }
}
