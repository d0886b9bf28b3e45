package dev.asyncrpc.test;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Makes a Netty buffer leak fail the build: installs a leak detector (level paranoid, set by the
 * surefire configuration) that records every leak report, and after each test class collects
 * garbage, provokes detection, and fails if anything leaked. Registered for every test through
 * {@code META-INF/services} and JUnit's extension auto-detection.
 */
public final class LeakDetectionExtension implements AfterAllCallback {

    private static final List<String> LEAKS = new ArrayList<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
                return new ResourceLeakDetector<>(resource, samplingInterval, maxActive) {
                    @Override
                    protected void reportTracedLeak(String resourceType, String records) {
                        super.reportTracedLeak(resourceType, records);
                        record(resourceType + " leak" + records);
                    }

                    @Override
                    protected void reportUntracedLeak(String resourceType) {
                        super.reportUntracedLeak(resourceType);
                        record(resourceType + " leak (untraced)");
                    }
                };
            }
        });
    }

    private static void record(String leak) {
        synchronized (LEAKS) {
            LEAKS.add(leak);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50); // lets the reference queue fill: GC timing cannot be awaited otherwise
            for (int j = 0; j < 64; j++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(8);
                probe.release();
            }
        }
        List<String> leaks;
        synchronized (LEAKS) {
            leaks = new ArrayList<>(LEAKS);
            LEAKS.clear();
        }
        assertThat(leaks).as("Netty buffer leaks detected after " + context.getDisplayName()).isEmpty();
    }
}
