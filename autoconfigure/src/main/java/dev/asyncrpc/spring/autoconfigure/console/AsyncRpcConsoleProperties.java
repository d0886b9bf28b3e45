package dev.asyncrpc.spring.autoconfigure.console;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the asyncrpc web console, under {@code asyncrpc.console}.
 */
@ConfigurationProperties("asyncrpc.console")
public class AsyncRpcConsoleProperties {

    /** Whether to serve the web console at /actuator/asyncrpcconsole (it must also be exposed, like any Actuator endpoint); it can call every operation, so it is off by default. */
    private boolean enabled = false;

    /** The most console calls in progress at once. */
    private int maxCalls = 16;

    /** The most out-pipe elements the console keeps per call; later ones are counted, not kept. */
    private int maxElements = 1000;

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getMaxCalls() {
        return this.maxCalls;
    }

    public void setMaxCalls(int maxCalls) {
        this.maxCalls = maxCalls;
    }

    public int getMaxElements() {
        return this.maxElements;
    }

    public void setMaxElements(int maxElements) {
        this.maxElements = maxElements;
    }
}
