package dev.asyncrpc.test;

import java.util.List;
import java.util.Map;

import dev.asyncrpc.RemoteService;

/** The plain view of the test service: used by plain callers and plain implementations. */
@RemoteService("calc")
public interface Calc {

    int add(int a, int b);

    String echo(String text);

    List<Item> items(Map<String, Integer> counts);

    byte[] bytes(byte[] data);

    void touch(String key);

    String fail(String message);

    /** A record travelling as CBOR. */
    record Item(String name, int count) {
    }
}
