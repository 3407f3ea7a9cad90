package io.halley.testing.http2;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed PKCS12 keystore for {@code 127.0.0.1} and {@code localhost} (subject alternative
 * names {@code IP:127.0.0.1}, {@code DNS:localhost}; an EC P-256 key, valid 30 days), generated
 * once per JVM by the JDK's own {@code keytool} (from {@code java.home}) into a temporary file
 * deleted at exit. What a TLS test server serves and what {@link Http2Clients} trusts.
 *
 * <p>Thread-safe. {@link #shared()} blocks while {@code keytool} runs (about a second; 60 s at
 * most) and fails with an {@link IllegalStateException} when it cannot.
 */
public final class SelfSignedKeystore {
    /** The alias of the key entry. */
    public static final String ALIAS = "halley-test";
    private static volatile SelfSignedKeystore shared;

    private final Path path;
    private final String password;
    private final SSLContext trusting;

    private SelfSignedKeystore(Path path, String password) throws IOException, GeneralSecurityException {
        this.path = path;
        this.password = password;
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            keys.load(in, password.toCharArray());
        }
        Certificate cert = keys.getCertificate(ALIAS);
        if (cert == null) throw new GeneralSecurityException("no certificate " + ALIAS + " in " + path);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(ALIAS, cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
    }

    /** The keystore of this JVM, generated on first use. */
    public static SelfSignedKeystore shared() {
        SelfSignedKeystore k = shared;
        if (k != null) return k;
        synchronized (SelfSignedKeystore.class) {
            if (shared == null) shared = generate();
            return shared;
        }
    }

    private static SelfSignedKeystore generate() {
        try {
            Path dir = Files.createTempDirectory("halley-tls");
            Path file = dir.resolve("keystore.p12");
            String password = Long.toHexString(Double.doubleToLongBits(Math.random())) + "-halley";
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=localhost, O=Halley tests", "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
                    "-validity", "30", "-storetype", "PKCS12", "-keystore", file.toString(),
                    "-storepass", password, "-keypass", password, "-noprompt")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + out.trim());
            }
            for (Path f : List.of(file, dir)) f.toFile().deleteOnExit();
            return new SelfSignedKeystore(file, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not generate a self-signed keystore with keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool ran", e);
        }
    }

    /** The PKCS12 file. */
    public Path path() {
        return path;
    }

    /** The password of the file and of its key. */
    public String password() {
        return password;
    }

    /** {@code "PKCS12"}. */
    public String type() {
        return "PKCS12";
    }

    /** A client TLS context trusting this certificate only. */
    public SSLContext trustingContext() {
        return trusting;
    }
}
