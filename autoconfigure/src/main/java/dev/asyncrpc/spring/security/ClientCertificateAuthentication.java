package dev.asyncrpc.spring.security;

import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A caller known by the TLS client certificate it presented (mutual TLS) and no bearer token. Its
 * name is the certificate's subject (RFC 2253, such as {@code CN=orders,O=Example}); it has no
 * authorities: admit subjects with {@code asyncrpc.server.security.rules[*].subjects} or an
 * {@code AuthorizationManager<ServerCall>} bean.
 */
public final class ClientCertificateAuthentication extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private final X500Principal subject;

    private final transient X509Certificate certificate;

    /**
     * An authenticated caller.
     * @param certificate the client's certificate, already verified by the TLS handshake
     */
    public ClientCertificateAuthentication(X509Certificate certificate) {
        this(certificate, List.of());
    }

    /**
     * An authenticated caller with authorities.
     * @param certificate the client's certificate, already verified by the TLS handshake
     * @param authorities the caller's authorities
     */
    public ClientCertificateAuthentication(X509Certificate certificate, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.certificate = certificate;
        this.subject = certificate.getSubjectX500Principal();
        setAuthenticated(true);
    }

    /**
     * The certificate's subject.
     * @return the subject
     */
    @Override
    public X500Principal getPrincipal() {
        return this.subject;
    }

    /**
     * The certificate.
     * @return the certificate
     */
    @Override
    public X509Certificate getCredentials() {
        return this.certificate;
    }

    @Override
    public String getName() {
        return this.subject.getName();
    }
}
