package io.ssehub.it;

import io.ssehub.testing.Await;
import io.ssehub.testing.HeadlessChromium;
import io.ssehub.testing.Http;
import io.ssehub.testing.JettyServer;
import io.ssehub.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real browser ({@link HeadlessChromium}). The server closes every stream after a few
 * seconds ({@code ssehub.stream.maxLifetime}), which is how the page's resume is put to the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Path SCREENSHOT = Path.of("target/console.png");

    private TestServer server;
    private HeadlessChromium chromium;
    private ChromeDriver browser;

    @BeforeAll
    void start() throws Exception {
        server = JettyServer.FACTORY.start(Map.of("ssehub.tick.interval", "1s", "ssehub.stream.maxLifetime", "4s"));
        chromium = new HeadlessChromium();
        browser = chromium.browser();
    }

    @AfterAll
    void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theConsoleShowsTicksPublishesFromItsFormAndResumesWithoutLossAfterTheServerCutsItsStream()
            throws Exception {
        browser.get(server.base().toString());
        awaitRow("system", "tick at", "a tick");

        submit("subscribe", Map.of("topics", "system browser"));
        awaitRow("system browser", "subscribed to \"system\", \"browser\"", "the ready frame of the new stream");

        submit("publish", Map.of("topic", "browser", "msg", "hello from the form", "event", "greeting"));
        awaitRow("browser", "hello from the form", "the event published from the form");
        assertTrue(text("result").startsWith("published "), text("result"));
        assertEquals("greeting", row("browser", "hello from the form").getAttribute("data-type"));

        Http http = new Http(server.base());
        for (int i = 0; i < 5; i++) {
            http.post("publish", "{\"topic\":\"browser\",\"msg\":\"n-" + i + "\"}");
        }
        awaitRow("browser", "n-4", "the events published while connected");
        int reconnectsBefore = Integer.parseInt(text("reconnects"));

        // The server closes the stream when it is 4 s old; the browser waits its retry time.
        Await.until(WAIT, () -> text("state").equals("reconnecting"), "the server to cut the stream");
        String lastId = null;
        for (int i = 5; i < 10; i++) {
            String answer = http.post("publish", "{\"topic\":\"browser\",\"msg\":\"n-" + i + "\"}").body();
            lastId = ItSupport.JSON.readTree(answer).get("id").asText();
        }
        Await.until(WAIT, () -> text("state").equals("open")
                && Integer.parseInt(text("reconnects")) > reconnectsBefore, "the page to reconnect");
        awaitRow("browser", "n-9", "the events published while disconnected");

        List<String> numbered = new ArrayList<>();
        for (WebElement row : browser.findElements(By.cssSelector("#events tr[data-topic='browser']"))) {
            String data = row.findElement(By.cssSelector("td.data")).getText();
            if (data.startsWith("n-")) {
                numbered.add(0, data); // the newest row is on top
            }
        }
        assertEquals(IntStream.range(0, 10).mapToObj(i -> "n-" + i).toList(), numbered,
                "every event exactly once, in order, across the reconnect");
        String resumeAt = lastId;
        Await.until(WAIT, () -> !text("resume").isEmpty() && idSeq(text("resume")) >= idSeq(resumeAt),
                "the resume id to move past the last event");

        Await.until(WAIT, () -> !text("stat-rate").equals("–") && !text("stat-streams").equals("–"),
                "the hub numbers");
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));
    }

    private static long idSeq(String id) {
        return Long.parseLong(id.substring(id.indexOf('-') + 1));
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private void submit(String form, Map<String, String> fields) {
        WebElement element = browser.findElement(By.id(form));
        fields.forEach((name, value) -> {
            WebElement input = element.findElement(By.name(name));
            input.clear();
            input.sendKeys(value);
        });
        element.findElement(By.tagName("button")).click();
    }

    private WebElement row(String topic, String dataStart) {
        for (WebElement row : browser.findElements(By.cssSelector("#events tr"))) {
            if (topic.equals(row.getAttribute("data-topic"))
                    && row.findElement(By.cssSelector("td.data")).getText().startsWith(dataStart)) {
                return row;
            }
        }
        return null;
    }

    private void awaitRow(String topic, String dataStart, String what) {
        Await.until(WAIT, () -> row(topic, dataStart) != null, what);
    }
}
