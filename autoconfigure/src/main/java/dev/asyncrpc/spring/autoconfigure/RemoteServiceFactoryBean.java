package dev.asyncrpc.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanNameAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartFactoryBean;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;

/**
 * Makes the client bean of one {@code @RemoteService} interface through {@link AsyncRpcClients}.
 * Eager, so that a service without an address fails start-up rather than the first use.
 *
 * @param <T> the interface type
 */
final class RemoteServiceFactoryBean<T> implements SmartFactoryBean<T>, BeanFactoryAware, BeanNameAware {

    private final Class<T> type;

    private @Nullable BeanFactory beanFactory;

    private @Nullable String beanName;

    RemoteServiceFactoryBean(Class<T> type) {
        this.type = type;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void setBeanName(String name) {
        this.beanName = name;
    }

    @Override
    public T getObject() {
        BeanFactory factory = this.beanFactory;
        String[] names = (factory instanceof ListableBeanFactory listable)
                ? listable.getBeanNamesForType(AsyncRpcClients.class) : new String[0];
        if (factory == null || names.length != 1) {
            throw new IllegalStateException("Cannot make a client of remote service '" + AsyncRpcClients.serviceName(this.type) + "' for "
                    + this.type.getName() + " (imported with @ImportRemoteServices): "
                    + ((names.length == 0) ? "asyncrpc clients are off (asyncrpc.client.enabled=false, or AsyncRpcClientAutoConfiguration is excluded)"
                            : "more than one AsyncRpcClients bean: " + String.join(", ", names)));
        }
        AsyncRpcClients clients = factory.getBean(names[0], AsyncRpcClients.class);
        if (factory instanceof ConfigurableBeanFactory configurable && this.beanName != null) {
            // the clients are closed after the beans that use them
            configurable.registerDependentBean(names[0], this.beanName);
        }
        return clients.proxy(this.type);
    }

    @Override
    public Class<T> getObjectType() {
        return this.type;
    }

    @Override
    public boolean isEagerInit() {
        return true;
    }
}
