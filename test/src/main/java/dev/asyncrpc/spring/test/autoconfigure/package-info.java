/**
 * The auto-configuration behind {@link dev.asyncrpc.spring.test.AutoConfigureInProcessAsyncRpc}; not API.
 */
@NullMarked
package dev.asyncrpc.spring.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
