package dev.asyncrpc.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

/** Helpers to assert on the failure of a context start. */
final class Failures {

    private Failures() {
    }

    /** The messages of a throwable and all its causes, one per line. */
    static String messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return String.join("\n", messages);
    }
}
