package dev.asyncrpc.internal.server;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLPeerUnverifiedException;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

/**
 * The TLS identity of a connection's client: the certificate chain it presented (mutual TLS), read
 * once from the channel's {@link SslHandler} after the handshake.
 */
final class TlsPeer {

    private TlsPeer() {
    }

    /**
     * The client's certificate chain, its own certificate first.
     * @param channel the connection
     * @return the chain; empty over plaintext, before the handshake, or when the client sent none
     */
    static List<X509Certificate> certificates(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null || !ssl.handshakeFuture().isSuccess()) {
            return List.of();
        }
        Certificate[] chain;
        try {
            chain = ssl.engine().getSession().getPeerCertificates();
        }
        catch (SSLPeerUnverifiedException ex) {
            return List.of();
        }
        List<X509Certificate> certificates = new ArrayList<>(chain.length);
        for (Certificate certificate : chain) {
            if (certificate instanceof X509Certificate x509) {
                certificates.add(x509);
            }
        }
        return List.copyOf(certificates);
    }
}
