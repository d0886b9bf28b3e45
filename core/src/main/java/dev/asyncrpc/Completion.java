package dev.asyncrpc;

/**
 * One finished call reported to a {@link CompletionQueue}.
 *
 * @param key the key given to {@link AsyncCall#notify(CompletionQueue, Object, Object)}
 * @param attachment the attachment given with it
 * @param call the finished call
 */
public record Completion(Object key, Object attachment, AsyncCall<?> call) {
}
