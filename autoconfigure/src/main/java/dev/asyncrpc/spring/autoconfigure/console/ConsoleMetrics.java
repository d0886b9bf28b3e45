package dev.asyncrpc.spring.autoconfigure.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

/**
 * Per-operation call statistics for the console, read from the {@code asyncrpc.server.requests}
 * timers: calls and failed calls by service and method (the page turns successive counts into
 * rates), and the 50th, 95th and 99th latency percentiles of successful calls, which
 * {@link #percentiles()} asks Micrometer to compute.
 */
final class ConsoleMetrics implements Supplier<List<Map<String, Object>>> {

    static final String SERVER_REQUESTS = "asyncrpc.server.requests";

    private final MeterRegistry registry;

    ConsoleMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A filter that has the server's call timers keep client-side percentiles for the console. */
    static MeterFilter percentiles() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(io.micrometer.core.instrument.Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().equals(SERVER_REQUESTS)) {
                    return DistributionStatisticConfig.builder().percentiles(0.5, 0.95, 0.99).build().merge(config);
                }
                return config;
            }
        };
    }

    @Override
    public List<Map<String, Object>> get() {
        Map<String, Map<String, Object>> byOperation = new TreeMap<>();
        for (Timer timer : this.registry.find(SERVER_REQUESTS).timers()) {
            String service = timer.getId().getTag("service");
            String method = timer.getId().getTag("method");
            String status = timer.getId().getTag("status");
            if (service == null || method == null) {
                continue;
            }
            Map<String, Object> op = byOperation.computeIfAbsent(service + "/" + method, (k) -> {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("service", service);
                m.put("operation", method);
                m.put("calls", 0L);
                m.put("errors", 0L);
                return m;
            });
            long count = timer.count();
            op.put("calls", (Long) op.get("calls") + count);
            if (!"OK".equals(status)) {
                op.put("errors", (Long) op.get("errors") + count);
            }
            else {
                for (ValueAtPercentile p : timer.takeSnapshot().percentileValues()) {
                    op.put("p" + Math.round(p.percentile() * 100), p.value(TimeUnit.MILLISECONDS));
                }
            }
        }
        return new ArrayList<>(byOperation.values());
    }
}
