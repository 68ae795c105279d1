package io.ssehub.mercure;

/**
 * How the Mercure front end behaves.
 *
 * @param anonymous      whether subscribers without a token get public updates
 * @param subscriptions  whether the active-subscriptions API and subscription events are on
 * @param maxTopics      topics (selectors) one subscribe or publish may name
 * @param maxTopicLength the longest topic or selector, in characters
 * @param maxSelectors   topic selectors one token may carry
 */
public record MercureSettings(boolean anonymous, boolean subscriptions, int maxTopics, int maxTopicLength,
                              int maxSelectors, Key publisher, Key subscriber, boolean requireExp) {

    /**
     * A verification key.
     *
     * @param key       an HMAC secret, or a PEM public key; empty when not configured
     * @param algorithm the JWS algorithm it verifies, e.g. HS256 or RS256
     * @param file      the file it was read from, re-read on change; empty when it was given directly
     */
    public record Key(String key, String algorithm, String file) {

        /** Never shows the key: configuration is logged at startup. */
        @Override
        public String toString() {
            return "Key[algorithm=" + algorithm + ", key=" + (key == null || key.isEmpty() ? "none" : "***") + "]";
        }
    }
}
