/**
 * Client-side load balancing, independent of the connection type: {@code AddressList} (the
 * configured address, a comma list or names to re-resolve), {@code Balancer} (the members,
 * power-of-two-choices on calls in progress, reconnects with {@code Backoff}) and {@code Member}
 * (one endpoint). Start with {@code Balancer}; the caller's side that drives it, with retries of
 * calls that were never dispatched, is {@code dev.asyncrpc.internal.client.BalancedSender}.
 */
package dev.asyncrpc.internal.client.lb;
