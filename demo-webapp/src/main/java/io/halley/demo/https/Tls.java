package io.halley.demo.https;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Locale;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The demo server's TLS key and certificate, loaded in memory: either a self-signed certificate
 * for {@code localhost} / {@code 127.0.0.1} made at start ({@link #selfSigned()}), or the first key
 * entry of a PKCS12 or JKS keystore ({@link #fromKeyStore}). Immutable and thread-safe once made.
 */
public final class Tls {
    private final KeyStore keyStore;
    private final String alias;
    private final char[] password;
    private final X509Certificate certificate;
    private final String source;

    private Tls(KeyStore keyStore, String alias, char[] password, String source) throws KeyStoreException {
        this.keyStore = keyStore;
        this.alias = alias;
        this.password = password.clone();
        this.certificate = (X509Certificate) keyStore.getCertificate(alias);
        this.source = source;
    }

    /**
     * A new EC key and a self-signed certificate for {@code localhost}, {@code 127.0.0.1} and
     * {@code ::1}, valid 30 days: written by {@link SelfSignedKeyStore} to a temporary PKCS12 under
     * a random password, read back and the file deleted. Browsers warn about it (nobody they trust
     * signed it) until told to go on; a client that should trust it trusts {@link #certificate()}.
     *
     * <p>Blocking: runs {@code keytool} (about a second).
     *
     * @throws IOException when {@code keytool} is missing or fails (the message says so)
     */
    public static Tls selfSigned() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("halley-demo-tls-");
        Path file = dir.resolve("self-signed.p12");
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes()).toCharArray();
        try {
            SelfSignedKeyStore.write(file, password, "localhost");
            KeyStore ks = KeyStore.getInstance(file.toFile(), password);
            return new Tls(ks, SelfSignedKeyStore.ALIAS, password, "self-signed for localhost, 127.0.0.1 and ::1");
        } catch (GeneralSecurityException e) {
            throw new IOException("the self-signed keystore keytool wrote cannot be read: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * The first entry with a private key and an X.509 certificate of the keystore {@code path}
     * (PKCS12 or JKS, told apart by its content), whose key has the keystore's {@code password}.
     *
     * @throws IllegalArgumentException with a one-line message naming {@code path} and what is wrong
     *         with it: no such file, not a keystore, a wrong password, no key entry, or a key under
     *         another password; never the password itself
     */
    public static Tls fromKeyStore(Path path, char[] password) {
        String where = "keystore " + path;
        if (!Files.exists(path)) throw new IllegalArgumentException(where + ": no such file");
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) throw new IllegalArgumentException(where + ": not a readable file");
        KeyStore ks;
        try {
            ks = KeyStore.getInstance(path.toFile(), password);
        } catch (IOException e) {
            // PKCS12: "keystore password was incorrect"; JKS: "... or password was incorrect"
            if (e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password")) {
                throw new IllegalArgumentException(where + ": wrong password");
            }
            throw new IllegalArgumentException(where + ": cannot be read (" + e.getMessage() + ")");
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException(where + ": not a PKCS12 or JKS keystore");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + ": cannot be read (" + e.getMessage() + ")");
        }
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (!ks.isKeyEntry(alias) || !(ks.getCertificate(alias) instanceof X509Certificate)) continue;
                try {
                    ks.getKey(alias, password);
                } catch (UnrecoverableKeyException e) {
                    throw new IllegalArgumentException(where + ": the key '" + alias
                            + "' has another password than the keystore (the demo takes one password for both)");
                }
                return new Tls(ks, alias, password, "from " + path + " ('" + alias + "': "
                        + ((X509Certificate) ks.getCertificate(alias)).getSubjectX500Principal().getName() + ")");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + ": cannot be read (" + e.getMessage() + ")");
        }
        throw new IllegalArgumentException(where + ": holds no private key with an X.509 certificate");
    }

    /** The certificate the server presents. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate's SHA-256 fingerprint as browsers show it: {@code AB:CD:...}, upper case. */
    public String fingerprint() {
        return fingerprint(certificate);
    }

    /** {@code certificate}'s SHA-256 fingerprint, {@code AB:CD:...}. */
    public static String fingerprint(Certificate certificate) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no SHA-256 in this Java", e);
        }
    }

    /** Where the key comes from, for the start-up line: {@code self-signed for ...} or {@code from <path> (...)}. */
    public String source() {
        return source;
    }

    /**
     * A new Jetty server-side TLS configuration with this key: its certificate only (no client
     * certificates), the ciphers HTTP/2 allows ordered first, the server's cipher order.
     */
    SslContextFactory.Server sslContextFactory() {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keyStore);
        ssl.setKeyStorePassword(new String(password));
        ssl.setKeyManagerPassword(new String(password));
        ssl.setCertAlias(alias);
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
        ssl.setUseCipherSuitesOrder(true);
        return ssl;
    }

    @Override
    public String toString() {
        return "Tls[" + source + ", SHA-256 " + fingerprint() + "]";
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
