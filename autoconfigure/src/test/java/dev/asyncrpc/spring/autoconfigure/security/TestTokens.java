package dev.asyncrpc.spring.autoconfigure.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * RSA-signed JWTs made in the test: a trusted key pair whose public key the server is configured
 * with (a PEM file, as {@code spring.security.oauth2.resourceserver.jwt.public-key-location} reads
 * it), and a second "forger" key pair the server does not know.
 */
final class TestTokens {

    private final KeyPair trusted;

    private final KeyPair forger;

    private TestTokens(KeyPair trusted, KeyPair forger) {
        this.trusted = trusted;
        this.forger = forger;
    }

    static TestTokens create() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return new TestTokens(generator.generateKeyPair(), generator.generateKeyPair());
    }

    /**
     * Write the trusted public key as a PEM file.
     * @param dir where
     * @return the file
     */
    Path writePublicKey(Path dir) throws Exception {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(this.trusted.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Path file = dir.resolve("jwt-public-key.pem");
        Files.writeString(file, pem);
        return file;
    }

    /** A valid token for {@code subject} with {@code scopes}, expiring in {@code lifetime}. */
    String token(String subject, Duration lifetime, String... scopes) {
        Instant now = Instant.now();
        return sign(this.trusted, subject, now.minusSeconds(1), now.plus(lifetime), scopes);
    }

    /** A token signed with a key the server does not trust. */
    String forged(String subject, String... scopes) {
        Instant now = Instant.now();
        return sign(this.forger, subject, now.minusSeconds(1), now.plus(Duration.ofMinutes(10)), scopes);
    }

    /** A correctly signed token that expired ten minutes ago (beyond any clock skew the decoder allows). */
    String expired(String subject, String... scopes) {
        Instant now = Instant.now();
        return sign(this.trusted, subject, now.minus(Duration.ofMinutes(20)), now.minus(Duration.ofMinutes(10)), scopes);
    }

    private static String sign(KeyPair keys, String subject, Instant issued, Instant expires, String... scopes) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject)
            .issueTime(Date.from(issued))
            .expirationTime(Date.from(expires))
            .jwtID(UUID.randomUUID().toString())
            .claim("scope", String.join(" ", scopes))
            .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        try {
            jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
        return jwt.serialize();
    }
}
