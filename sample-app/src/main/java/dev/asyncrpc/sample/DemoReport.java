package dev.asyncrpc.sample;

import java.util.List;

import dev.asyncrpc.CallState;
import dev.asyncrpc.Status;

/**
 * What the start-up demo saw.
 *
 * @param plainGreeting the answer of the plain call
 * @param futureGreeting the answer of the call through a CompletableFuture
 * @param asyncStates the AsyncCall's state right after issuing it and after join()
 * @param asyncGreeting the answer of the AsyncCall
 * @param rejectedStatus the status of a call the implementation aborted (bad argument)
 * @param failedStatus the status of a call whose implementation threw
 * @param pipedGreetings the greetings that came back through the out-pipe of the call that sent
 *        names through its in-pipe
 * @param pipedCount what that call answered: how many names it greeted
 * @param failures what went wrong in the demo itself (empty when every step did what it shows)
 */
public record DemoReport(Greeting plainGreeting, Greeting futureGreeting, List<CallState> asyncStates, Greeting asyncGreeting,
        Status rejectedStatus, Status failedStatus, List<Greeting> pipedGreetings, Integer pipedCount, List<String> failures) {

    /**
     * Whether every step of the demo did what it shows.
     * @return whether the demo succeeded
     */
    public boolean succeeded() {
        return this.failures.isEmpty();
    }
}
