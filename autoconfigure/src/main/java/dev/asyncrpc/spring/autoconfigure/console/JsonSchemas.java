package dev.asyncrpc.spring.autoconfigure.console;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * JSON Schema (draft 2020-12 vocabulary) for the Java types of operation parameters and results,
 * as the console shows them and as its JSON arguments are read: records and beans are objects
 * with their components as properties, collections and arrays are arrays, {@code Map<String, V>}
 * is an object of {@code V}, enums list their constants, and {@code byte[]}/{@code ByteBuffer}
 * are base64 strings. A type met again inside itself is named, not expanded.
 */
final class JsonSchemas {

    private JsonSchemas() {
    }

    /**
     * The schema of a type.
     * @param type a parameter, element or result type
     * @return the schema as nested maps and lists, ready to be written as JSON
     */
    static Map<String, Object> of(Type type) {
        return schema(type, new ArrayList<>());
    }

    private static Map<String, Object> schema(Type type, List<Class<?>> seen) {
        if (type instanceof WildcardType wildcard) {
            return schema(wildcard.getUpperBounds()[0], seen);
        }
        if (type instanceof TypeVariable<?> variable) {
            return schema(variable.getBounds()[0], seen);
        }
        if (type instanceof GenericArrayType array) {
            return array(schema(array.getGenericComponentType(), seen));
        }
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                Map<String, Object> schema = array(schema(args[0], seen));
                if (Set.class.isAssignableFrom(raw)) {
                    schema.put("uniqueItems", true);
                }
                return schema;
            }
            if (Map.class.isAssignableFrom(raw)) {
                Map<String, Object> schema = typed("object");
                schema.put("additionalProperties", schema(args[1], seen));
                return schema;
            }
            if (raw == Optional.class) {
                return nullable(schema(args[0], seen));
            }
            return schema(raw, seen);
        }
        return schema((Class<?>) type, seen);
    }

    private static Map<String, Object> schema(Class<?> type, List<Class<?>> seen) {
        if (type == byte[].class || type == ByteBuffer.class) {
            Map<String, Object> schema = typed("string");
            schema.put("contentEncoding", "base64");
            return schema;
        }
        if (type.isArray()) {
            return array(schema(type.getComponentType(), seen));
        }
        if (type == String.class || type == char.class || type == Character.class || type == UUID.class
                || Temporal.class.isAssignableFrom(type) || type == java.time.Duration.class) {
            return typed("string");
        }
        if (type == boolean.class || type == Boolean.class) {
            return typed("boolean");
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class || type == short.class
                || type == Short.class || type == byte.class || type == Byte.class || type == BigInteger.class) {
            Map<String, Object> schema = typed("integer");
            if (type == int.class || type == Integer.class) {
                schema.put("format", "int32");
            }
            else if (type == long.class || type == Long.class) {
                schema.put("format", "int64");
            }
            return schema;
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == BigDecimal.class || Number.class.isAssignableFrom(type)) {
            return typed("number");
        }
        if (type.isEnum()) {
            Map<String, Object> schema = typed("string");
            List<String> names = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                names.add(((Enum<?>) constant).name());
            }
            schema.put("enum", names);
            return schema;
        }
        if (type == Object.class || Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)) {
            return new LinkedHashMap<>(); // anything
        }
        if (type == void.class || type == Void.class) {
            return typed("null");
        }
        if (seen.contains(type)) {
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("title", type.getSimpleName());
            ref.put("description", "recursive: see " + type.getSimpleName() + " above");
            return ref;
        }
        seen.add(type);
        try {
            return object(type, seen);
        }
        finally {
            seen.remove(seen.size() - 1);
        }
    }

    private static Map<String, Object> object(Class<?> type, List<Class<?>> seen) {
        Map<String, Object> schema = typed("object");
        schema.put("title", type.getSimpleName());
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                properties.put(component.getName(), schema(component.getGenericType(), seen));
                if (component.getType().isPrimitive()) {
                    required.add(component.getName());
                }
            }
        }
        else {
            for (java.lang.reflect.Method method : type.getMethods()) {
                String property = getterProperty(method);
                if (property != null) {
                    properties.put(property, schema(method.getGenericReturnType(), seen));
                }
            }
        }
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        return schema;
    }

    private static String getterProperty(java.lang.reflect.Method method) {
        if (method.getParameterCount() != 0 || method.getDeclaringClass() == Object.class
                || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
            return null;
        }
        String name = method.getName();
        if (name.startsWith("get") && name.length() > 3 && method.getReturnType() != void.class) {
            return Character.toLowerCase(name.charAt(3)) + name.substring(4);
        }
        if (name.startsWith("is") && name.length() > 2 && method.getReturnType() == boolean.class) {
            return Character.toLowerCase(name.charAt(2)) + name.substring(3);
        }
        return null;
    }

    private static Map<String, Object> array(Map<String, Object> items) {
        Map<String, Object> schema = typed("array");
        schema.put("items", items);
        return schema;
    }

    private static Map<String, Object> nullable(Map<String, Object> schema) {
        Map<String, Object> either = new LinkedHashMap<>();
        either.put("anyOf", List.of(schema, typed("null")));
        return either;
    }

    private static Map<String, Object> typed(String type) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", type);
        return schema;
    }
}
