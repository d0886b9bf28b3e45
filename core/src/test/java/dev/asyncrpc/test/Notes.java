package dev.asyncrpc.test;

import dev.asyncrpc.InPipe;
import dev.asyncrpc.RemoteService;

/** A small contract for interceptor and exception-mapping tests: a lookup and a counting upload. */
@RemoteService("notes")
public interface Notes {

    /** The note under {@code key}; an implementation throws NoSuchElementException when there is none. */
    String find(String key);

    /** How many words arrived through the pipe. */
    int count(InPipe<String> words);
}
