package dev.asyncrpc;

/**
 * Why a call failed. Each value has a stable code used on the wire (see {@code docs/protocol.md}),
 * the nearest Microsoft RPC status, and whether retrying is safe: {@link #isRetrySafe()} is true
 * only where the implementation is known not to have run.
 */
public enum Status {

    /** The call was cancelled by the caller (or the implementation honoured a cancel). */
    CANCELLED(1, "RPC_S_CALL_CANCELLED (1818)", false),

    /** The call's deadline passed before it completed. */
    DEADLINE_EXCEEDED(2, "RPC_S_CALL_CANCELLED (1818) after a timer", false),

    /** The peer could not be reached or the connection was lost. */
    UNAVAILABLE(3, "RPC_S_SERVER_UNAVAILABLE (1722) / RPC_S_CALL_FAILED (1726)", false),

    /** A limit was reached (concurrent calls, sizes); the call was not dispatched. */
    RESOURCE_EXHAUSTED(4, "RPC_S_SERVER_TOO_BUSY (1723)", true),

    /** The arguments could not be decoded or were rejected. */
    INVALID_ARGUMENT(5, "RPC_S_INVALID_ARG (87)", false),

    /** The service or operation does not exist on the server. */
    UNIMPLEMENTED(6, "RPC_S_PROCNUM_OUT_OF_RANGE (1745) / RPC_S_UNKNOWN_IF (1717)", true),

    /** The caller is known but not allowed. */
    PERMISSION_DENIED(7, "RPC_S_ACCESS_DENIED (5)", true),

    /** The caller could not be authenticated. */
    UNAUTHENTICATED(8, "RPC_S_SEC_PKG_ERROR (1825)", true),

    /** The implementation failed or aborted the call. */
    APPLICATION_ERROR(9, "application code from RpcAsyncAbortCall / a manager exception", false),

    /** A peer broke the protocol. */
    PROTOCOL_ERROR(10, "RPC_S_PROTOCOL_ERROR (1728)", false),

    /** An unexpected failure inside asyncrpc. */
    INTERNAL(11, "RPC_S_INTERNAL_ERROR (1766)", false),

    /** A pipe was used out of discipline (for example, the call completed before a pipe was drained). */
    PIPE_ERROR(12, "RPC_X_PIPE_DISCIPLINE_ERROR (1917)", false),

    /** The call never left the caller or was refused before dispatch (safe to retry). */
    NOT_DISPATCHED(13, "RPC_S_CALL_FAILED_DNE (1727)", true),

    /**
     * What the call asked for does not exist (the implementation ran and looked): typically an
     * exception mapper's answer to {@link java.util.NoSuchElementException}.
     */
    NOT_FOUND(14, "ERROR_NOT_FOUND (1168) returned by the manager routine", false);

    private static final Status[] BY_CODE = new Status[16];

    static {
        for (Status s : values()) {
            BY_CODE[s.code] = s;
        }
    }

    private final int code;
    private final String microsoftEquivalent;
    private final boolean retrySafe;

    Status(int code, String microsoftEquivalent, boolean retrySafe) {
        this.code = code;
        this.microsoftEquivalent = microsoftEquivalent;
        this.retrySafe = retrySafe;
    }

    /**
     * The code carried on the wire.
     * @return the code
     */
    public int code() {
        return this.code;
    }

    /**
     * The nearest Microsoft RPC status, for readers who know it.
     * @return a short description
     */
    public String microsoftEquivalent() {
        return this.microsoftEquivalent;
    }

    /**
     * Whether a call that ended with this status is known not to have run, so that a retry is safe.
     * @return whether a retry is safe
     */
    public boolean isRetrySafe() {
        return this.retrySafe;
    }

    /**
     * The status for a wire code.
     * @param code the code
     * @return the status, or {@link #INTERNAL} for a code this version does not know
     */
    public static Status fromCode(int code) {
        Status s = (code >= 0 && code < BY_CODE.length) ? BY_CODE[code] : null;
        return (s != null) ? s : INTERNAL;
    }
}
