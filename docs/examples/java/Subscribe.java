import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Subscribes to an ssehub stream with the JDK's own HttpClient, prints each event as
 * "<type> <id> <data>", and when the stream ends reconnects with Last-Event-ID, as a browser's
 * EventSource does, so no event is lost or repeated. Java 17 or later runs it as it is:
 *
 * <pre>java Subscribe.java http://localhost:8080/events/news [last-event-id]</pre>
 */
public class Subscribe {

    private final URI url;
    private String lastEventId;
    private long retryMillis = 1000;
    private String type = "";
    private final List<String> data = new ArrayList<>();

    Subscribe(URI url, String lastEventId) {
        this.url = url;
        this.lastEventId = lastEventId;
    }

    public static void main(String[] args) throws InterruptedException {
        new Subscribe(URI.create(args[0]), args.length > 1 ? args[1] : "").run();
    }

    void run() throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        while (true) {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).header("Accept", "text/event-stream");
            if (!lastEventId.isEmpty()) {
                request.header("Last-Event-ID", lastEventId);
            }
            try {
                HttpResponse<Stream<String>> response = client.send(request.build(), HttpResponse.BodyHandlers.ofLines());
                try (Stream<String> lines = response.body()) {
                    if (response.statusCode() != 200) {
                        System.err.println("refused: HTTP " + response.statusCode());
                        System.exit(1); // as EventSource does: an error answer is final
                    }
                    lines.forEach(this::line);
                }
                System.err.println("stream ended, reconnecting in " + retryMillis + " ms");
            } catch (IOException | UncheckedIOException e) {
                System.err.println("stream failed (" + e + "), reconnecting in " + retryMillis + " ms");
            }
            Thread.sleep(retryMillis);
        }
    }

    /** One line of a text/event-stream body, as the HTML standard parses it. */
    private void line(String line) {
        if (line.isEmpty()) {
            if (!data.isEmpty()) {
                onEvent(type.isEmpty() ? "message" : type, lastEventId, String.join("\n", data));
            }
            type = "";
            data.clear();
            return;
        }
        if (line.startsWith(":")) {
            return; // a comment: the hub's keep-alive
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> data.add(value);
            case "event" -> type = value;
            case "id" -> lastEventId = value.indexOf('\0') < 0 ? value : lastEventId;
            case "retry" -> retryMillis = value.matches("\\d+") ? Long.parseLong(value) : retryMillis;
            default -> { } // unknown fields are ignored
        }
    }

    /**
     * A "reset" event says the hub no longer holds every event after our last id (its data says
     * which): an application reloads its state from its source of truth there, instead of going on
     * with a gap. "ready" comes first on every connection, with the position the stream starts after.
     */
    private void onEvent(String type, String id, String data) {
        System.out.println(type + " " + id + " " + data);
    }
}
