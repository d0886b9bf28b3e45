package dev.asyncrpc.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a remote service without an address as a start-up failure that names the property to set. */
final class MissingAddressFailureAnalyzer extends AbstractFailureAnalyzer<MissingAddressException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingAddressException cause) {
        String property = AsyncRpcClients.addressProperty(cause.service());
        String description = "The remote service '" + cause.service() + "'"
                + ((cause.type() != null) ? ", used through " + cause.type() + " (imported with @ImportRemoteServices)," : "")
                + " has no address.";
        String action = "Set " + property + " to the address of a server of '" + cause.service()
                + "': host:port (such as 127.0.0.1:7443), unix:/path or local:name. An AsyncRpcConnectionDetails bean may supply it instead.";
        return new FailureAnalysis(description, action, cause);
    }
}
