package dev.asyncrpc.test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Objects;

import dev.asyncrpc.AsyncRpcServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

/**
 * The server process of the hostile-peer suite and the soak: serves {@link HostileService} and
 * {@link Bulk} with the default settings on a free loopback port and prints {@code PORT <n>}. It
 * answers commands on its standard input, one a line, so that the parent can measure it whatever
 * state its network side is in:
 * <ul>
 * <li>{@code STATS}: collect garbage, then print one {@code STATS} line (heap used after the
 * collection, direct memory, live threads, open file descriptors, calls, connections, open pipes,
 * and the peaks of {@link HeapWatch});</li>
 * <li>{@code LEAKS}: collect garbage and allocate, so that the leak detector reports what it found.</li>
 * </ul>
 * Every buffer leak the detector reports is printed as a line starting with {@code LEAK:}. It exits
 * when its standard input ends.
 */
public final class HostileServerMain {

    public static void main(String[] args) throws Exception {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new PrintingLeakDetectorFactory());
        HeapWatch watch = new HeapWatch();
        startStallWatch();
        try (HostileEndpoint hostile = new HostileEndpoint();
                AsyncRpcServer server = AsyncRpcServer.builder().host("127.0.0.1").port(0).service(hostile).service(new BulkEndpoint()).build().start()) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            String line;
            while ((line = in.readLine()) != null) {
                switch (line.trim()) {
                    case "STATS" -> System.out.println(stats(server, watch));
                    case "LEAKS" -> {
                        provokeLeakReports();
                        System.out.println("LEAKS checked");
                    }
                    default -> System.out.println("UNKNOWN " + line);
                }
                System.out.flush();
            }
        }
    }

    /** The longest a sleeping thread of this process overslept since the last {@code STATS}: how starved of CPU the whole process was. */
    private static final java.util.concurrent.atomic.AtomicLong STALL_NANOS = new java.util.concurrent.atomic.AtomicLong();

    private static void startStallWatch() {
        Thread t = new Thread(() -> {
            while (true) {
                long t0 = System.nanoTime();
                try {
                    Thread.sleep(50);
                }
                catch (InterruptedException ex) {
                    return;
                }
                STALL_NANOS.accumulateAndGet(System.nanoTime() - t0 - 50_000_000L, Math::max);
            }
        }, "stall-watch");
        t.setDaemon(true);
        t.start();
    }

    private static String stats(AsyncRpcServer server, HeapWatch watch) throws InterruptedException {
        long stall = STALL_NANOS.getAndSet(0) / 1_000_000;
        collectGarbage();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
        long nio = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                nio = pool.getMemoryUsed();
            }
        }
        String[] fds = new File("/proc/self/fd").list();
        return "STATS heap " + heap + " allocatorDirect " + direct + " nioDirect " + nio
                + " threads " + ManagementFactory.getThreadMXBean().getThreadCount()
                + " fds " + (fds == null ? -1 : fds.length)
                + " calls " + server.activeCalls() + " connections " + server.connections() + " pipes " + server.openPipes().size()
                + " stallMillis " + stall + " maxDirect " + io.netty.util.internal.PlatformDependent.maxDirectMemory() + " " + watch.report();
    }

    private static void collectGarbage() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20); // lets reference processing and finalization-free cleaners run between collections
        }
    }

    private static void provokeLeakReports() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            collectGarbage();
            for (int j = 0; j < 64; j++) { // the detector reports what was collected when it tracks a new buffer
                ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(8);
                probe.release();
                ByteBuf heapProbe = ByteBufAllocator.DEFAULT.heapBuffer(8);
                heapProbe.release();
            }
        }
    }

    /** A leak detector that also prints each report on standard output, as a line starting with {@code LEAK:}. */
    static final class PrintingLeakDetectorFactory extends ResourceLeakDetectorFactory {

        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<>(resource, samplingInterval, maxActive) {
                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    super.reportTracedLeak(resourceType, records);
                    print("LEAK: " + resourceType + " " + Objects.toString(records).replace('\n', ' '));
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    super.reportUntracedLeak(resourceType);
                    print("LEAK: " + resourceType + " (untraced)");
                }
            };
        }

        private static void print(String line) {
            synchronized (System.out) {
                System.out.println(line);
                System.out.flush();
            }
        }
    }
}
