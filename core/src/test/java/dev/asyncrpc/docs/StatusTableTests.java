package dev.asyncrpc.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.asyncrpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The status table of docs/protocol.md lists every {@link Status} with its code, Microsoft counterpart and retry safety. */
class StatusTableTests {

    @Test
    void theProtocolStatusTableMatchesTheEnum() throws Exception {
        String protocol = Files.readString(Path.of("../docs/protocol.md"));
        Matcher row = Pattern.compile("(?m)^\\| (\\d+) \\| ([A-Z_]+) \\| (.+?) \\| (yes|no) \\|$").matcher(protocol);
        List<String> documented = new ArrayList<>();
        while (row.find()) {
            documented.add(row.group(1) + " " + row.group(2) + " " + row.group(3) + " " + row.group(4));
        }
        List<String> actual = new ArrayList<>();
        for (Status s : Status.values()) {
            actual.add(s.code() + " " + s.name() + " " + s.microsoftEquivalent() + " "
                    + (s.isRetrySafe() ? "yes" : "no"));
        }
        assertThat(documented).containsExactlyElementsOf(actual);
    }
}
