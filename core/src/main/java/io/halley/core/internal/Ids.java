package io.halley.core.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Unguessable ids: 128 bits from {@link SecureRandom}, URL-safe base64 without padding (22 chars). */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{22}");

    private Ids() {
    }

    public static String random128() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return ENCODER.encodeToString(b);
    }

    /** A new 256-bit key for {@link #token}, one per runtime. */
    public static byte[] newKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    /**
     * The token of {@code id} under {@code key}: the first 128 bits of HMAC-SHA256(key, id), in
     * the ids' format. Derived rather than stored, so a page keeps no token of its own; only the
     * runtime that made the key can make it.
     */
    public static String token(byte[] key, String id) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            byte[] h = mac.doFinal(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return ENCODER.encodeToString(java.util.Arrays.copyOf(h, 16));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e); // every JDK has it
        }
    }

    public static boolean isWellFormed(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }
}
