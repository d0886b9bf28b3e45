package dev.asyncrpc.spring.autoconfigure;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * Finds the SSL bundles that asyncrpc properties name, and makes their JDK {@link SSLContext}s. A
 * name that matches no bundle fails start-up with Spring Boot's report of an invalid property
 * value, naming the property, the bundle and the bundles there are.
 */
final class SslBundleLookup {

    private final @Nullable SslBundles bundles;

    /**
     * @param bundles the application's SSL bundles, or {@code null} when there are none
     *        ({@code SslAutoConfiguration} excluded)
     */
    SslBundleLookup(@Nullable SslBundles bundles) {
        this.bundles = bundles;
    }

    /**
     * The bundle a property names.
     * @param property the property, for the message
     * @param name the bundle name
     * @return the bundle
     * @throws InvalidConfigurationPropertyValueException if there is no such bundle, or it sets
     *         options asyncrpc cannot apply
     */
    SslBundle bundle(String property, String name) {
        SslBundles all = this.bundles;
        if (all == null) {
            throw new InvalidConfigurationPropertyValueException(property, name,
                    "There are no SSL bundles in this application (SslAutoConfiguration is excluded).");
        }
        SslBundle bundle;
        try {
            bundle = all.getBundle(name);
        }
        catch (NoSuchSslBundleException ex) {
            throw new InvalidConfigurationPropertyValueException(property, name, "There is no SSL bundle named '" + name
                    + "' (define it under spring.ssl.bundle.jks." + name + " or spring.ssl.bundle.pem." + name + "); the bundles are "
                    + all.getBundleNames() + ".", ex);
        }
        if (bundle.getOptions().isSpecified()) {
            // the core takes an SSLContext only: ciphers and protocols would be silently ignored
            throw new InvalidConfigurationPropertyValueException(property, name, "SSL bundle '" + name
                    + "' sets options (ciphers or enabled-protocols), which asyncrpc cannot apply yet; remove them from the bundle.");
        }
        return bundle;
    }

    /**
     * The TLS context of the bundle a property names.
     * @param property the property, for the message
     * @param name the bundle name
     * @return a new context with the bundle's key and trust managers
     * @throws InvalidConfigurationPropertyValueException as {@link #bundle}
     * @throws IllegalStateException if the bundle's stores cannot be loaded
     */
    SSLContext sslContext(String property, String name) {
        SslBundle bundle = bundle(property, name);
        try {
            return bundle.createSslContext();
        }
        catch (RuntimeException ex) {
            throw new IllegalStateException("Cannot make a TLS context from SSL bundle '" + name + "' (" + property + "): " + ex.getMessage(), ex);
        }
    }
}
