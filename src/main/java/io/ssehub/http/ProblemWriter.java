package io.ssehub.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssehub.http.filter.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;

/**
 * Renders a {@link ProblemException} as an RFC 9457 body:
 * <pre>
 * {"type":"urn:ssehub:problem:invalid-topic","title":"Invalid topic","status":400,
 *  "detail":"...","requestId":"..."}
 * </pre>
 * Never throws: a response that is already committed, or a client that is gone, is logged at
 * debug level and left alone. A problem answered before the request's body was read (a refused
 * credential, a limit, shutdown, a body deadline) carries {@code Connection: close}: the rest of a
 * small body is read and thrown away without a thread once the answer is out ({@link Lingering}),
 * and a larger one is dropped with its connection ({@link UnreadBodies}).
 */
public final class ProblemWriter {

    public static final String CONTENT_TYPE = "application/problem+json";

    private static final Logger log = LoggerFactory.getLogger(ProblemWriter.class);

    private final ObjectMapper json;

    public ProblemWriter(ObjectMapper json) {
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ProblemException problem) {
        if (response.isCommitted()) {
            log.debug("cannot send {} {}: response already committed", problem.status(), problem.detail());
            return;
        }
        try {
            response.resetBuffer();
            response.setStatus(problem.status());
            response.setContentType(CONTENT_TYPE);
            response.setCharacterEncoding("UTF-8");
            for (Map.Entry<String, String> header : problem.headers().entrySet()) {
                response.setHeader(header.getKey(), header.getValue());
            }
            boolean unread = BodyReader.unread(request);
            if (unread) {
                response.setHeader("Connection", "close");
            }
            ObjectNode body = json.createObjectNode()
                    .put("type", problem.type())
                    .put("title", problem.title())
                    .put("status", problem.status())
                    .put("detail", problem.detail());
            problem.extensions().forEach((name, value) -> body.set(name, json.valueToTree(value)));
            String requestId = RequestIdFilter.of(response);
            if (requestId != null) {
                body.put("requestId", requestId);
            }
            byte[] bytes = json.writeValueAsBytes(body);
            boolean lingers = unread && Lingering.applies(request);
            if (!lingers || !Lingering.answerLeavesLengthUndeclared(request)) {
                response.setContentLength(bytes.length);
            }
            response.getOutputStream().write(bytes);
            if (unread && !(lingers && Lingering.afterAnswer(request, response))) {
                UnreadBodies.dropAfterAnswer(request, response);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("could not send problem {}: {}", problem.status(), e.toString());
        }
    }
}
