package io.ssehub.testing;

import io.ssehub.api.HubUnavailableException;
import io.ssehub.api.Receipt;
import io.ssehub.api.SseHub;
import io.ssehub.api.TopicStatus;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A host application's own servlet that publishes from its code, as docs/deployment.md shows: it does its
 * work (here it only reads the order) and then publishes through the {@link SseHub} in its
 * servlet context, with no HTTP call and no credential. {@code POST} publishes the body to
 * {@code orders} as an {@code order-placed} event and answers {@code 201 <id> <delivered>};
 * {@code GET ?topic=} answers {@code <subscribers> <lastEventId> <retained>} from
 * {@link SseHub#topic}.
 *
 * <p>The embedding test deploys this class in the host's {@code WEB-INF/classes}, so it sees the
 * API of the {@code ssehub-core.jar} in the host's {@code WEB-INF/lib}, as a real host does.
 */
public final class HostOrderServlet extends HttpServlet {

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String order = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // The host's own work would be here, e.g. connection.commit().
        SseHub hub = SseHub.from(getServletContext());
        try {
            Receipt receipt = hub.publish("orders", order, "order-placed", null);
            answer(response, 201, receipt.id() + " " + receipt.delivered());
        } catch (IllegalArgumentException e) {
            answer(response, 400, e.getMessage());
        } catch (HubUnavailableException e) {
            response.setHeader("Retry-After", Long.toString(e.retryAfter().toSeconds()));
            answer(response, 503, e.reason() + ": " + e.getMessage());
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<TopicStatus> topic = SseHub.from(getServletContext()).topic(request.getParameter("topic"));
        if (topic.isEmpty()) {
            answer(response, 404, "no such topic");
            return;
        }
        TopicStatus status = topic.get();
        answer(response, 200, status.subscribers() + " " + status.lastEventId() + " " + status.retained());
    }

    private static void answer(HttpServletResponse response, int status, String text) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }
}
