package dev.asyncrpc.spring.autoconfigure.security;

/**
 * An operation pattern of the security settings: {@code service/operation} for one operation,
 * {@code service/*} for every operation of a service.
 *
 * @param service the service name
 * @param operation the operation name, or {@code null} for every operation
 */
record OperationPattern(String service, String operation) {

    /**
     * Parse a pattern.
     * @param property the property it comes from, for the error message
     * @param text the pattern
     * @return the pattern
     * @throws IllegalArgumentException if it is not {@code service/operation} or {@code service/*}
     */
    static OperationPattern parse(String property, String text) {
        String trimmed = (text != null) ? text.trim() : "";
        int slash = trimmed.indexOf('/');
        if (slash <= 0 || slash == trimmed.length() - 1 || trimmed.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException(property + ": '" + text + "' (expected: service/operation or service/*)");
        }
        String service = trimmed.substring(0, slash);
        String operation = trimmed.substring(slash + 1);
        if (service.contains("*") || (operation.contains("*") && !operation.equals("*"))) {
            throw new IllegalArgumentException(property + ": '" + text + "' (expected: service/operation or service/*)");
        }
        return new OperationPattern(service, operation.equals("*") ? null : operation);
    }

    boolean matches(String service, String operation) {
        return this.service.equals(service) && (this.operation == null || this.operation.equals(operation));
    }

    @Override
    public String toString() {
        return this.service + "/" + ((this.operation != null) ? this.operation : "*");
    }
}
