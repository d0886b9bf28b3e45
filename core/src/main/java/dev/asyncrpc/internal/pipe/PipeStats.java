package dev.asyncrpc.internal.pipe;

import dev.asyncrpc.PipeInfo;

/** An open pipe end as the {@link PipeRegistry} sees it. */
interface PipeStats {

    /** A consistent snapshot of the end's counters. Any thread. */
    PipeInfo info();
}
