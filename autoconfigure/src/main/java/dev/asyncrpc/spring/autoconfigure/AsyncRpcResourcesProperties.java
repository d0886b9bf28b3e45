package dev.asyncrpc.spring.autoconfigure;

import dev.asyncrpc.Transport;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the threads the application's asyncrpc clients share (and the server, with
 * {@code asyncrpc.server.shared-resources=true}), under {@code asyncrpc.resources}.
 */
@ConfigurationProperties("asyncrpc.resources")
public class AsyncRpcResourcesProperties {

    /** Netty transport of every event loop asyncrpc makes (the shared ones and the server's own): auto (epoll where its library loads, else nio), epoll or nio. */
    private Transport transport = Transport.AUTO;

    /** Netty event loop threads shared by the connections of every client. */
    private int ioThreads = 1;

    /** Most threads of the executor that runs the callbacks of asynchronous calls; 0 means the number of cores, at least 2. Threads start only when a callback finds none idle and retire after 60s idle. */
    private int completionThreads = 0;

    public Transport getTransport() {
        return this.transport;
    }

    public void setTransport(Transport transport) {
        Checks.check(transport != null, "asyncrpc.resources.transport", transport, "auto, epoll or nio");
        this.transport = transport;
    }

    public int getIoThreads() {
        return this.ioThreads;
    }

    public void setIoThreads(int ioThreads) {
        Checks.check(ioThreads > 0, "asyncrpc.resources.io-threads", ioThreads, "> 0");
        this.ioThreads = ioThreads;
    }

    public int getCompletionThreads() {
        return this.completionThreads;
    }

    public void setCompletionThreads(int completionThreads) {
        Checks.check(completionThreads >= 0, "asyncrpc.resources.completion-threads", completionThreads, ">= 0; 0 for the number of cores, at least 2");
        this.completionThreads = completionThreads;
    }
}
