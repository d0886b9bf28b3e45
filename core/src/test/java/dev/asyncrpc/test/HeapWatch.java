package dev.asyncrpc.test;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;

/**
 * Memory figures of a forked test process: the peak heap use (the sum of the heap pools' peaks, an
 * upper bound), the largest heap left live after a collection (from the GC notifications) and the
 * peak of the direct memory Netty's default allocator uses (sampled).
 */
public final class HeapWatch {

    private final AtomicLong maxLiveAfterGc = new AtomicLong();
    private final AtomicLong maxDirect = new AtomicLong();

    public HeapWatch() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                        long live = 0;
                        for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                            live += u.getUsed();
                        }
                        this.maxLiveAfterGc.accumulateAndGet(live - nonHeapAfterGc(info), Math::max);
                    }
                }, null, null);
            }
        }
        Thread sampler = new Thread(() -> {
            while (true) {
                this.maxDirect.accumulateAndGet(((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory(), Math::max);
                try {
                    Thread.sleep(5);
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        }, "direct-memory-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private static long nonHeapAfterGc(GarbageCollectionNotificationInfo info) {
        long nonHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.NON_HEAP) {
                MemoryUsage u = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                if (u != null) {
                    nonHeap += u.getUsed();
                }
            }
        }
        return nonHeap;
    }

    /** The heap pools' peaks added up: at least the true peak of heap use. */
    public static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /** One line for the parent test to parse. */
    public String report() {
        return "PEAK_HEAP " + peakHeap() + " MAX_LIVE_AFTER_GC " + this.maxLiveAfterGc.get() + " PEAK_DIRECT " + this.maxDirect.get()
                + " MAX_HEAP " + Runtime.getRuntime().maxMemory();
    }
}
