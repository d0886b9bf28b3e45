/**
 * The asyncrpc web console: an Actuator endpoint that serves a page to browse the services the
 * application serves and imports, try operations through the real client path, and watch pending
 * calls, open pipes and per-operation statistics live. Start with
 * {@link dev.asyncrpc.spring.autoconfigure.console.AsyncRpcConsoleAutoConfiguration}.
 */
@NullMarked
package dev.asyncrpc.spring.autoconfigure.console;

import org.jspecify.annotations.NullMarked;
