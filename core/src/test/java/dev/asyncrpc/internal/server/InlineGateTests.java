package dev.asyncrpc.internal.server;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The inline-dispatch decision of one operation, on its own: warm-up, strikes, demotion, its WARN. */
class InlineGateTests {

    private static final long LIMIT = 500_000;

    private static final long FAST = 1_000;

    private static final long SLOW = 2_000_000;

    private final List<LogRecord> records = new ArrayList<>();

    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (InlineGateTests.this.records) {
                InlineGateTests.this.records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private final Logger logger = Logger.getLogger(InlineGate.class.getName());

    @BeforeEach
    void capture() {
        this.logger.addHandler(this.handler);
    }

    @AfterEach
    void release() {
        this.logger.removeHandler(this.handler);
    }

    private static void invoke(InlineGate gate, int times, long nanos, boolean inline) {
        for (int i = 0; i < times; i++) {
            gate.invoked(nanos, inline);
        }
    }

    @Test
    void aSlowPipeCallbackIsForgivenWhenTheCollectorRanAndOneThatBlocksRunAfterRunIsDemoted() {
        InlineGate gate = new InlineGate("svc/op", LIMIT, true);
        invoke(gate, InlineGate.WARM_UP, FAST, false);
        invoke(gate, 1, SLOW, true); // the first look at the collector: forgiven
        invoke(gate, 2, SLOW, true); // no collection in between: two strikes
        assertThat(gate.isDemoted()).isFalse();
        System.gc();
        invoke(gate, 1, SLOW, true); // the collector ran: forgiven
        assertThat(gate.isDemoted()).isFalse();
        invoke(gate, 1, SLOW, true);
        assertThat(gate.isDemoted()).isTrue();
        assertThat(this.records).singleElement().satisfies(r -> assertThat(r.getMessage()).contains("the onAvailable callbacks of the pipes of svc/op are slow"));
    }

    @Test
    void opensOnlyAfterTheWarmUpOnWorkers() {
        InlineGate gate = new InlineGate("svc/op", LIMIT);
        invoke(gate, InlineGate.WARM_UP - 1, FAST, false);
        assertThat(gate.isOpen()).isFalse();
        invoke(gate, 1, FAST, false);
        assertThat(gate.isOpen()).isTrue();
        assertThat(gate.isDemoted()).isFalse();
        assertThat(this.records).isEmpty();
    }

    @Test
    void coldInvocationsAreNotHeldAgainstTheOperation() {
        InlineGate gate = new InlineGate("svc/op", LIMIT);
        invoke(gate, InlineGate.COLD, SLOW, false); // class loading and linking on the first calls
        invoke(gate, InlineGate.WARM_UP - InlineGate.COLD, FAST, false);
        assertThat(gate.isOpen()).isTrue();
        assertThat(gate.isDemoted()).isFalse();
    }

    @Test
    void isolatedSlowInvocationsAreForgiven() {
        InlineGate gate = new InlineGate("svc/op", LIMIT);
        invoke(gate, InlineGate.WARM_UP, FAST, false);
        // fewer than STRIKES slow invocations in every window, for many windows (a GC pause, a preemption now and then)
        for (int window = 0; window < 20; window++) {
            invoke(gate, InlineGate.STRIKES - 1, SLOW, true);
            invoke(gate, InlineGate.WINDOW - (InlineGate.STRIKES - 1), FAST, true);
        }
        assertThat(gate.isOpen()).isTrue();
        assertThat(gate.isDemoted()).isFalse();
        assertThat(this.records).isEmpty();
    }

    @Test
    void repeatedSlowInvocationsDemoteWithOneWarning() {
        InlineGate gate = new InlineGate("svc/op", LIMIT);
        invoke(gate, InlineGate.WARM_UP, FAST, false);
        assertThat(gate.isOpen()).isTrue();
        invoke(gate, InlineGate.STRIKES - 1, SLOW, true);
        assertThat(gate.isOpen()).isTrue();
        invoke(gate, 1, 3_400_000, true);
        assertThat(gate.isOpen()).isFalse();
        assertThat(gate.isDemoted()).isTrue();
        invoke(gate, 10 * InlineGate.WINDOW, FAST, false); // fast again on the workers, but not yet for a probation
        invoke(gate, 10, SLOW, false);
        assertThat(gate.isOpen()).isFalse();
        assertThat(this.records).hasSize(1);
        LogRecord warning = this.records.get(0);
        assertThat(warning.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
        assertThat(warning.getMessage()).contains("svc/op", "asyncrpc.server.inline-dispatch-limit", "3.4 ms", "on an event loop", "500 µs",
            "until 4096 in a row there are within the limit (demotion 1 of at most 3)");
    }

    @Test
    void anOperationSlowDuringItsWarmUpStaysOnTheWorkersDuringItsProbation() {
        InlineGate gate = new InlineGate("svc/op", LIMIT);
        invoke(gate, InlineGate.COLD, FAST, false);
        invoke(gate, InlineGate.STRIKES, SLOW, false);
        invoke(gate, 4 * InlineGate.WARM_UP, FAST, false);
        assertThat(gate.isOpen()).isFalse();
        assertThat(gate.isDemoted()).isTrue();
        assertThat(this.records).hasSize(1);
        assertThat(this.records.get(0).getMessage()).contains("on a worker");
    }

    /** Slow runs on an event loop until demoted (a pipe callback's slow run is forgiven when the collector ran meanwhile). */
    private static void demote(InlineGate gate) {
        for (int i = 0; i < 100 && !gate.isDemoted(); i++) {
            gate.invoked(SLOW, true);
        }
        assertThat(gate.isDemoted()).isTrue();
        assertThat(gate.isOpen()).isFalse();
    }

    @Test
    void aDemotedOperationRunsInlineAgainAfterItsProbationWithOneInfo() {
        InlineGate gate = new InlineGate("svc/op", LIMIT);
        invoke(gate, InlineGate.WARM_UP, FAST, false);
        demote(gate);
        invoke(gate, InlineGate.PROBATION - 1, FAST, false);
        assertThat(gate.isOpen()).isFalse();
        invoke(gate, 1, FAST, false);
        assertThat(gate.isOpen()).isTrue();
        assertThat(gate.isDemoted()).isFalse();
        assertThat(gate.demotions()).isEqualTo(1);
        assertThat(this.records).hasSize(2);
        assertThat(this.records.get(1).getLevel()).isEqualTo(java.util.logging.Level.INFO);
        assertThat(this.records.get(1).getMessage()).contains("svc/op", "4096 times in a row", "on the event loop again", "after demotion 1 of at most 3");
    }

    @Test
    void aSlowInvocationDuringTheProbationStartsItAgain() {
        InlineGate gate = new InlineGate("svc/op", LIMIT);
        invoke(gate, InlineGate.WARM_UP, FAST, false);
        demote(gate);
        invoke(gate, InlineGate.PROBATION - 1, FAST, false);
        invoke(gate, 1, SLOW, false);
        invoke(gate, InlineGate.PROBATION - 1, FAST, false);
        assertThat(gate.isOpen()).isFalse();
        invoke(gate, 1, FAST, false);
        assertThat(gate.isOpen()).isTrue();
    }

    @Test
    void theThirdDemotionIsForGood() {
        InlineGate gate = new InlineGate("svc/op", LIMIT);
        invoke(gate, InlineGate.WARM_UP, FAST, false);
        for (int d = 1; d < InlineGate.MAX_DEMOTIONS; d++) {
            demote(gate);
            invoke(gate, InlineGate.PROBATION, FAST, false);
            assertThat(gate.isOpen()).as("after demotion %d and its probation", d).isTrue();
        }
        demote(gate);
        invoke(gate, 3 * InlineGate.PROBATION, FAST, false);
        assertThat(gate.isOpen()).isFalse();
        assertThat(gate.demotions()).isEqualTo(3);
        assertThat(gate.toString()).contains("demoted for good");
        assertThat(this.records).extracting(LogRecord::getLevel).containsExactly(java.util.logging.Level.WARNING, java.util.logging.Level.INFO,
                java.util.logging.Level.WARNING, java.util.logging.Level.INFO, java.util.logging.Level.WARNING);
        assertThat(this.records.get(4).getMessage()).contains("from now on (demotion 3 of 3: for good)");
    }

    @Test
    void pipeCallbacksComeBackToo() {
        InlineGate gate = new InlineGate("svc/op", LIMIT, true);
        invoke(gate, InlineGate.WARM_UP, FAST, false);
        gate.invoked(SLOW, true); // the first slow run looks at the collector's count: forgiven
        demote(gate);
        invoke(gate, InlineGate.PROBATION, FAST, false);
        assertThat(gate.isOpen()).isTrue();
        assertThat(this.records.get(this.records.size() - 1).getMessage()).contains("onAvailable callbacks of the pipes of svc/op", "they run on the event loop again");
    }
}
