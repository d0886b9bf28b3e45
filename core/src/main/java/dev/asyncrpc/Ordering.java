package dev.asyncrpc;

/**
 * Dispatch ordering of calls made through one client binding (Microsoft RPC's causal ordering,
 * switched off by {@code RPC_C_OPT_BINDING_NONCAUSAL}).
 */
public enum Ordering {

    /** Use the binding's setting (causal unless configured otherwise). */
    DEFAULT,

    /** Calls from one thread through one binding are dispatched in issue order; execution may overlap. */
    CAUSAL,

    /** Calls are dispatched independently, in arrival order. */
    NONCAUSAL
}
