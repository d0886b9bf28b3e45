package dev.asyncrpc.spring.autoconfigure.security;

import java.security.cert.X509Certificate;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import dev.asyncrpc.ServerCall;
import org.jspecify.annotations.Nullable;

/** The TLS client certificate of a call's connection, if the caller presented one. */
final class CallerCertificates {

    private CallerCertificates() {
    }

    static @Nullable X509Certificate certificate(ServerCall call) {
        List<X509Certificate> chain = call.peerCertificates();
        return chain.isEmpty() ? null : chain.get(0);
    }

    static @Nullable X500Principal subject(ServerCall call) {
        X509Certificate certificate = certificate(call);
        return (certificate != null) ? certificate.getSubjectX500Principal() : null;
    }
}
