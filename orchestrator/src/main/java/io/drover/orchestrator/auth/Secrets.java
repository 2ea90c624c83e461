package io.drover.orchestrator.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Token secrets: made from 32 random bytes, known to the server only by their SHA-256. */
final class Secrets {
    static final String PREFIX = "drv_";
    /** Characters of a token kept to tell it apart in lists: the prefix and 8 of its random ones. */
    static final int SHOWN = PREFIX.length() + 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    static String make() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
