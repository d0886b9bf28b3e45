package dev.asyncrpc.spring.autoconfigure.console;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON Schema of the Java types operations take and return. */
class JsonSchemasTests {

    @Test
    void recordsAreObjectsOfTheirComponents() {
        Map<String, Object> schema = JsonSchemas.of(Shop.Order.class);
        assertThat(schema).containsEntry("type", "object").containsEntry("title", "Order").containsEntry("required", List.of("urgent"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) schema.get("properties");
        assertThat(properties).containsOnlyKeys("id", "items", "counts", "kind", "note", "urgent");
        assertThat(properties.get("id")).isEqualTo(Map.of("type", "string"));
        assertThat(properties.get("items")).containsEntry("type", "array");
        @SuppressWarnings("unchecked")
        Map<String, Object> item = (Map<String, Object>) properties.get("items").get("items");
        assertThat(item).containsEntry("title", "Item").containsEntry("properties",
                Map.of("sku", Map.of("type", "string"), "price", Map.of("type", "number")));
        assertThat(properties.get("counts")).isEqualTo(Map.of("type", "object", "additionalProperties", Map.of("type", "integer", "format", "int32")));
        assertThat(properties.get("kind")).isEqualTo(Map.of("type", "string", "enum", List.of("RETAIL", "WHOLESALE")));
        assertThat(properties.get("note")).isEqualTo(Map.of("type", "string", "contentEncoding", "base64"));
        assertThat(properties.get("urgent")).isEqualTo(Map.of("type", "boolean"));
    }

    @Test
    void primitivesAndTheirBoxesHaveTheirJsonTypes() {
        assertThat(JsonSchemas.of(long.class)).isEqualTo(Map.of("type", "integer", "format", "int64"));
        assertThat(JsonSchemas.of(Integer.class)).isEqualTo(Map.of("type", "integer", "format", "int32"));
        assertThat(JsonSchemas.of(double.class)).isEqualTo(Map.of("type", "number"));
        assertThat(JsonSchemas.of(void.class)).isEqualTo(Map.of("type", "null"));
        assertThat(JsonSchemas.of(String[].class)).isEqualTo(Map.of("type", "array", "items", Map.of("type", "string")));
    }

    /** A type that holds itself. */
    record Node(String name, List<Node> children) {
    }

    @Test
    void aTypeInsideItselfIsNamedNotExpanded() {
        @SuppressWarnings("unchecked")
        Map<String, Object> children = (Map<String, Object>) ((Map<String, Object>) JsonSchemas.of(Node.class).get("properties")).get("children");
        assertThat(children).containsEntry("type", "array");
        assertThat(children.get("items")).isEqualTo(Map.of("title", "Node", "description", "recursive: see Node above"));
    }
}
