package dev.asyncrpc.internal.pipe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The blocking iterator over a scripted source: batches, waits, the end and a failure after the data. */
class PipeIteratorTests {

    /** A source whose elements arrive when the iterator waits, one script step per wait. */
    private static class Scripted implements PipeIterator.Source<Integer> {
        final ArrayDeque<Integer> held = new ArrayDeque<>();
        final ArrayDeque<Runnable> onWait = new ArrayDeque<>();
        boolean ended;
        RemoteCallException failure;
        int waits;
        final List<Integer> pullSizes = new ArrayList<>();

        @Override
        public List<Integer> pull(int max) {
            this.pullSizes.add(max);
            List<Integer> out = new ArrayList<>();
            while (out.size() < max && !this.held.isEmpty()) {
                out.add(this.held.poll());
            }
            if (out.isEmpty() && this.ended && this.failure != null) {
                throw this.failure;
            }
            return out;
        }

        @Override
        public boolean isClosed() {
            return this.ended && this.held.isEmpty();
        }

        @Override
        public void awaitData() {
            this.waits++;
            Runnable step = this.onWait.poll();
            if (step == null) {
                throw new AssertionError("the iterator waited with nothing scripted");
            }
            step.run();
        }
    }

    @Test
    void yieldsEverythingInOrderWaitingWhenNothingIsThere() {
        Scripted s = new Scripted();
        s.held.addAll(List.of(1, 2));
        s.onWait.add(() -> s.held.add(3));
        s.onWait.add(() -> {
            s.held.add(4);
            s.ended = true;
        });
        PipeIterator<Integer> it = new PipeIterator<>(s);
        List<Integer> got = new ArrayList<>();
        it.forEachRemaining(got::add);
        assertThat(got).containsExactly(1, 2, 3, 4);
        assertThat(s.waits).isEqualTo(2);
        assertThat(s.pullSizes).allMatch(n -> n == PipeIterator.BATCH);
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void aFailureComesAfterTheElementsBeforeIt() {
        Scripted s = new Scripted();
        s.held.addAll(List.of(1, 2));
        s.ended = true;
        s.failure = new RemoteCallException(Status.APPLICATION_ERROR, "aborted");
        PipeIterator<Integer> it = new PipeIterator<>(s);
        assertThat(it.next()).isEqualTo(1);
        assertThat(it.next()).isEqualTo(2);
        assertThatThrownBy(it::hasNext).isSameAs(s.failure);
        assertThat(s.waits).isZero();
    }

    @Test
    void anEndBetweenThePullAndTheCheckStillYieldsWhatCameBeforeIt() {
        Scripted s = new Scripted() {
            private boolean first = true;

            @Override
            public List<Integer> pull(int max) {
                List<Integer> out = super.pull(max);
                if (this.first) { // the last element and the end arrive just after the first pull
                    this.first = false;
                    this.held.add(7);
                    this.ended = true;
                }
                return out;
            }

            @Override
            public boolean isClosed() {
                return this.ended; // the end is seen although an element is still held
            }
        };
        PipeIterator<Integer> it = new PipeIterator<>(s);
        assertThat(it.hasNext()).isTrue();
        assertThat(it.next()).isEqualTo(7);
        assertThat(it.hasNext()).isFalse();
        assertThat(s.waits).isZero();
    }
}
