/**
 * The model of a {@code @RemoteService} interface as one side sees it: {@code ServiceModel} checks
 * the interface (names, async return types) and describes each operation ({@code OperationModel}).
 */
package dev.asyncrpc.internal.contract;
