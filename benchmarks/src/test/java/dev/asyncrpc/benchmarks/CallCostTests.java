package dev.asyncrpc.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallCostTests {

    @Test
    void mediansOfOddAndEvenCounts() {
        assertThat(CallCost.median(new double[] { 3, 1, 2 })).isEqualTo(2);
        assertThat(CallCost.median(new double[] { 4, 1, 3, 2 })).isEqualTo(2.5);
    }

    @Test
    void ratiosAreTakenRoundByRoundSoThatALoadSwingCancels() {
        CallCost.Cost[] base = { cost(100), cost(400), cost(200) };
        CallCost.Cost[] other = { cost(90), cost(360), cost(100) };
        double[] ratios = CallCost.roundRatios(base, other);
        assertThat(ratios).containsExactly(0.9, 0.9, 0.5);
        assertThat(CallCost.median(ratios)).isEqualTo(0.9);
        // the ratio of medians mixes rounds: 100 / 200
        assertThat(CallCost.median(other, CallCost.Cost::callsPerSecond) / CallCost.median(base, CallCost.Cost::callsPerSecond)).isEqualTo(0.5);
    }

    private static CallCost.Cost cost(double callsPerSecond) {
        return new CallCost.Cost(callsPerSecond, 0, 0);
    }
}
