package io.drover.sandbox.secret;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an attempt is given its secrets: an {@code env} one as that variable; a {@code file} one in
 * a private variable that a prefix of the command writes to the file (umask 077) and then unsets,
 * so that the value is in no script text, argument list or stored row.
 *
 * @param env     variables to add to the command's environment
 * @param prefix  shell lines to run before the command ("" without file secrets)
 * @param byName  every secret's value by its name, for redacting the output
 */
public record SecretInjection(Map<String, String> env, String prefix, Map<String, String> byName) {
    public static final SecretInjection NONE = new SecretInjection(Map.of(), "", Map.of());
    static final String FILE_VARIABLE = "DROVER_SECRET_FILE_";

    /**
     * @param values the secrets' values by name; each of {@code refs} must have one
     */
    public static SecretInjection of(List<SecretRef> refs, Map<String, String> values) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> byName = new LinkedHashMap<>();
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < refs.size(); i++) {
            SecretRef ref = refs.get(i);
            String value = values.get(ref.name());
            if (value == null) {
                throw new IllegalArgumentException("no value for secret " + ref.name());
            }
            byName.put(ref.name(), value);
            if (ref.env() != null) {
                env.put(ref.env(), value);
            } else {
                String variable = FILE_VARIABLE + i;
                env.put(variable, value);
                // The path was checked at submission: absolute, under /workspace or /tmp, no quote.
                String file = "'" + ref.file() + "'";
                prefix.append("(umask 077 && mkdir -p \"$(dirname ").append(file).append(")\" && printf '%s' \"$")
                        .append(variable).append("\" > ").append(file).append(") || exit 1; unset ")
                        .append(variable).append('\n');
            }
        }
        return new SecretInjection(Map.copyOf(env), prefix.toString(), Map.copyOf(byName));
    }

    /** The command with the file secrets written first. */
    public String command(String command) {
        return prefix + command;
    }
}
