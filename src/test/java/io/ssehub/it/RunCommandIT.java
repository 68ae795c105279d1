package io.ssehub.it;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.xml.XmlConfiguration;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connector of the README's run command ({@code mvn jetty:run}), built from the very XML the
 * plugin applies ({@code war/src/jetty/jetty-run.xml}) on a real Jetty: the port it serves on, and
 * what its answers say of the server.
 */
class RunCommandIT {

    static final Path XML = Path.of("war/src/jetty/jetty-run.xml");

    @Test
    void servesOnPort8080UnlessAnotherIsGiven() throws Exception {
        assertEquals(8080, connectorOf(configured(Map.of())).getPort());
        assertEquals(8081, connectorOf(configured(Map.of("jetty.http.port", "8081"))).getPort());
    }

    @Test
    void noAnswerNamesTheServersSoftwareAndVersionForAnAttackerToLookUp() throws Exception {
        Server server = configured(Map.of("jetty.http.port", "0"));
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + connectorOf(server).getLocalPort() + "/");
            HttpResponse<Void> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(base).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(200, answer.statusCode());
            assertTrue(answer.headers().firstValue("Server").isEmpty(), answer.headers().map().toString());
        } finally {
            server.stop();
        }
    }

    private static Server configured(Map<String, String> properties) throws Exception {
        Server server = new Server();
        XmlConfiguration xml = new XmlConfiguration(ResourceFactory.root().newResource(XML));
        xml.getIdMap().put("Server", server);
        xml.getProperties().putAll(properties);
        xml.configure();
        return server;
    }

    private static ServerConnector connectorOf(Server server) {
        assertEquals(1, server.getConnectors().length, "one connector, the XML's");
        return (ServerConnector) server.getConnectors()[0];
    }
}
