package dev.asyncrpc.spring.autoconfigure.security;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where a bearer token travels: the call metadata entry {@code authorization} holding
 * {@code Bearer <token>}, as in HTTP and gRPC. Nothing here ever logs or prints a token.
 */
public final class BearerTokens {

    /** The metadata key that carries the token. */
    public static final String METADATA_KEY = "authorization";

    private static final String SCHEME = "Bearer ";

    private BearerTokens() {
    }

    /**
     * The metadata value for {@code token}.
     * @param token the token
     * @return {@code Bearer <token>}
     */
    public static String value(String token) {
        return SCHEME + token;
    }

    /**
     * The token a call carries.
     * @param metadata the call metadata
     * @return the token, or {@code null} when there is no {@code authorization} entry
     * @throws MalformedTokenException if there is one but it is not {@code Bearer <token>}
     */
    public static @Nullable String read(Map<String, String> metadata) {
        String value = metadata.get(METADATA_KEY);
        return (value != null) ? parse(value) : null;
    }

    /**
     * The token of an {@code authorization} metadata value.
     * @param value the value, {@code Bearer <token>} (the scheme in any case)
     * @return the token
     * @throws MalformedTokenException if {@code value} is not {@code Bearer <token>}
     */
    public static String parse(String value) {
        if (value.length() <= SCHEME.length() || !value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new MalformedTokenException("the 'authorization' metadata entry is not 'Bearer <token>'");
        }
        String token = value.substring(SCHEME.length()).trim();
        if (token.isEmpty() || hasWhitespace(token)) {
            throw new MalformedTokenException("the bearer token in the 'authorization' metadata entry is malformed");
        }
        return token;
    }

    private static boolean hasWhitespace(String token) {
        for (int i = 0; i < token.length(); i++) {
            if (Character.isWhitespace(token.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code text} with every occurrence of {@code token} replaced, for messages built from
     * exceptions that might quote it.
     * @param text the text, or {@code null}
     * @param token the token, or {@code null}
     * @return the scrubbed text
     */
    public static String scrub(@Nullable String text, @Nullable String token) {
        if (text == null) {
            return "";
        }
        if (token == null || token.isEmpty()) {
            return text;
        }
        String scrubbed = text.replace(token, "[token]");
        // a decoder may quote a token's parts (header, claims) on their own
        for (String part : token.split("\\.")) {
            if (part.length() >= 8) {
                scrubbed = scrubbed.replace(part, "[token]");
            }
        }
        return scrubbed;
    }

    /** A call's {@code authorization} entry that is not a bearer token. */
    public static final class MalformedTokenException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        MalformedTokenException(String message) {
            super(message, null, false, false);
        }
    }
}
