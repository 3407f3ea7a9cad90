package io.halley.demo.https;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes a PKCS12 keystore holding one EC (P-256) key and a self-signed certificate for
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1}, valid for 30 days, by running the JDK's own
 * {@code keytool} ({@code $java.home/bin/keytool}): the JDK has no public API that signs a
 * certificate. The key's password is the keystore's.
 *
 * <p>Blocking: runs one process and waits for it, 60 s at most. Thread-safe (no state).
 */
public final class SelfSignedKeyStore {
    /** The alias of the key entry written. */
    public static final String ALIAS = "halley-demo";
    private static final long WAIT_SECONDS = 60;

    private SelfSignedKeyStore() {
    }

    /**
     * Writes the keystore as {@code file} (which must not exist yet).
     *
     * @param file where to write it; its folder must exist
     * @param password the keystore's and the key's password, 6 characters at least (keytool's rule)
     * @param commonName the certificate's subject {@code CN}, e.g. {@code localhost}
     * @throws IllegalArgumentException for a password under 6 characters or a {@code commonName}
     *         with characters other than letters, digits, {@code .}, {@code -} and {@code _}
     * @throws IOException when there is no {@code keytool} in this Java, or it fails or takes too
     *         long (the message holds what it printed)
     * @throws InterruptedException when interrupted while waiting (the process is killed)
     */
    public static void write(Path file, char[] password, String commonName) throws IOException, InterruptedException {
        if (password.length < 6) throw new IllegalArgumentException("a keystore password has 6 characters at least");
        if (!commonName.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("a common name is 1-64 of A-Z a-z 0-9 . - _: '" + commonName + "'");
        }
        Path keytool = Paths.get(System.getProperty("java.home"), "bin", isWindows() ? "keytool.exe" : "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("no keytool in this Java (" + keytool + ") to make a self-signed certificate;"
                    + " give a keystore with --keystore");
        }
        String pw = new String(password);
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=" + commonName, "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                "-validity", "30", "-storetype", "PKCS12", "-keystore", file.toString(),
                // on keytool's command line the password shows in this machine's process list while
                // keytool runs: it is only ever a random one (Tls.selfSigned) or a test's
                "-storepass", pw, "-keypass", pw);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output;
        try {
            if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("keytool did not finish within " + WAIT_SECONDS + " s");
            }
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } finally {
            p.destroyForcibly();
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(file)) {
            throw new IOException("keytool failed (exit " + p.exitValue() + "): " + output);
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }
}
