package dev.asyncrpc.spring.autoconfigure;

import java.util.List;
import java.util.Map;

import dev.asyncrpc.CallObserver;
import dev.asyncrpc.CancelMode;
import dev.asyncrpc.Status;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Hands every event to several {@link CallObserver}s in order, each with its own context. A
 * failing observer is logged and skipped, so that it does not keep the others from their events.
 */
final class CompositeCallObserver implements CallObserver {

    private static final Log logger = LogFactory.getLog(CompositeCallObserver.class);

    private final CallObserver[] observers;

    private CompositeCallObserver(List<CallObserver> observers) {
        this.observers = observers.toArray(new CallObserver[0]);
    }

    /**
     * One observer for all of {@code observers}.
     * @param observers the observers, in order
     * @return {@link CallObserver#NONE} for none, the observer itself for one, else a composite
     */
    static CallObserver of(List<CallObserver> observers) {
        return switch (observers.size()) {
            case 0 -> CallObserver.NONE;
            case 1 -> observers.get(0);
            default -> new CompositeCallObserver(observers);
        };
    }

    @Override
    public Object onStart(CallInfo call, Map<String, String> metadata) {
        @Nullable Object[] contexts = new Object[this.observers.length];
        for (int i = 0; i < this.observers.length; i++) {
            try {
                contexts[i] = this.observers[i].onStart(call, metadata);
            }
            catch (RuntimeException ex) {
                failed("onStart", i, ex);
            }
        }
        return contexts;
    }

    @Override
    public void onEnd(CallInfo call, @Nullable Object context, @Nullable Status status) {
        @Nullable Object[] contexts = (context instanceof Object[] array && array.length == this.observers.length) ? array : null;
        for (int i = 0; i < this.observers.length; i++) {
            try {
                this.observers[i].onEnd(call, (contexts != null) ? contexts[i] : null, status);
            }
            catch (RuntimeException ex) {
                failed("onEnd", i, ex);
            }
        }
    }

    @Override
    public void onCancel(CallInfo call, CancelMode mode) {
        for (int i = 0; i < this.observers.length; i++) {
            try {
                this.observers[i].onCancel(call, mode);
            }
            catch (RuntimeException ex) {
                failed("onCancel", i, ex);
            }
        }
    }

    @Override
    public void onConnection(CallInfo.Side side, String peer, boolean open) {
        for (int i = 0; i < this.observers.length; i++) {
            try {
                this.observers[i].onConnection(side, peer, open);
            }
            catch (RuntimeException ex) {
                failed("onConnection", i, ex);
            }
        }
    }

    @Override
    public void onGoAway(CallInfo.Side side, String peer) {
        for (int i = 0; i < this.observers.length; i++) {
            try {
                this.observers[i].onGoAway(side, peer);
            }
            catch (RuntimeException ex) {
                failed("onGoAway", i, ex);
            }
        }
    }

    private void failed(String event, int index, RuntimeException ex) {
        logger.warn("CallObserver " + this.observers[index].getClass().getName() + "." + event + " failed", ex);
    }
}
