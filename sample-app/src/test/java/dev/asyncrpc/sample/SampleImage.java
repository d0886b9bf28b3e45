package dev.asyncrpc.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the sample's container image from {@code sample-app/Dockerfile} with the Docker CLI, once
 * per test run, {@code FROM} the local base image (no registry can be reached): the same command
 * the Dockerfile documents. Testcontainers' own image builder is not used because it tries to pull
 * the image named by {@code FROM ${BASE}} before building.
 */
final class SampleImage {

    /** The image the container tests run. */
    static final String NAME = "asyncrpc/sample-app:test";

    /** The local base image made by {@code .ci/base-image.sh}. */
    static final String BASE = DockerCondition.BASE_IMAGE;

    private static boolean built;

    private SampleImage() {
    }

    /**
     * Build the image (once).
     * @return its name
     * @throws IllegalStateException if the jar is missing or the build fails, with docker's output
     */
    static synchronized String build() {
        if (built) {
            return NAME;
        }
        Path context = Path.of("").toAbsolutePath();
        Path jar = Path.of(System.getProperty("asyncrpc.sample.jar", "target/asyncrpc-sample-app-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No sample jar at " + jar + ": run this test with `./mvnw verify` (after package)");
        }
        List<String> command = List.of("docker", "build", "--network", "host", "--build-arg", "BASE=" + BASE, "--build-arg",
                "JAR=" + context.relativize(jar).toString().replace('\\', '/'), "-t", NAME, context.toString());
        try {
            Path log = Files.createTempFile("sample-image", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = process.waitFor(5, TimeUnit.MINUTES);
            if (!finished) {
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (!finished || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + (finished ? " failed" : " took longer than 5 minutes") + ":\n" + output);
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building " + NAME, ex);
        }
        built = true;
        return NAME;
    }
}
