package dev.asyncrpc.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryBudgetTests {

    @Test
    void reservesWhatFitsAndRefusesTheRest() {
        MemoryBudget budget = new MemoryBudget(1000);
        assertThat(budget.tryReserve(600)).isTrue();
        assertThat(budget.tryReserve(500)).isFalse();
        assertThat(budget.tryReserve(400)).isTrue();
        assertThat(budget.used()).isEqualTo(1000);
        budget.release(600);
        assertThat(budget.tryReserve(300, 250)).isTrue(); // 700 used, 300 free >= 250
        assertThat(budget.tryReserve(100, 250)).isFalse(); // would leave 200 free
        assertThat(budget.refusals()).isEqualTo(2);
    }

    @Test
    void theDefaultIsAQuarterOfTheSmallerOfHeapAndDirectMemoryAndAtLeast8MiB() {
        long heap = Runtime.getRuntime().maxMemory();
        long direct = io.netty.util.internal.PlatformDependent.maxDirectMemory();
        assertThat(MemoryBudget.defaultLimit()).isEqualTo(Math.max(8L << 20, Math.min(heap, direct) / 4));
        assertThatThrownBy(() -> new MemoryBudget(0)).hasMessage("memoryBudget: 0 (expected: > 0)");
    }
}
