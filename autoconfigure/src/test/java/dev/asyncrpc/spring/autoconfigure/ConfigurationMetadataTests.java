package dev.asyncrpc.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration metadata that ships with the jar: what IDEs show for asyncrpc properties. */
class ConfigurationMetadataTests {

    /** The {@code asyncrpc.*} properties of the generated metadata. */
    static List<JsonNode> asyncrpcProperties() throws IOException {
        List<JsonNode> found = new ArrayList<>();
        JsonMapper mapper = JsonMapper.builder().build();
        for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
            .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode property : mapper.readTree(in).path("properties")) {
                    if (property.path("name").asString().startsWith("asyncrpc.")) {
                        found.add(property);
                    }
                }
            }
        }
        return found;
    }

    @Test
    void metadataListsTheServerAndClientProperties() throws IOException {
        assertThat(asyncrpcProperties()).extracting((p) -> p.path("name").asString())
            .contains("asyncrpc.server.enabled", "asyncrpc.server.port", "asyncrpc.client.enabled", "asyncrpc.client.services",
                    "asyncrpc.client.defaults.connect-timeout");
    }

    @Test
    void everyPropertyHasADescription() throws IOException {
        assertThat(asyncrpcProperties()).isNotEmpty()
            .filteredOn((p) -> p.path("description").asString("").isBlank())
            .extracting((p) -> p.path("name").asString())
            .as("asyncrpc properties without a description (add a javadoc line to the field)")
            .isEmpty();
    }
}
