package dev.asyncrpc.internal.pipe;

/**
 * How a receiving end appears in the runtime's {@link PipeRegistry}: as itself while its call is
 * in progress, then, if its call ended with elements unread, as an {@link UnreadPipe} until they
 * are pulled (or released); then not at all.
 *
 * <p>A plain object, not thread-safe: the receiver calls it under its monitor.
 */
final class InboundRegistration {

    private PipeRegistry registry;
    /** Whether the end is in the registry itself. */
    private boolean registered;
    /** What stands for the end once its call ended with elements unread, or {@code null}. */
    private UnreadPipe unread;

    /** Enter {@code registry} (if any) as {@code end}. */
    void register(PipeRegistry registry, PipeStats end) {
        this.registry = registry;
        if (registry != null) {
            this.registered = true;
            registry.add(end);
        }
    }

    /** Whether the end is in the registry itself. */
    boolean isRegistered() {
        return this.registered;
    }

    /** Whether unread elements stand for the end in the registry. */
    boolean hasUnread() {
        return this.unread != null;
    }

    /** The end's call is over with elements unread: {@code unread} takes the end's place. */
    void unread(UnreadPipe unread) {
        this.registered = false;
        this.unread = unread;
    }

    PipeRegistry registry() {
        return this.registry;
    }

    /** Leave the registry, as the end or as its unread elements (idempotent). */
    void unregister(PipeStats end) {
        if (this.registered) {
            this.registered = false;
            this.registry.remove(end);
        }
        UnreadPipe u = this.unread;
        if (u != null) {
            this.unread = null;
            u.finished();
        }
    }
}
