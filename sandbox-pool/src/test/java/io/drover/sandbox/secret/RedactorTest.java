package io.drover.sandbox.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RedactorTest {
    private static final Map<String, String> SECRETS = new LinkedHashMap<>();

    static {
        SECRETS.put("db-password", "hunter2-hunter2");
        SECRETS.put("short", "abc");
        SECRETS.put("prefix", "hunter2");
        SECRETS.put("unicode", "pässwörd");
    }

    private static final String TEXT = "login hunter2-hunter2 then hunter2 and hunter2-hunter then abc, pässwörd;"
            + " hunter2-hunter2hunter2-hunter2 end hunte";
    private static final String EXPECTED = "login [redacted:db-password] then [redacted:prefix] and"
            + " [redacted:prefix]-hunter then abc, [redacted:unicode]; [redacted:db-password][redacted:db-password]"
            + " end hunte";

    @Test
    void every_value_of_four_bytes_or_more_is_replaced_by_its_name_and_shorter_ones_are_left() {
        assertEquals(EXPECTED, redact(TEXT.getBytes(StandardCharsets.UTF_8), new int[0]));
    }

    @Test
    void a_value_cut_by_a_write_at_any_offset_is_still_replaced() {
        byte[] text = TEXT.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= text.length; cut++) {
            assertEquals(EXPECTED, redact(text, new int[] {cut}), "cut at " + cut);
        }
    }

    @Test
    void a_value_cut_at_every_pair_of_offsets_is_still_replaced() {
        byte[] text = TEXT.getBytes(StandardCharsets.UTF_8);
        for (int a = 0; a <= text.length; a++) {
            for (int b = a; b <= text.length; b++) {
                assertEquals(EXPECTED, redact(text, new int[] {a, b}), "cuts at " + a + " and " + b);
            }
        }
    }

    @Test
    void a_value_written_one_byte_at_a_time_is_replaced() {
        byte[] text = TEXT.getBytes(StandardCharsets.UTF_8);
        int[] cuts = new int[text.length];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i;
        }
        assertEquals(EXPECTED, redact(text, cuts));
        Random random = new Random(16);
        for (int round = 0; round < 200; round++) {
            int[] some = random.ints(random.nextInt(8), 0, text.length + 1).sorted().toArray();
            assertEquals(EXPECTED, redact(text, some));
        }
    }

    @Test
    void no_more_than_the_longest_value_less_one_byte_is_held_back() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Redactor redactor = new Redactor(SECRETS, out::write);
        byte[] start = "xx hunter2-hunter".getBytes(StandardCharsets.UTF_8);
        redactor.write(start, 0, start.length);
        assertEquals("xx ", out.toString(StandardCharsets.UTF_8));
        redactor.flush();
        assertEquals("xx [redacted:prefix]-hunter", out.toString(StandardCharsets.UTF_8));
    }

    private static String redact(byte[] text, int[] cuts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Redactor redactor = new Redactor(SECRETS, out::write);
        int from = 0;
        for (int cut : cuts) {
            redactor.write(text, from, cut - from);
            from = cut;
        }
        redactor.write(text, from, text.length - from);
        redactor.flush();
        return out.toString(StandardCharsets.UTF_8);
    }
}
