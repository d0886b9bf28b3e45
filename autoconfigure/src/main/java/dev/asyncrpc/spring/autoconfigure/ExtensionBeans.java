package dev.asyncrpc.spring.autoconfigure;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import dev.asyncrpc.spring.ForServices;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Beans of one extension type (interceptors) in their {@code @Order}, each with the services
 * {@link ForServices} limits it to ({@code null}: every service).
 */
final class ExtensionBeans {

    private ExtensionBeans() {
    }

    /** One bean and the services it applies to. */
    record Scoped<T>(T bean, String @Nullable [] services) {

        boolean appliesTo(String service) {
            if (this.services == null) {
                return true;
            }
            for (String s : this.services) {
                if (s.equals(service)) {
                    return true;
                }
            }
            return false;
        }
    }

    static <T> List<Scoped<T>> ordered(ListableBeanFactory beanFactory, Class<T> type, ObjectProvider<T> provider) {
        Map<Object, String> names = new IdentityHashMap<>();
        beanFactory.getBeansOfType(type).forEach((name, bean) -> names.put(bean, name));
        List<Scoped<T>> result = new ArrayList<>();
        provider.orderedStream().forEach((bean) -> {
            String name = names.get(bean);
            ForServices scope = (name != null) ? beanFactory.findAnnotationOnBean(name, ForServices.class) : null;
            result.add(new Scoped<>(bean, (scope != null) ? scope.value() : null));
        });
        return result;
    }
}
