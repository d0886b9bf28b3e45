package dev.asyncrpc.internal.contract;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parses durations written as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT5S}. */
public final class DurationText {

    private DurationText() {
    }

    /**
     * @param text the text
     * @param what what the value is, for the error message
     * @return the duration, or {@code null} for empty text
     * @throws IllegalArgumentException naming {@code what}, the bad value and the expected forms
     */
    public static Duration parse(String text, String what) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.startsWith("pt") || t.startsWith("p")) {
                d = Duration.parse(text.trim());
            }
            else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            else {
                d = Duration.ofMillis(Long.parseLong(t));
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + ": '" + text + "' (expected: a duration >= 0)");
            }
            return d;
        }
        catch (NumberFormatException | DateTimeParseException ex) {
            throw new IllegalArgumentException(what + ": '" + text + "' (expected: a duration such as 500ms, 5s, 2m or PT5S)", ex);
        }
    }
}
