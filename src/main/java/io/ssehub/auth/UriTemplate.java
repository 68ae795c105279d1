package io.ssehub.auth;

import java.util.regex.Pattern;

/**
 * Matches topics against RFC 6570 URI templates (levels 1 to 4), by compiling a template to a
 * regular expression: each expression matches what its operator could have expanded to.
 *
 * <pre>
 * {var}   one value without / ? #        {+var}  any reserved characters but #
 * {#var}  an optional #fragment           {.var}  .a.b labels       {/var}  /a/b segments
 * {;var}  ;x=1 parameters                 {?var}  an optional ?query {&amp;var} &amp;continuations
 * </pre>
 *
 * Matching is bounded: a template that would need too much work on a topic (catastrophic
 * backtracking from a crafted template) is treated as not matching.
 */
final class UriTemplate {

    static final int MAX_EXPRESSIONS = 16;
    private static final long MAX_STEPS = 200_000;

    private UriTemplate() {
    }

    /** @throws IllegalArgumentException for a malformed template */
    static Pattern compile(String template) {
        StringBuilder regex = new StringBuilder();
        int expressions = 0;
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            int close = template.indexOf('}', i);
            if (close >= 0 && (open < 0 || close < open)) {
                throw new IllegalArgumentException("unbalanced '}' in template");
            }
            if (open < 0) {
                regex.append(Pattern.quote(template.substring(i)));
                break;
            }
            if (open > i) {
                regex.append(Pattern.quote(template.substring(i, open)));
            }
            int end = template.indexOf('}', open);
            if (end < 0) {
                throw new IllegalArgumentException("unclosed '{' in template");
            }
            String expression = template.substring(open + 1, end);
            if (expression.isEmpty() || expression.indexOf('{') >= 0) {
                throw new IllegalArgumentException("empty or nested expression in template");
            }
            if (++expressions > MAX_EXPRESSIONS) {
                throw new IllegalArgumentException("a template may have at most " + MAX_EXPRESSIONS + " expressions");
            }
            regex.append(expression(expression));
            i = end + 1;
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static String expression(String expression) {
        char operator = expression.charAt(0);
        return switch (operator) {
            case '+' -> "[^#]*";
            case '#' -> "(?:#.*)?";
            case '.' -> "(?:\\.[^/?#.]*)*";
            case '/' -> "(?:/[^/?#]*)*";
            case ';' -> "(?:;[^/?#;]*)*";
            case '?' -> "(?:\\?[^#]*)?";
            case '&' -> "(?:&[^#]*)*";
            default -> {
                if ("=,!@|".indexOf(operator) >= 0) {
                    throw new IllegalArgumentException("reserved operator '" + operator + "' in template");
                }
                yield "[^/?#]*";
            }
        };
    }

    static boolean matches(Pattern pattern, String topic) {
        try {
            return pattern.matcher(new Bounded(topic)).matches();
        } catch (TooExpensive e) {
            return false;
        }
    }

    private static final class TooExpensive extends RuntimeException {
        TooExpensive() {
            super(null, null, false, false);
        }
    }

    /** A CharSequence that gives up after a fixed number of reads, bounding the regex engine's work. */
    private static final class Bounded implements CharSequence {
        private final String text;
        private long steps;

        Bounded(String text) {
            this.text = text;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (++steps > MAX_STEPS) {
                throw new TooExpensive();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
