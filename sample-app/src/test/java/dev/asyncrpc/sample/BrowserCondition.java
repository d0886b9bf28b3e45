package dev.asyncrpc.sample;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a browser test where Debian's {@code chromium} and {@code chromium-driver} are installed.
 * Where they are missing the test is skipped, saying why, except in CI ({@code CI=true}), where
 * {@code .ci/run} installs them: there a missing browser fails the test rather than hiding it.
 */
final class BrowserCondition implements ExecutionCondition {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return ConditionEvaluationResult.enabled("headless Chromium and chromedriver are installed");
        }
        String missing = (Files.isExecutable(CHROMIUM) ? "" : CHROMIUM + " ") + (Files.isExecutable(CHROMEDRIVER) ? "" : CHROMEDRIVER);
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but " + missing.trim()
                    + " is missing: install Debian's chromium and chromium-driver (bash .ci/run does)");
        }
        return ConditionEvaluationResult.disabled("no browser: " + missing.trim()
                + " missing (apt-get install chromium chromium-driver)");
    }
}
