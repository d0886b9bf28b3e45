package dev.asyncrpc.spring.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.asyncrpc.RemoteService;
import dev.asyncrpc.spring.ImportRemoteServices;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Registers one client bean per interface named or found by {@link ImportRemoteServices}. The bean
 * is named after the interface's fully qualified name; an interface imported twice is registered
 * once. Not API: {@code @ImportRemoteServices} imports it.
 */
public final class RemoteServicesRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, ResourceLoaderAware {

    private @Nullable Environment environment;

    private @Nullable ResourceLoader resourceLoader;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        Map<String, @Nullable Object> attributes = metadata.getAnnotationAttributes(ImportRemoteServices.class.getName(), true);
        if (attributes == null) {
            return;
        }
        Set<String> types = new LinkedHashSet<>();
        for (String type : (String[]) attributes.get("value")) {
            types.add(type);
        }
        Set<String> packages = new LinkedHashSet<>();
        for (String pkg : (String[]) attributes.get("basePackages")) {
            if (!pkg.isBlank()) {
                packages.add(pkg.trim());
            }
        }
        for (String marker : (String[]) attributes.get("basePackageClasses")) {
            packages.add(ClassUtils.getPackageName(marker));
        }
        if (types.isEmpty() && packages.isEmpty()) {
            packages.add(ClassUtils.getPackageName(metadata.getClassName()));
        }
        for (String pkg : packages) {
            for (BeanDefinition candidate : scanner().findCandidateComponents(pkg)) {
                types.add(candidate.getBeanClassName());
            }
        }
        ClassLoader classLoader = (this.resourceLoader != null) ? this.resourceLoader.getClassLoader() : null;
        for (String typeName : types) {
            register(registry, ClassUtils.resolveClassName(typeName, classLoader));
        }
    }

    private static void register(BeanDefinitionRegistry registry, Class<?> type) {
        AsyncRpcClients.serviceName(type); // fails for a type that is no @RemoteService interface
        String name = type.getName();
        if (registry.containsBeanDefinition(name)) {
            return;
        }
        AbstractBeanDefinition definition = BeanDefinitionBuilder.rootBeanDefinition(RemoteServiceFactoryBean.class)
            .addConstructorArgValue(type)
            .getBeanDefinition();
        definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, type);
        registry.registerBeanDefinition(name, definition);
    }

    private ClassPathScanningCandidateComponentProvider scanner() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition beanDefinition) {
                return beanDefinition.getMetadata().isInterface() && beanDefinition.getMetadata().isIndependent();
            }
        };
        if (this.environment != null) {
            scanner.setEnvironment(this.environment);
        }
        if (this.resourceLoader != null) {
            scanner.setResourceLoader(this.resourceLoader);
        }
        scanner.addIncludeFilter(new AnnotationTypeFilter(RemoteService.class, false, true));
        return scanner;
    }
}
