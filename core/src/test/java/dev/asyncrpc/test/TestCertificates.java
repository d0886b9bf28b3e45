package dev.asyncrpc.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made by the test with the JDK's keytool: a CA, a server certificate for 127.0.0.1
 * and localhost, and client certificates (one signed by the CA, one self-signed). Nothing comes
 * from outside the build.
 */
public final class TestCertificates {

    public static final char[] PASSWORD = "changeit".toCharArray();

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static TestCertificates create() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("asyncrpc-tls");
        TestCertificates c = new TestCertificates(dir);
        c.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=asyncrpc test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
        c.keytool("-exportcert", "-alias", "ca", "-rfc", "-keystore", "ca.p12", "-file", "ca.pem");
        c.signed("server", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        c.signed("client", "CN=trusted client", null);
        c.keytool("-genkeypair", "-alias", "rogue", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=rogue client",
                "-validity", "2", "-keystore", "rogue.p12");
        c.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12");
        return c;
    }

    /** The certificate of {@code name}'s key (such as {@code client}, {@code server}, {@code rogue}). */
    public java.security.cert.X509Certificate certificate(String name) throws Exception {
        return (java.security.cert.X509Certificate) load(keyStore(name)).getCertificate(name);
    }

    private void signed(String name, String dname, String san) throws IOException, InterruptedException {
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-validity", "2",
                "-keystore", name + ".p12");
        keytool("-certreq", "-alias", name, "-keystore", name + ".p12", "-file", name + ".csr");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", name + ".csr",
                "-outfile", name + ".pem", "-rfc", "-validity", "2"));
        if (san != null) {
            gencert.add("-ext");
            gencert.add(san);
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", name + ".p12");
        keytool("-importcert", "-alias", name, "-file", name + ".pem", "-keystore", name + ".p12");
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD)));
        if (List.of(args).contains("-genkeypair") || List.of(args).contains("-certreq") || List.of(args).contains("-gencert")) {
            cmd.addAll(List.of("-keypass", new String(PASSWORD)));
        }
        Process p = new ProcessBuilder(cmd).directory(this.dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    /** The certificates {@link #create()} made in {@code dir} (for a forked JVM). */
    public static TestCertificates at(Path dir) {
        return new TestCertificates(dir);
    }

    /** Where the key and trust stores are. */
    public Path directory() {
        return this.dir;
    }

    public Path keyStore(String name) {
        return this.dir.resolve(name + ".p12");
    }

    public Path trustStore() {
        return this.dir.resolve("trust.p12");
    }

    /** A TLS context with {@code keyName}'s key (or none) trusting the test CA. */
    public SSLContext context(String keyName) throws Exception {
        KeyManagerFactory kmf = null;
        if (keyName != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore(keyName)), PASSWORD);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trustStore()));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf != null ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore load(Path path) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }
}
