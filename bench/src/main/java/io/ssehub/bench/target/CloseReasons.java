package io.ssehub.bench.target;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ssehub's count of the streams it ended, by reason, as its {@code GET /metrics} tells in the
 * Prometheus text format (Micrometer's {@code ssehub.streams.closed} counter, tagged {@code reason}):
 * <pre>ssehub_streams_closed_total{reason="over_limit"} 285.0</pre>
 */
final class CloseReasons {

    private static final Pattern SAMPLE = Pattern.compile(
            "^ssehub_streams_closed_total\\{[^}]*reason=\"([^\"]+)\"[^}]*}\\s+(\\S+)", Pattern.MULTILINE);

    private CloseReasons() {
    }

    /** The samples of the counter in a Prometheus text page: reason to count, sorted by reason. */
    static Map<String, Long> parse(String metrics) {
        Map<String, Long> counts = new TreeMap<>();
        Matcher sample = SAMPLE.matcher(metrics);
        while (sample.find()) {
            counts.merge(sample.group(1), (long) Double.parseDouble(sample.group(2)), Long::sum);
        }
        return counts;
    }

    /** Asks the server on {@code address}; throws when it does not answer 200 within 10 s. */
    static Map<String, Long> read(InetSocketAddress address) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address.getHostString() + ":"
                + address.getPort() + "/metrics")).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("GET /metrics answered " + answer.statusCode());
        }
        return parse(answer.body());
    }
}
