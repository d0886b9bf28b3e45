package dev.asyncrpc.test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A plain implementation; records the threads it ran on. */
public class PlainCalc implements Calc {

    public final Set<String> threads = ConcurrentHashMap.newKeySet();
    public final Set<String> touched = ConcurrentHashMap.newKeySet();

    @Override
    public int add(int a, int b) {
        this.threads.add(Thread.currentThread().getName());
        return a + b;
    }

    @Override
    public String echo(String text) {
        return text;
    }

    @Override
    public List<Item> items(Map<String, Integer> counts) {
        return new TreeMap<>(counts).entrySet().stream().map(e -> new Item(e.getKey(), e.getValue())).toList();
    }

    @Override
    public byte[] bytes(byte[] data) {
        return data;
    }

    @Override
    public void touch(String key) {
        this.touched.add(String.valueOf(key));
    }

    @Override
    public String fail(String message) {
        throw new IllegalStateException(message);
    }
}
