package dev.asyncrpc.internal.pipe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Held pushes: merging, order with markers and the end, and dropping. */
class DeferredPushesTests {

    @Test
    void consecutivePushesMergeUntilTheLimitAndKeepEveryStage() {
        DeferredPushes d = new DeferredPushes();
        CompletableFuture<Void> a = new CompletableFuture<>();
        CompletableFuture<Void> b = new CompletableFuture<>();
        d.push(List.of(1, 2), a);
        d.push(List.of(3), null);
        d.push(List.of(4), b);
        assertThat(d.size()).isEqualTo(1);
        d.push(Collections.nCopies(DeferredPushes.MERGE_LIMIT - 4, 0), null);
        assertThat(d.size()).as("exactly at the limit: still merged").isEqualTo(1);
        d.push(List.of(5), null);
        assertThat(d.size()).as("beyond the limit: a new entry").isEqualTo(2);
        DeferredPushes.Deferred first = d.poll();
        assertThat(first.elements).hasSize(DeferredPushes.MERGE_LIMIT).startsWith(1, 2, 3, 4);
        assertThat(first.stages).containsExactly(a, b);
        assertThat(d.poll().elements).containsExactly(5);
        assertThat(d.poll()).isNull();
        assertThat(d.isEmpty()).isTrue();
    }

    @Test
    void markersAndTheEndKeepTheirPlaceAndAreNeverMergedInto() {
        DeferredPushes d = new DeferredPushes();
        CompletableFuture<Void> sent = new CompletableFuture<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        List<Integer> source = new ArrayList<>(List.of(1));
        d.push(source, null);
        source.add(99); // the entry copied the list
        d.marker(sent);
        d.push(List.of(2), null);
        RemoteCallException stop = new RemoteCallException(Status.APPLICATION_ERROR, "stop");
        d.end(stop, closed);
        d.push(List.of(3), null);
        assertThat(d.size()).isEqualTo(5);
        assertThat(d.poll().elements).containsExactly(1);
        DeferredPushes.Deferred m = d.poll();
        assertThat(m.marker).isTrue();
        assertThat(m.stages).containsExactly(sent);
        assertThat(d.poll().elements).containsExactly(2);
        DeferredPushes.Deferred e = d.poll();
        assertThat(e.end).isTrue();
        assertThat(e.abort).isSameAs(stop);
        assertThat(e.stages).containsExactly(closed);
    }

    @Test
    void dropAllHandsBackEveryStage() {
        DeferredPushes d = new DeferredPushes();
        CompletableFuture<Void> a = new CompletableFuture<>();
        CompletableFuture<Void> m = new CompletableFuture<>();
        CompletableFuture<Void> e = new CompletableFuture<>();
        d.push(List.of(1), a);
        d.marker(m);
        d.end(null, e);
        d.end(null, null);
        List<CompletableFuture<Void>> dropped = new ArrayList<>();
        d.dropAll(dropped);
        assertThat(dropped).containsExactly(a, m, e);
        assertThat(d.isEmpty()).isTrue();
    }
}
