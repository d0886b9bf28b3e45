package dev.asyncrpc.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A remote service is used but no address is known for it. {@link MissingAddressFailureAnalyzer}
 * turns it into a start-up report that names the property to set.
 */
final class MissingAddressException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String service;

    private final @Nullable String type;

    MissingAddressException(String service, @Nullable String type) {
        super("Remote service '" + service + "'" + ((type != null) ? " (used through " + type + ")" : "") + " has no address: set "
                + AsyncRpcClients.addressProperty(service) + " (host:port, unix:/path or local:name)");
        this.service = service;
        this.type = type;
    }

    String service() {
        return this.service;
    }

    @Nullable String type() {
        return this.type;
    }
}
