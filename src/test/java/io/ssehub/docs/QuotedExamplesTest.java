package io.ssehub.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Code the README quotes from an example under {@code docs/examples/} is that example's own
 * lines, so what a reader copies is what {@code ClientExamplesIT} runs. A quote belongs to the
 * last example the README linked before it.
 */
class QuotedExamplesTest {

    private static final Pattern EXAMPLE_LINK = Pattern.compile("\\]\\((docs/examples/[^)#\\s]+\\.[a-z]+)\\)");

    @Test
    void everyQuoteOfAnExampleIsThatExamplesOwnLines() throws IOException {
        List<String> quotes = new ArrayList<>();
        Path example = null;
        List<String> block = null;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("```")) {
                if (block == null) {
                    block = new ArrayList<>();
                } else {
                    if (example != null) {
                        String quote = String.join("\n", block);
                        assertTrue(Files.readString(example).contains(quote),
                                "the README quotes lines that " + example + " does not have:\n" + quote);
                        quotes.add(example.toString());
                    }
                    block = null;
                }
            } else if (block != null) {
                block.add(line);
            } else if (line.startsWith("## ")) {
                example = null; // a quote never belongs to an example of another section
            } else {
                Matcher link = EXAMPLE_LINK.matcher(line);
                while (link.find()) {
                    example = Path.of(link.group(1));
                }
            }
        }
        assertFalse(quotes.isEmpty(), "the README quotes the browser example; this test found no quote to check");
    }
}
