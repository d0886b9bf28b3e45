package dev.asyncrpc.spring.autoconfigure;

import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code docs/configuration.md} against the generated metadata and the per-service settings. */
class ConfigurationDocsTests {

    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    private static final Pattern ROW = Pattern.compile("^\\| `(asyncrpc\\.[^`]+)` \\| ([^|]+) \\| ([^|]+) \\|$");

    private static final String SERVICE_PREFIX = "asyncrpc.client.services.<name>.";

    /** Documented property name to [default cell, meaning cell]. */
    private static Map<String, String[]> documented() throws IOException {
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher m = ROW.matcher(line.trim());
            if (m.matches()) {
                rows.put(m.group(1), new String[] { m.group(2).trim(), m.group(3).trim() });
            }
        }
        return rows;
    }

    @Test
    void everyPropertyInTheMetadataIsDocumentedWithItsDefault() throws IOException {
        Map<String, String[]> docs = documented();
        for (JsonNode property : ConfigurationMetadataTests.asyncrpcProperties()) {
            String name = property.path("name").asString();
            assertThat(docs).as("docs/configuration.md lists %s", name).containsKey(name);
            JsonNode defaultValue = property.get("defaultValue");
            String expected = (defaultValue == null || defaultValue.isNull()) ? "—" : "`" + defaultValue.asString() + "`";
            assertThat(docs.get(name)[0]).as("default of %s in docs/configuration.md", name).isEqualTo(expected);
        }
    }

    @Test
    void everyPerServiceSettingIsDocumented() throws Exception {
        Set<String> settings = new TreeSet<>();
        collectSettings(AsyncRpcClientProperties.Service.class, SERVICE_PREFIX, settings);
        assertThat(settings).contains(SERVICE_PREFIX + "address", SERVICE_PREFIX + "ssl.bundle");
        assertThat(documented().keySet()).filteredOn((name) -> name.startsWith(SERVICE_PREFIX)).containsExactlyInAnyOrderElementsOf(settings);
    }

    /** The settings of a properties bean, descending into nested groups (such as {@code ssl}). */
    private static void collectSettings(Class<?> type, String prefix, Set<String> settings) throws Exception {
        for (PropertyDescriptor d : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
            String name = prefix + d.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
            Class<?> valueType = d.getPropertyType();
            if (valueType.getEnclosingClass() == AsyncRpcClientProperties.class && !valueType.isEnum()) {
                collectSettings(valueType, name + ".", settings);
            }
            else {
                settings.add(name);
            }
        }
    }

    @Test
    void everyDocumentedPropertyExists() throws IOException {
        Set<String> known = new TreeSet<>();
        ConfigurationMetadataTests.asyncrpcProperties().forEach((p) -> known.add(p.path("name").asString()));
        assertThat(documented().keySet()).filteredOn((name) -> !name.startsWith(SERVICE_PREFIX)).isSubsetOf(known);
    }

    @Test
    void everyDocumentedPropertyHasAMeaning() throws IOException {
        assertThat(documented()).isNotEmpty().allSatisfy((name, cells) -> assertThat(cells[1]).as(name).isNotBlank());
    }
}
