package dev.asyncrpc.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IntMapTests {

    @Test
    void behavesLikeAHashMapUnderRandomOperations() {
        Random random = new Random(42);
        IntMap<String> map = new IntMap<>();
        Map<Integer, String> reference = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            int key = 1 + random.nextInt(5_000);
            switch (random.nextInt(3)) {
                case 0 -> assertThat(map.put(key, "v" + i)).isEqualTo(reference.put(key, "v" + i));
                case 1 -> assertThat(map.remove(key)).isEqualTo(reference.remove(key));
                default -> assertThat(map.get(key)).isEqualTo(reference.get(key));
            }
            assertThat(map.size()).isEqualTo(reference.size());
        }
        assertThat(map.values()).containsExactlyInAnyOrderElementsOf(reference.values());
    }

    @Test
    void sequentialIdsStayFastToRemove() {
        IntMap<Integer> map = new IntMap<>();
        int n = 1_000_000;
        for (int i = 1; i <= n; i++) {
            map.put(i, i);
        }
        long start = System.nanoTime();
        for (int i = 1; i <= n; i++) {
            assertThat(map.remove(i)).isEqualTo(i);
        }
        assertThat(map.isEmpty()).isTrue();
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms to remove 1M sequential ids").isLessThan(5_000);
    }
}
