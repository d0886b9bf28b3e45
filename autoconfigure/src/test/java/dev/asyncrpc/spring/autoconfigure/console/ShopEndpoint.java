package dev.asyncrpc.spring.autoconfigure.console;

import java.util.List;

import dev.asyncrpc.InPipe;
import dev.asyncrpc.OutPipe;
import dev.asyncrpc.spring.RemoteEndpoint;

/** Serves {@link Shop}. */
@RemoteEndpoint
public class ShopEndpoint implements Shop {

    @Override
    public Order place(Order order, int quantity) {
        return new Order(order.id() + "-x" + quantity, order.items(), order.counts(), order.kind(), order.note(), order.urgent());
    }

    @Override
    public long count(InPipe<Item> items, OutPipe<String> receipts) {
        long n = 0;
        for (Item item : items) {
            receipts.push(item.sku() + "=" + item.price()).toCompletableFuture().join();
            n++;
        }
        receipts.close();
        return n;
    }

    @Override
    public String fail(String why) {
        throw new IllegalStateException("failed because " + why);
    }

    static List<Item> none() {
        return List.of();
    }
}
