package io.ssehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import io.ssehub.auth.ApiKeys;
import io.ssehub.testing.Await;
import io.ssehub.testing.Http;
import io.ssehub.testing.LogCapture;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import io.ssehub.testing.TestServer;
import io.ssehub.testing.Tokens;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one access model, end to end on every container, through both front ends at once: the seed
 * API ({@code GET /events}, {@code POST /publish}) and Mercure ({@code /.well-known/mercure}).
 * Topics matching {@code public.*} are public, every other topic is guarded, and private updates
 * (Mercure's {@code private=on}) reach only a reader whose grant names one of their topics.
 *
 * <p>The heart of it is a matrix of readers: {seed, Mercure reader} x {seed, Mercure publisher} x
 * {public, guarded, private update} x {no, forged, narrow, right credential, in each claim format
 * and as an API key} x {live, replay from earliest, resume from an id, multi-topic stream or
 * {@code *} selector}. Each cell publishes its own updates on topics of its own, then a marker the
 * reader is certain to receive, and asserts exactly which of its updates arrived before the marker
 * (or exactly how the stream was refused). Around it: publishers, the hub's reserved ids, the
 * operational endpoints, secrets on the command line, and API keys withdrawn or broken while
 * streams are open (last, since they rewrite the key file every scenario shares).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessMatrixIT extends ItSupport {

    static final String HUB = ".well-known/mercure";
    /** How soon a stream must end once the key that opened it is withdrawn. */
    static final Duration REVOCATION = Duration.ofSeconds(5);

    private final Path dir = tempDir();
    private final String secret = "access-matrix-secret-" + "s".repeat(32) + "-" + System.nanoTime();
    private final byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);
    /** Another hub's secret: what a forged token is signed with. */
    private final byte[] otherSecret = ("another-hubs-secret-" + "o".repeat(32)).getBytes(StandardCharsets.UTF_8);
    private final String keyAll = "key-all-" + System.nanoTime();
    private final String keyRight = "key-right-" + System.nanoTime();
    private final String keyNarrow = "key-narrow-" + System.nanoTime();
    private final String keyRevocable = "key-revocable-" + System.nanoTime();
    private final String keyUnknown = "key-unknown-" + System.nanoTime();
    private final String opsKey = "key-ops-" + System.nanoTime();

    /** This container's key file: the last scenarios rewrite it, so each container's server gets its own. */
    private Path keyFile;
    /** The key file's last modification time as set here; each rewrite moves it later. */
    private Instant keyFileStamp;

    @Override
    void beforeServerStarts() {
        keyFile = Tokens.write(dir, "apikeys-" + container, keyLines(true));
        keyFileStamp = Instant.now();
    }

    @Override
    Map<String, String> params() {
        Map<String, String> params = new HashMap<>();
        params.put("ssehub.tick.interval", "0");
        params.put("ssehub.keepalive.interval", "400ms");
        params.put("ssehub.publish.auth", "apikey,jwt");
        params.put("ssehub.subscribe.auth", "apikey,jwt");
        params.put("ssehub.subscribe.public", "public.*");
        params.put("ssehub.jwt.secret", secret);
        params.put("ssehub.apikeys.file", keyFile.toString());
        params.put("ssehub.ops.apikeys", ApiKeys.digestOf(opsKey));
        params.put("ssehub.jwt.leeway", "0");
        // Every reader and publisher of the matrix comes from one loopback address; what one
        // client may cost is HostileClientsIT's to check.
        params.put("ssehub.streams.perClient", "0");
        params.put("ssehub.topics.perClient", "0");
        return params;
    }

    /** Every key but the unknown one; the revocable key's line only while it is wanted. */
    private String keyLines(boolean withRevocable) {
        return "# the access matrix's keys\n"
                + ApiKeys.digestOf(keyAll) + "\n"
                + ApiKeys.digestOf(keyRight) + " public.*,guarded.*\n"
                + ApiKeys.digestOf(keyNarrow) + " other.*\n"
                + (withRevocable ? ApiKeys.digestOf(keyRevocable) + " guarded.*\n" : "");
    }

    /** Rewrites the key file and moves its modification time later, so the next refresh reads it. */
    private void rewriteKeys(String content) throws IOException {
        Files.writeString(keyFile, content, StandardCharsets.UTF_8);
        Instant later = Instant.now().plusSeconds(2);
        keyFileStamp = later.isAfter(keyFileStamp) ? later : keyFileStamp.plusSeconds(2);
        Files.setLastModifiedTime(keyFile, FileTime.from(keyFileStamp));
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("ssehub-access");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the dimensions -------------------------------------------------------------------------

    /** A front end: who reads or who publishes. */
    enum Front {
        SEED("seed"), MERCURE("Mercure");

        final String label;

        Front(String label) {
            this.label = label;
        }

        String cookie() {
            return this == SEED ? "ssehub_token" : "mercureAuthorization";
        }

        String queryParameter() {
            return this == SEED ? "access_token" : "authorization";
        }
    }

    /** The update under test: on a public or a guarded topic, private or not. */
    enum Update {
        PUBLIC(false, false, "a public update"),
        GUARDED(true, false, "a guarded update"),
        PRIVATE_ON_PUBLIC(false, true, "a private update on a public topic"),
        PRIVATE_ON_GUARDED(true, true, "a private update on a guarded topic");

        final boolean guarded;
        final boolean isPrivate;
        final String label;

        Update(boolean guarded, boolean isPrivate, String label) {
            this.guarded = guarded;
            this.isPrivate = isPrivate;
            this.label = label;
        }

        String topicPrefix() {
            return guarded ? "guarded" : "public";
        }
    }

    /** What the credential is worth. */
    enum Cred { NONE, FORGED, NARROW, RIGHT }

    /** What form the credential takes. */
    enum Flavor {
        SSEHUB_CLAIM("ssehub-claim token"), MERCURE_CLAIM("mercure-claim token"), API_KEY("API key");

        final String label;

        Flavor(String label) {
            this.label = label;
        }
    }

    /** Where the credential travels. */
    enum Place {
        BEARER("Authorization: Bearer"), X_API_KEY("X-API-Key"), COOKIE("cookie"), QUERY("query");

        final String label;

        Place(String label) {
            this.label = label;
        }
    }

    /** How the reader starts reading. */
    enum Mode { LIVE, EARLIEST, RESUME, MULTI }

    /** A credential as a reader or publisher presents it; {@code flavor} and {@code place} are null for none. */
    record Presented(Cred cred, Flavor flavor, Place place) {
        String label() {
            if (cred == Cred.NONE) {
                return "no credential";
            }
            String what = switch (cred) {
                case FORGED -> flavor == Flavor.API_KEY ? "an unknown API key" : "a forged " + flavor.label;
                case NARROW -> "a narrow " + flavor.label;
                default -> "the right " + flavor.label;
            };
            return what + " (" + place.label + ")";
        }
    }

    /** Every credential: none, then each worth in each form, its place rotating with {@code n}. */
    static List<Presented> presentations(Front front, boolean stream, int n) {
        List<Presented> all = new ArrayList<>();
        all.add(new Presented(Cred.NONE, null, null));
        int i = n;
        for (Cred cred : List.of(Cred.FORGED, Cred.NARROW, Cred.RIGHT)) {
            for (Flavor flavor : Flavor.values()) {
                List<Place> places = places(front, flavor, stream);
                all.add(new Presented(cred, flavor, places.get(Math.floorMod(i++, places.size()))));
            }
        }
        return all;
    }

    /** Where the front end's clients may put this credential: the query is for streams only. */
    static List<Place> places(Front front, Flavor flavor, boolean stream) {
        List<Place> places = new ArrayList<>(List.of(Place.BEARER, Place.COOKIE));
        if (stream) {
            places.add(Place.QUERY);
        }
        if (front == Front.SEED && flavor == Flavor.API_KEY) {
            places.add(0, Place.X_API_KEY);
        }
        return places;
    }

    // ---- the reader matrix --------------------------------------------------------------------------

    /**
     * One cell: a reader opens a stream on the cell's topic {@code T} ({@code public.m<n>} or
     * {@code guarded.m<n>}) while a publisher publishes the cell's update there once before and
     * once after the stream opens. Resuming cells first publish an anchor on the cell's public
     * marker topic {@code M} and resume from its id.
     */
    record ReadCell(int n, Front reader, Front publisher, Update update, Presented credential, Mode mode) {

        String topic() {
            return update.topicPrefix() + ".m" + n;
        }

        String markerTopic() {
            return "public.m" + n + "-mk";
        }

        String prefix() {
            return "m" + n + "/";
        }

        String payload(String what) {
            return prefix() + what;
        }

        /** Multi-topic seed streams wrap each event's data in an envelope naming its topic. */
        boolean tagged() {
            return reader == Front.SEED && mode == Mode.MULTI;
        }

        /** Where the marker goes: a single-topic seed stream reads only T; every other reader reads M. */
        String markerGoesTo() {
            return reader == Front.SEED && mode != Mode.MULTI ? topic() : markerTopic();
        }

        boolean resumes() {
            return mode == Mode.RESUME || mode == Mode.MULTI;
        }

        /** The status that must refuse the stream, or 0 when it must open. */
        int refusal() {
            if (credential.cred() == Cred.FORGED) {
                return 401; // a credential that is presented must verify, even on a public topic
            }
            if (reader == Front.SEED && update.guarded) {
                return switch (credential.cred()) {
                    case NONE -> 401;
                    case NARROW -> 403;
                    default -> 0;
                };
            }
            return 0; // Mercure readers without a credential are anonymous and read what is public
        }

        /** Whether the reader may receive the cell's update at all. */
        boolean receives() {
            boolean right = credential.cred() == Cred.RIGHT;
            return update.isPrivate ? right : !update.guarded || right; // being public is no grant for private ones
        }

        /** Exactly what the reader must get before the marker. */
        List<String> expected() {
            List<String> expected = new ArrayList<>();
            if (refusal() == 0 && receives()) {
                if (mode != Mode.LIVE) {
                    expected.add(payload("before"));
                }
                expected.add(payload("after"));
            }
            return expected;
        }

        String modeLabel() {
            return switch (mode) {
                case LIVE -> "live";
                case EARLIEST -> "replayed from earliest";
                case RESUME -> reader == Front.SEED ? "resumed from an id" : "resumed from an id with a template selector";
                case MULTI -> reader == Front.SEED ? "multi-topic stream resumed from an id" : "selector * resumed from an id";
            };
        }

        @Override
        public String toString() {
            int refusal = refusal();
            List<String> expected = expected().stream().map(p -> p.substring(prefix().length())).toList();
            return "#" + n + " " + reader.label + " reader with " + credential.label() + ", " + update.label
                    + " from the " + publisher.label + " publisher, " + modeLabel() + " -> "
                    + (refusal != 0 ? "refused " + refusal : expected.isEmpty() ? "gets none of it" : "gets " + expected);
        }
    }

    static Stream<ReadCell> readCells() {
        List<ReadCell> cells = new ArrayList<>();
        int n = 0;
        for (Front reader : Front.values()) {
            for (Front publisher : Front.values()) {
                for (Update update : Update.values()) {
                    if (update.isPrivate && publisher == Front.SEED) {
                        continue; // only Mercure publishes private updates
                    }
                    for (Mode mode : Mode.values()) {
                        for (Presented credential : presentations(reader, true, n)) {
                            cells.add(new ReadCell(++n, reader, publisher, update, credential, mode));
                        }
                    }
                }
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readCells")
    @Order(2)
    void noReaderGetsAnUpdateItsCredentialDoesNotAllowOnAnyPath(ReadCell cell) throws Exception {
        String anchor = cell.resumes() ? publishWithKey(cell.markerTopic(), cell.payload("anchor")) : null;
        publishCellUpdate(cell, "before");
        StreamGet get = readerGet(cell, anchor, credential(cell.credential(), cell.topic()));
        if (cell.refusal() != 0) {
            assertStreamRefused(get, cell.refusal());
            return;
        }
        try (SseClient client = get.open(server.base())) {
            assertEquals(200, client.status(), "the stream must open: " + cell);
            publishCellUpdate(cell, "after");
            publishWithKey(cell.markerGoesTo(), cell.payload("marker"));
            assertEquals(cell.expected(), readUntil(client, cell.payload("marker"), cell.tagged(), cell.prefix()),
                    cell.toString());
        }
    }

    private void publishCellUpdate(ReadCell cell, String what) throws Exception {
        if (cell.publisher() == Front.SEED) {
            publishWithKey(cell.topic(), cell.payload(what));
        } else {
            publishByMercure(cell.topic(), cell.payload(what), cell.update().isPrivate);
        }
    }

    /** A stream request: the path with its query string, and the headers. */
    record StreamGet(String path, Map<String, String> headers) {
        SseClient open(URI base) throws IOException {
            return SseClient.open(base, path, headers);
        }
    }

    private StreamGet readerGet(ReadCell cell, String anchor, String credential) {
        List<String> query = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        String path;
        if (cell.reader() == Front.SEED) {
            if (cell.mode() == Mode.MULTI) {
                path = "events";
                query.add(param("topic", cell.topic()));
                query.add(param("topic", cell.markerTopic()));
            } else {
                path = "events/" + cell.topic();
            }
            if (cell.mode() == Mode.EARLIEST) {
                query.add(param("lastEventId", "earliest"));
            }
        } else {
            path = HUB;
            List<String> selectors = switch (cell.mode()) {
                case LIVE, EARLIEST -> List.of(cell.topic(), cell.markerTopic());
                case RESUME -> List.of(cell.update().topicPrefix() + ".{x}", cell.markerTopic());
                case MULTI -> List.of("*");
            };
            selectors.forEach(s -> query.add(param("topic", s)));
            if (cell.mode() == Mode.EARLIEST) {
                query.add(param("lastEventID", "earliest"));
            }
        }
        if (anchor != null) {
            headers.put("Last-Event-ID", anchor);
        }
        present(cell.reader(), cell.credential().place(), credential, query, headers);
        return new StreamGet(query.isEmpty() ? path : path + "?" + String.join("&", query), headers);
    }

    private static String param(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Puts the credential where the front end's clients put it. */
    private static void present(Front front, Place place, String credential, List<String> query,
                                Map<String, String> headers) {
        if (credential == null) {
            return;
        }
        switch (place) {
            case BEARER -> headers.put("Authorization", "Bearer " + credential);
            case X_API_KEY -> headers.put("X-API-Key", credential);
            case COOKIE -> headers.put("Cookie", front.cookie() + "=" + credential);
            case QUERY -> query.add(param(front.queryParameter(), credential));
        }
    }

    // ---- credentials ---------------------------------------------------------------------------------

    /** The credential for a cell whose topic is {@code topic}: right means exactly that topic. */
    private String credential(Presented presented, String topic) {
        Flavor flavor = presented.flavor();
        return switch (presented.cred()) {
            case NONE -> null;
            case FORGED -> flavor == Flavor.API_KEY ? keyUnknown
                    : token(otherSecret, flavor, List.of("*"), List.of("*"));
            case NARROW -> flavor == Flavor.API_KEY ? keyNarrow
                    : token(secretBytes, flavor, narrow(flavor), narrow(flavor));
            case RIGHT -> flavor == Flavor.API_KEY ? keyRight
                    : token(secretBytes, flavor, List.of(topic), List.of(topic));
        };
    }

    /** Only {@code other.*}, in the claim's own syntax. */
    private static List<String> narrow(Flavor flavor) {
        return List.of(flavor == Flavor.MERCURE_CLAIM ? "other.{x}" : "other.*");
    }

    private String token(byte[] key, Flavor flavor, List<String> publish, List<String> subscribe) {
        return jwt(key, flavor == Flavor.MERCURE_CLAIM ? "mercure" : "ssehub",
                Map.of("publish", publish, "subscribe", subscribe));
    }

    /** HS256 with {@code exp} ten minutes ahead and one claim. */
    private static String jwt(byte[] key, String claim, Map<String, Object> value) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(10))))
                .claim(claim, value)
                .build();
        return Tokens.hmac(JWSAlgorithm.HS256, key, claims);
    }

    /** A Mercure publisher's token that may publish anywhere. */
    private String mercurePublisher() {
        return token(secretBytes, Flavor.MERCURE_CLAIM, List.of("*"), List.of());
    }

    // ---- requests ------------------------------------------------------------------------------------

    private HttpResponse<String> seedPublish(String topic, String msg, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.base().resolve("publish"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("topic", topic, "msg", msg))));
        headers.forEach(request::header);
        return http.send(request);
    }

    /** Publishes with the key that may publish anywhere; returns the event's id. */
    private String publishWithKey(String topic, String msg) throws Exception {
        HttpResponse<String> response = seedPublish(topic, msg, Map.of("X-API-Key", keyAll));
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("id").asText();
    }

    private HttpResponse<String> mercurePublish(String form, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.base().resolve(HUB))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(request::header);
        return http.send(request);
    }

    private static String form(String topic, String data, boolean isPrivate, String id) {
        StringBuilder form = new StringBuilder(param("topic", topic)).append('&').append(param("data", data));
        if (isPrivate) {
            form.append("&private=on");
        }
        if (id != null) {
            form.append('&').append(param("id", id));
        }
        return form.toString();
    }

    /** Publishes through Mercure with a publisher token; returns the update's id. */
    private String publishByMercure(String topic, String data, boolean isPrivate) throws Exception {
        HttpResponse<String> response = mercurePublish(form(topic, data, isPrivate, null),
                Map.of("Authorization", "Bearer " + mercurePublisher()));
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /**
     * Reads message events until the one whose data is {@code marker}; returns the data before it
     * that starts with {@code prefix} (a {@code *} reader sees other scenarios' updates too).
     */
    private static List<String> readUntil(SseClient client, String marker, boolean tagged, String prefix)
            throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> got = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no marker " + marker + " in time; got " + got);
            }
            SseParser.Event event;
            try {
                event = client.next(Duration.ofNanos(left));
            } catch (IOException e) {
                throw new AssertionError("no marker " + marker + " (" + e.getMessage() + "); got " + got, e);
            }
            if (!event.type().equals("message")) {
                continue; // ready, reset
            }
            String data = tagged ? JSON.readTree(event.data()).get("data").asText() : event.data();
            if (data.equals(marker)) {
                return got;
            }
            if (data.startsWith(prefix)) {
                got.add(data);
            }
        }
    }

    /** The next message event's data. */
    private static String nextData(SseClient client) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            SseParser.Event event = client.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event.type().equals("message")) {
                return event.data();
            }
        }
    }

    /** Opens a stream that must open. */
    private SseClient openStream(String path, Map<String, String> headers) throws IOException {
        SseClient client = SseClient.open(server.base(), path, headers);
        assertEquals(200, client.status(), "the stream " + path + " must open");
        return client;
    }

    /** Asks for a stream that must not open: the answer is a problem with {@code status}, never a stream. */
    private void assertStreamRefused(StreamGet get, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.base().resolve(get.path())).GET();
        get.headers().forEach(request::header);
        HttpResponse<InputStream> response = http.sendStreaming(request);
        try (InputStream body = response.body()) {
            assertNotEquals(200, response.statusCode(), "a stream opened that must be refused with " + status);
            HttpResponse<String> answered = new Answered(response.statusCode(), response.headers(),
                    new String(body.readAllBytes(), StandardCharsets.UTF_8), response.uri());
            assertProblem(answered, status);
            if (status == 401) {
                assertTrue(answered.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            }
        }
    }

    /** A response read whole, from the shared client's stream or from a socket, so the problem checks apply. */
    private record Answered(int statusCode, HttpHeaders headers, String body, URI uri) implements HttpResponse<String> {
        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(uri).build();
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    /**
     * POSTs on a connection of its own that closes after the answer. A publish attempt that may be
     * refused goes this way, so a connection the container drops after a refusal never ends up in
     * the shared client's pool, to fail the next request (that is checked on its own, by
     * {@link #aRefusedPublishDoesNotCostThePublisherItsConnection}).
     */
    private HttpResponse<String> postAlone(String path, String contentType, String body, Map<String, String> headers)
            throws IOException {
        URI base = server.base();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout((int) WAIT.toMillis());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put("Content-Type", contentType);
            all.put("Connection", "close");
            OutputStream out = socket.getOutputStream();
            out.write(head("POST", path, bytes.length, all));
            out.write(bytes);
            out.flush();
            return readResponse(socket.getInputStream(), base.resolve(path));
        }
    }

    /** A request head for the server under test. */
    private byte[] head(String method, String path, int contentLength, Map<String, String> headers) {
        URI base = server.base();
        StringBuilder head = new StringBuilder(method).append(' ').append(base.getRawPath()).append(path)
                .append(" HTTP/1.1\r\nHost: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
        if (contentLength >= 0) {
            head.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one response off a connection: its head, then a body of Content-Length bytes, chunked, or up to the end. */
    private static Answered readResponse(InputStream in, URI uri) throws IOException {
        String status = line(in);
        if (status == null || !status.startsWith("HTTP/1.")) {
            throw new IOException("no response, got " + status);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
        }
        HttpHeaders httpHeaders = HttpHeaders.of(headers, (name, value) -> true);
        byte[] body;
        if (httpHeaders.firstValue("Transfer-Encoding").orElse("").equalsIgnoreCase("chunked")) {
            java.io.ByteArrayOutputStream chunks = new java.io.ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                chunks.write(in.readNBytes(size));
                line(in);
            }
            body = chunks.toByteArray();
        } else if (httpHeaders.firstValue("Content-Length").isPresent()) {
            body = in.readNBytes(Integer.parseInt(httpHeaders.firstValue("Content-Length").get()));
        } else {
            body = in.readAllBytes();
        }
        return new Answered(Integer.parseInt(status.substring(9, 12)), httpHeaders, new String(body, StandardCharsets.UTF_8), uri);
    }

    private static String line(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static String mercureQuery(String... selectors) {
        return HUB + "?" + Stream.of(selectors).map(s -> param("topic", s)).collect(Collectors.joining("&"));
    }

    // ---- the headline attack -------------------------------------------------------------------------

    @Test
    @Order(1)
    void anonymousMercureWildcardCannotReadGuardedSeedTopics() throws Exception {
        String guarded = "guarded.wild";
        String open = "public.wild";
        publishWithKey(guarded, "wild/guarded-before");
        publishWithKey(open, "wild/public-before");
        try (SseClient live = openStream(mercureQuery("*"), Map.of());
             SseClient replay = openStream(mercureQuery("*") + "&lastEventID=earliest", Map.of());
             SseClient template = openStream(mercureQuery("guarded.{x}", open), Map.of())) {
            publishWithKey(guarded, "wild/guarded-after");
            publishWithKey(open, "wild/marker");
            assertEquals(List.of(), readUntil(live, "wild/marker", false, "wild/"));
            assertEquals(List.of("wild/public-before"), readUntil(replay, "wild/marker", false, "wild/"));
            assertEquals(List.of(), readUntil(template, "wild/marker", false, "wild/"));
        }
    }

    // ---- publishers ----------------------------------------------------------------------------------

    /** A publish attempt with {@code credential} on {@code public.p<n>} or {@code guarded.p<n>}. */
    record PublishCell(int n, Front publisher, Update update, Presented credential) {

        String topic() {
            return update.topicPrefix() + ".p" + n;
        }

        String prefix() {
            return "p" + n + "/";
        }

        int status() {
            return switch (credential.cred()) {
                case NONE, FORGED -> 401;
                case NARROW -> 403;
                case RIGHT -> 200;
            };
        }

        @Override
        public String toString() {
            return "#" + n + " " + publisher.label + " publisher with " + credential.label() + ", " + update.label
                    + " -> " + (status() == 200 ? "published" : "refused " + status() + ", nothing published");
        }
    }

    static Stream<PublishCell> publishCells() {
        List<PublishCell> cells = new ArrayList<>();
        int n = 0;
        for (Front publisher : Front.values()) {
            for (Update update : Update.values()) {
                if (update.isPrivate && publisher == Front.SEED) {
                    continue;
                }
                for (Presented credential : presentations(publisher, false, n)) {
                    cells.add(new PublishCell(++n, publisher, update, credential));
                }
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publishCells")
    @Order(3)
    void noPublisherWritesATopicItsCredentialDoesNotAllow(PublishCell cell) throws Exception {
        String topic = cell.topic();
        String attempt = cell.prefix() + "attempt";
        String marker = cell.prefix() + "marker";
        try (SseClient watcher = openStream("events/" + topic, Map.of("X-API-Key", keyAll))) {
            Map<String, String> headers = new LinkedHashMap<>();
            present(cell.publisher(), cell.credential().place(), credential(cell.credential(), topic), new ArrayList<>(),
                    headers);
            HttpResponse<String> response = cell.publisher() == Front.SEED
                    ? postAlone("publish", "application/json", JSON.writeValueAsString(Map.of("topic", topic, "msg", attempt)), headers)
                    : postAlone(HUB, "application/x-www-form-urlencoded", form(topic, attempt, cell.update().isPrivate, null), headers);
            if (cell.status() == 200) {
                assertEquals(200, response.statusCode(), response.body());
            } else {
                assertProblem(response, cell.status());
            }
            publishWithKey(topic, marker);
            assertEquals(cell.status() == 200 ? List.of(attempt) : List.of(), readUntil(watcher, marker, false, cell.prefix()),
                    cell.toString());
        }
    }

    /**
     * A publisher whose credential is refused learns it from a clean answer and keeps its
     * connection: the container either reads the rest of the request, or says
     * {@code Connection: close}. Clients such as {@code java.net.http} send the head and then the
     * body, and put the connection back in their pool once the answer is in; a connection dropped
     * silently after the answer fails their next request, a publish they will not retry.
     */
    @ParameterizedTest(name = "{0} publisher")
    @EnumSource(Front.class)
    @Order(3)
    void aRefusedPublishDoesNotCostThePublisherItsConnection(Front front) throws Exception {
        String path = front == Front.SEED ? "publish" : HUB;
        String contentType = front == Front.SEED ? "application/json" : "application/x-www-form-urlencoded";
        byte[] body = (front == Front.SEED ? "{\"topic\":\"public.conn\",\"msg\":\"conn\"}" : form("public.conn", "conn", false, null))
                .getBytes(StandardCharsets.UTF_8);
        String forged = token(otherSecret, Flavor.MERCURE_CLAIM, List.of("*"), List.of());
        URI base = server.base();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            OutputStream out = socket.getOutputStream();
            PushbackInputStream in = new PushbackInputStream(socket.getInputStream(), 1);
            out.write(head("POST", path, body.length, Map.of("Content-Type", contentType, "Authorization", "Bearer " + forged)));
            out.flush();
            // The body follows the head once the server has answered, or once it is plain it waits for the body.
            boolean answeredBeforeTheBody;
            socket.setSoTimeout(1_000);
            try {
                int first = in.read();
                assertTrue(first >= 0, "the connection closed without an answer");
                in.unread(first);
                answeredBeforeTheBody = true;
            } catch (SocketTimeoutException waitsForTheBody) {
                answeredBeforeTheBody = false;
            }
            socket.setSoTimeout((int) WAIT.toMillis());
            Answered refusal;
            if (answeredBeforeTheBody) {
                refusal = readResponse(in, base.resolve(path));
            } else {
                out.write(body);
                out.flush();
                refusal = readResponse(in, base.resolve(path));
            }
            assertProblem(refusal, 401);
            if (refusal.headers().firstValue("Connection").orElse("").equalsIgnoreCase("close")) {
                return; // announced: the client knows to open another connection
            }
            try {
                if (answeredBeforeTheBody) {
                    out.write(body);
                }
                out.write(head("GET", "healthz", -1, Map.of()));
                out.flush();
                assertEquals(200, readResponse(in, base.resolve("healthz")).statusCode());
            } catch (IOException dropped) {
                fail("the " + front.label + " publish was refused with a 401 "
                        + (answeredBeforeTheBody ? "before its body was read" : "after its body was read")
                        + " that did not say Connection: close, and then the connection was dropped: " + dropped);
            }
        }
    }

    /** With readers needing credentials, a token must say when it ends, whichever key and claim it carries. */
    @Test
    @Order(4)
    void aTokenThatNeverExpiresOpensNothing() throws Exception {
        String topic = "guarded.forever";
        for (String claim : List.of("ssehub", "mercure")) {
            String forever = Tokens.hmac(JWSAlgorithm.HS256, secretBytes, new JWTClaimsSet.Builder()
                    .claim(claim, Map.of("publish", List.of("*"), "subscribe", List.of("*"))).build());
            Map<String, String> bearer = Map.of("Authorization", "Bearer " + forever);
            assertStreamRefused(new StreamGet("events/" + topic, bearer), 401);
            assertStreamRefused(new StreamGet(mercureQuery(topic), bearer), 401);
            assertProblem(postAlone("publish", "application/json",
                    JSON.writeValueAsString(Map.of("topic", topic, "msg", "forever")), bearer), 401);
            assertProblem(postAlone(HUB, "application/x-www-form-urlencoded", form(topic, "forever", false, null), bearer), 401);
        }
    }

    // ---- the hub's ids -------------------------------------------------------------------------------

    @Test
    @Order(4)
    void aPublisherCannotTakeTheHubsIdsToRedirectResumingReaders() throws Exception {
        String topic = "public.ids";
        try (SseClient watcher = openStream(mercureQuery(topic), Map.of())) {
            String first = publishWithKey(topic, "ids/1");
            int dash = first.lastIndexOf('-');
            String epoch = first.substring(0, dash);
            long seq = Long.parseLong(first.substring(dash + 1));
            for (String forged : List.of(epoch + "-" + (seq + 1), epoch + "-" + (seq + 1000), first, "earliest")) {
                HttpResponse<String> response = mercurePublish(form(topic, "ids/forged " + forged, false, forged),
                        Map.of("Authorization", "Bearer " + mercurePublisher()));
                assertProblem(response, 409);
                assertTrue(JSON.readTree(response.body()).get("type").asText().endsWith("reserved-id"), response.body());
            }
            String second = publishWithKey(topic, "ids/2");
            String third = publishByMercure(topic, "ids/3", false);
            publishWithKey(topic, "ids/marker");
            assertEquals(List.of("ids/1", "ids/2", "ids/3"), readUntil(watcher, "ids/marker", false, "ids/"),
                    "no forged update was published");

            try (SseClient resumed = openStream("events/" + topic, Map.of("Last-Event-ID", first))) {
                List<SseParser.Event> events = new ArrayList<>();
                while (events.size() < 3) {
                    SseParser.Event event = resumed.next(WAIT);
                    if (event.type().equals("message")) {
                        events.add(event);
                    }
                }
                assertEquals(List.of("ids/2", "ids/3", "ids/marker"), events.stream().map(SseParser.Event::data).toList());
                assertEquals(List.of(second, third), events.subList(0, 2).stream().map(SseParser.Event::id).toList());
                publishWithKey(topic, "ids/after");
                assertEquals("ids/after", nextData(resumed), "then live, with nothing in between");
            }
        }
    }

    // ---- the operational endpoints -------------------------------------------------------------------

    /** Who asks an operational endpoint, and what they must get. */
    enum Caller { NOBODY, FORGED_ADMIN_TOKEN, UNKNOWN_KEY, SUBSCRIBER_TOKEN, MERCURE_TOKEN, PUBLISHER_KEY, OPS_KEY, ADMIN_TOKEN }

    private String credential(Caller caller) {
        return switch (caller) {
            case NOBODY -> null;
            case FORGED_ADMIN_TOKEN -> jwt(otherSecret, "ssehub", Map.of("admin", true, "subscribe", List.of("*")));
            case UNKNOWN_KEY -> keyUnknown;
            case SUBSCRIBER_TOKEN -> token(secretBytes, Flavor.SSEHUB_CLAIM, List.of("*"), List.of("*"));
            case MERCURE_TOKEN -> token(secretBytes, Flavor.MERCURE_CLAIM, List.of("*"), List.of("*"));
            case PUBLISHER_KEY -> keyAll;
            case OPS_KEY -> opsKey;
            case ADMIN_TOKEN -> jwt(secretBytes, "ssehub", Map.of("admin", true));
        };
    }

    private static int opsStatus(Caller caller) {
        return switch (caller) {
            case NOBODY, FORGED_ADMIN_TOKEN, UNKNOWN_KEY -> 401;
            case SUBSCRIBER_TOKEN, MERCURE_TOKEN, PUBLISHER_KEY -> 403;
            case OPS_KEY, ADMIN_TOKEN -> 200;
        };
    }

    private HttpResponse<String> getAs(Caller caller, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.base().resolve(path)).GET();
        String credential = credential(caller);
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return http.send(request);
    }

    static Stream<Arguments> operatorCalls() {
        return Stream.of(Caller.values()).flatMap(caller -> Stream.of("metrics", "topics/guarded.ops-existing",
                "topics/guarded.ops-missing").map(path -> Arguments.of(caller, path)));
    }

    @ParameterizedTest(name = "{0} GET /{1}")
    @MethodSource("operatorCalls")
    @Order(4)
    void onlyAnOperatorReadsMetricsOrProbesTopics(Caller caller, String path) throws Exception {
        publishWithKey("guarded.ops-existing", "ops/exists");
        HttpResponse<String> response = getAs(caller, path);
        int status = opsStatus(caller);
        if (status != 200) {
            assertProblem(response, status);
            assertFalse(response.body().contains("ops-existing"), "a refusal says nothing about the topic");
            return;
        }
        if (path.equals("metrics")) {
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("ssehub_"), "the metrics");
        } else if (path.endsWith("existing")) {
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("guarded.ops-existing", JSON.readTree(response.body()).get("topic").asText());
        } else {
            assertProblem(response, 404);
        }
    }

    @Test
    @Order(4)
    void aRefusedTopicProbeCannotTellWhetherTheTopicExists() throws Exception {
        publishWithKey("guarded.probe-existing", "probe/exists");
        for (Caller caller : Caller.values()) {
            if (opsStatus(caller) == 200) {
                continue;
            }
            HttpResponse<String> existing = getAs(caller, "topics/guarded.probe-existing");
            HttpResponse<String> missing = getAs(caller, "topics/guarded.probe-missing");
            assertProblem(existing, opsStatus(caller));
            assertProblem(missing, opsStatus(caller));
            assertEquals(withoutRequestId(existing), withoutRequestId(missing), caller.name());
            assertEquals(existing.headers().firstValue("WWW-Authenticate"), missing.headers().firstValue("WWW-Authenticate"),
                    caller.name());
        }
    }

    private static JsonNode withoutRequestId(HttpResponse<String> response) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode problem =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(response.body());
        problem.remove("requestId");
        return problem;
    }

    @Test
    @Order(4)
    void healthAndReadinessTellAnonymousCallersNothingAboutTopics() throws Exception {
        HttpResponse<String> health = http.get("healthz");
        assertEquals(200, health.statusCode(), health.body());
        assertEquals(JSON.readTree("{\"status\":\"up\"}"), JSON.readTree(health.body()));
        HttpResponse<String> ready = http.get("readyz");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode checks = JSON.readTree(ready.body()).get("checks");
        assertTrue(checks.isObject(), ready.body());
        assertTrue(checks.path("credentials").isBoolean() && checks.get("credentials").asBoolean(), ready.body());
    }

    // ---- secrets on the command line -----------------------------------------------------------------

    @Test
    @Order(5)
    void aSecretGivenAsASystemPropertyIsFlaggedWithoutBeingLogged() throws Exception {
        String property = "ssehub.jwt.secret";
        String onTheCommandLine = "command-line-secret-" + "c".repeat(32) + "-" + System.nanoTime();
        try (LogCapture logs = new LogCapture()) {
            TestServer extra;
            System.setProperty(property, onTheCommandLine);
            try {
                extra = container.start(params());
            } finally {
                System.clearProperty(property);
            }
            try (TestServer started = extra) {
                assertEquals(200, new Http(started.base()).get("healthz").statusCode());
            }
            List<String> lines = logs.lines("io.ssehub");
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("WARN ") && line.contains(property)
                    && line.contains("system property")), "a warning naming " + property + " in " + lines);
            for (String line : lines) {
                assertFalse(line.contains(onTheCommandLine), "a log line holds the secret: "
                        + line.replace(onTheCommandLine, "<SECRET>"));
            }
        }
    }

    // ---- withdrawn and broken keys (last: they rewrite the key file) --------------------------------

    @Test
    @Order(8)
    void aWithdrawnApiKeyLosesTheStreamsItOpened() throws Exception {
        String topic = "guarded.revoke";
        try (SseClient seed = openStream("events/" + topic, Map.of("X-API-Key", keyRevocable));
             SseClient mercure = openStream(mercureQuery(topic), Map.of("Authorization", "Bearer " + keyRevocable));
             SseClient kept = openStream("events/" + topic, Map.of("X-API-Key", keyRight))) {
            publishWithKey(topic, "revoke/1");
            for (SseClient client : List.of(seed, mercure, kept)) {
                assertEquals("revoke/1", nextData(client), "every stream is live before the key goes");
            }
            rewriteKeys(keyLines(false));
            seed.readToEnd(REVOCATION);
            mercure.readToEnd(REVOCATION);

            publishWithKey(topic, "revoke/2");
            assertEquals("revoke/2", nextData(kept), "a stream of a key still in the file stays open");
            assertProblem(seedPublish(topic, "revoke/refused", Map.of("X-API-Key", keyRevocable)), 401);
            assertStreamRefused(new StreamGet("events/" + topic, Map.of("X-API-Key", keyRevocable)), 401);
            assertEquals(200, seedPublish(topic, "revoke/3", Map.of("X-API-Key", keyRight)).statusCode());
        } finally {
            rewriteKeys(keyLines(true));
        }
    }

    @Test
    @Order(9)
    void aBrokenKeyFileRefusesEveryApiKeyUntilItIsFixed() throws Exception {
        String topic = "guarded.broken";
        try (SseClient seed = openStream("events/" + topic, Map.of("X-API-Key", keyAll));
             SseClient mercure = openStream(mercureQuery("*"), Map.of("Cookie", "mercureAuthorization=" + keyRight))) {
            rewriteKeys(keyLines(true) + "not-a-digest\n");
            seed.readToEnd(REVOCATION);
            mercure.readToEnd(REVOCATION);

            for (String key : List.of(keyAll, keyRight, keyNarrow, keyRevocable)) {
                assertProblem(seedPublish(topic, "broken/refused", Map.of("X-API-Key", key)), 401);
                assertStreamRefused(new StreamGet("events/" + topic, Map.of("X-API-Key", key)), 401);
                assertStreamRefused(new StreamGet(mercureQuery(topic), Map.of("Authorization", "Bearer " + key)), 401);
            }
            HttpResponse<String> notReady = http.get("readyz");
            assertProblem(notReady, 503);
            assertFalse(JSON.readTree(notReady.body()).path("checks").path("credentials").asBoolean(true), notReady.body());
            String token = token(secretBytes, Flavor.SSEHUB_CLAIM, List.of(topic), List.of(topic));
            assertEquals(200, seedPublish(topic, "broken/token", Map.of("Authorization", "Bearer " + token)).statusCode(),
                    "tokens do not depend on the key file");

            rewriteKeys(keyLines(true));
            Await.until(WAIT, () -> status(() -> http.get("readyz")) == 200, "readiness once the file is fixed");
            HttpResponse<String> ready = http.get("readyz");
            assertTrue(JSON.readTree(ready.body()).path("checks").path("credentials").asBoolean(false), ready.body());
            assertEquals(200, seedPublish(topic, "broken/fixed", Map.of("X-API-Key", keyAll)).statusCode());
        } finally {
            rewriteKeys(keyLines(true));
        }
    }

    private static int status(Call call) {
        try {
            return call.send().statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @FunctionalInterface
    interface Call {
        HttpResponse<String> send() throws Exception;
    }
}
