package dev.asyncrpc.spring.autoconfigure.console;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's JSON: reads the arguments and in-pipe lines a user typed into an operation's
 * declared types, refusing what does not fit with a message that names the parameter, and writes
 * results and elements back as JSON text.
 */
final class ConsoleJson {

    private final JsonMapper json;

    ConsoleJson(JsonMapper json) {
        this.json = json;
    }

    /**
     * The value arguments: a JSON object by parameter name (unknown names refused), or an array in order.
     * @throws IllegalArgumentException saying what is wrong
     */
    JsonNode readArguments(OperationSignature signature, @Nullable String arguments) {
        String text = (arguments == null || arguments.isBlank()) ? "{}" : arguments;
        JsonNode node;
        try {
            node = this.json.readTree(text);
        }
        catch (JacksonException ex) {
            throw new IllegalArgumentException("arguments are not JSON: " + ex.getOriginalMessage());
        }
        if (!node.isObject() && !node.isArray()) {
            throw new IllegalArgumentException("arguments must be a JSON object of the parameters by name, or an array of them in order");
        }
        if (node.isObject()) {
            Set<String> names = new HashSet<>();
            signature.parameters().stream().filter((p) -> p.pipe() == null).forEach((p) -> names.add(p.name()));
            for (Iterator<String> it = node.propertyNames().iterator(); it.hasNext();) {
                String name = it.next();
                if (!names.contains(name)) {
                    throw new IllegalArgumentException("unknown argument '" + name + "' (expected: " + names + ")");
                }
            }
        }
        return node;
    }

    Object readValue(@Nullable JsonNode value, OperationSignature.Param p) {
        boolean primitive = p.type() instanceof Class<?> c && c.isPrimitive();
        if (value == null || value.isNull()) {
            if (primitive) {
                throw new IllegalArgumentException("argument '" + p.name() + "' is missing (expected: " + p.type().getTypeName() + ")");
            }
            return null;
        }
        try {
            return this.json.readerFor(this.json.constructType(p.type())).readValue(value);
        }
        catch (JacksonException ex) {
            throw new IllegalArgumentException("argument '" + p.name() + "' is not a " + p.type().getTypeName() + ": "
                    + ex.getOriginalMessage());
        }
    }

    List<Object> readLines(@Nullable String input, OperationSignature.Param p) {
        List<Object> elements = new ArrayList<>();
        if (input == null) {
            return elements;
        }
        int line = 0;
        for (String text : input.split("\r?\n")) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            try {
                elements.add(this.json.readerFor(this.json.constructType(p.type())).readValue(text));
            }
            catch (JacksonException ex) {
                throw new IllegalArgumentException("line " + line + " of the input of pipe '" + p.name() + "' is not a "
                        + p.type().getTypeName() + ": " + ex.getOriginalMessage());
            }
        }
        return elements;
    }

    String write(@Nullable Object value) {
        try {
            return this.json.writeValueAsString(value);
        }
        catch (JacksonException ex) {
            return String.valueOf(value);
        }
    }

}
