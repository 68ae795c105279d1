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
 * backtracking from a crafted template) is treated as not matching. The work is counted in a
 * {@link MatchBudget}, which one subscription's selectors may share for one topic, so a subscription
 * of many templates costs no more per topic than one; and {@link #tooCostly} finds, before a
 * subscription is admitted, a template that would exhaust a budget on its own.
 */
final class UriTemplate {

    static final int MAX_EXPRESSIONS = 16;

    /** An expression of a template that {@link #compile} accepted. */
    private static final Pattern EXPRESSION = Pattern.compile("\\{[^}]*}");

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

    static boolean matches(Pattern pattern, String topic, MatchBudget budget) {
        if (budget.exhausted()) {
            return false;
        }
        try {
            return pattern.matcher(new Bounded(topic, budget)).matches();
        } catch (TooExpensive e) {
            return false;
        }
    }

    /**
     * Whether the template could exhaust a budget on a topic of at most {@code maxLength}
     * characters: it is tried on topics made of its own literal text with each expression filled
     * by a long run, once ending as the template does and once not, which makes a backtracking
     * template try every way of splitting the runs between its expressions.
     */
    static boolean tooCostly(String template, Pattern pattern, int maxLength) {
        long expressions = EXPRESSION.matcher(template).results().count();
        if (expressions == 0) {
            return false;
        }
        int literals = EXPRESSION.matcher(template).replaceAll("").length();
        int run = (int) Math.max(1, (maxLength - literals - 1) / expressions);
        String probe = EXPRESSION.matcher(template).replaceAll("a".repeat(run));
        for (String topic : new String[] {probe + "\u0001", probe.substring(0, probe.length() - 1) + "\u0001"}) {
            MatchBudget budget = MatchBudget.perTopic();
            matches(pattern, topic, budget);
            if (budget.exhausted()) {
                return true;
            }
        }
        return false;
    }

    private static final class TooExpensive extends RuntimeException {
        TooExpensive() {
            super(null, null, false, false);
        }
    }

    /** A CharSequence that gives up when its budget is spent, bounding the regex engine's work. */
    private static final class Bounded implements CharSequence {
        private final String text;
        private final MatchBudget budget;

        Bounded(String text, MatchBudget budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (!budget.spend()) {
                throw new TooExpensive();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Bounded(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
