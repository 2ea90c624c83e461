package io.drover.orchestrator.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 12-byte nonce per encryption and the secret's tenant and name as the
 * additional data: a ciphertext moved to another tenant's or name's row fails its tag.
 */
public final class SecretCipher {
    public static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keyId;

    /** A ciphertext and the nonce it was made with. */
    public record Sealed(byte[] nonce, byte[] ciphertext, String keyId) {
    }

    public SecretCipher(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the key must be " + KEY_BYTES + " bytes; it is " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
        this.keyId = id(key);
    }

    /** The first 8 hex digits of the key's SHA-256: tells keys apart, says nothing of the key. */
    public String keyId() {
        return keyId;
    }

    public Sealed seal(String tenant, String name, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, tenant, name);
            return new Sealed(nonce, cipher.doFinal(value.getBytes(StandardCharsets.UTF_8)), keyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt with AES-256-GCM", e);
        }
    }

    /** The value; throws if the row was made with another key or its ciphertext was altered or moved. */
    public String open(String tenant, String name, Sealed sealed) {
        if (!keyId.equals(sealed.keyId())) {
            throw new IllegalStateException("secret " + name + " of tenant " + tenant + " was encrypted with key "
                    + sealed.keyId() + ", but this process has key " + keyId + ": give every process the same"
                    + " drover.secrets.key (DROVER_SECRETS_KEY)");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, sealed.nonce(), tenant, name);
            return new String(cipher.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("secret " + name + " of tenant " + tenant + " does not decrypt: its row"
                    + " was altered or copied from another secret; set its value again (PUT /api/v1/secrets/" + name
                    + ")", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String tenant, String name) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD((tenant + "\0" + name).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static String id(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key)).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
