package dev.asyncrpc.spring.autoconfigure.console;

import java.util.List;
import java.util.Map;

import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.RemoteService;

/** A test service with records, collections, enums, bytes and pipes, as the console shows them. */
@RemoteService("shop")
public interface Shop {

    Order place(Order order, int quantity);

    long count(InPipe<Item> items, OutPipe<String> receipts);

    String fail(String why);

    /** A kind of order. */
    enum Kind { RETAIL, WHOLESALE }

    /** An item. */
    record Item(String sku, double price) {
    }

    /** An order. */
    record Order(String id, List<Item> items, Map<String, Integer> counts, Kind kind, byte[] note, boolean urgent) {
    }
}
