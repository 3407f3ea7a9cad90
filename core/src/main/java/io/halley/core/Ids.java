package io.halley.core;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Unguessable ids: 128 bits from {@link SecureRandom}, URL-safe base64 without padding (22 chars). */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{22}");

    private Ids() {
    }

    static String random128() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return ENCODER.encodeToString(b);
    }

    static boolean isWellFormed(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }
}
