package io.ssehub.app;

/** An invalid configuration value; the message names the key, the value and what was expected. */
public final class ConfigException extends IllegalArgumentException {

    public ConfigException(Setting setting, String value, String expected) {
        super("invalid configuration " + setting.key() + " (" + setting.envName() + ") = '"
                + (setting.isSecret() ? "(secret)" : abbreviate(value)) + "': expected " + expected);
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "...";
    }
}
