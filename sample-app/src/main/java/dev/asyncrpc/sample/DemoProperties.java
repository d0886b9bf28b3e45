package dev.asyncrpc.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the sample's start-up demo, under {@code asyncrpc.sample.demo}. */
@ConfigurationProperties("asyncrpc.sample.demo")
public class DemoProperties {

    /** Whether to call this application's own greeter service at start-up and print what happened. */
    private boolean enabled = true;

    /** Whether to exit after the demo instead of running on as a service. */
    private boolean exit = false;

    /** Delay of the demo's asynchronous call, in milliseconds. */
    private long delayMillis = 300;

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isExit() {
        return this.exit;
    }

    public void setExit(boolean exit) {
        this.exit = exit;
    }

    public long getDelayMillis() {
        return this.delayMillis;
    }

    public void setDelayMillis(long delayMillis) {
        this.delayMillis = delayMillis;
    }
}
