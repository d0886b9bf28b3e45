package dev.asyncrpc.sample;

/**
 * What the greeter answers.
 *
 * @param message the greeting
 * @param name the name greeted
 */
public record Greeting(String message, String name) {
}
