package io.ssehub.bench.springpeer;

import java.io.IOException;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The hub's three routes. */
@RestController
public class HubController {

    /** A publish request's body. */
    public record PublishRequest(String topic, String msg) {
    }

    private final Topics topics;

    public HubController(Topics topics) {
        this.topics = topics;
    }

    /**
     * Opens a stream on {@code topic}. The emitter never times out (0: the servlet container's
     * "no timeout"), as a stream is meant to stay open; its first event says it is subscribed,
     * which also sends the response head at once.
     */
    @GetMapping(path = "/events/{topic}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter subscribe(@PathVariable String topic) throws IOException {
        SseEmitter emitter = new SseEmitter(0L);
        topics.subscribe(topic, emitter);
        emitter.send(SseEmitter.event().name("ready").data("subscribed to \"" + topic + "\""));
        return emitter;
    }

    /** Delivers {@code msg} to the topic's subscribers; 422 when either field is missing or empty. */
    @PostMapping(path = "/publish", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> publish(@RequestBody PublishRequest request) {
        if (request.topic() == null || request.topic().isEmpty() || request.msg() == null || request.msg().isEmpty()) {
            throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "topic and msg are required");
        }
        int delivered = topics.publish(request.topic(), request.msg());
        return Map.of("delivered", delivered, "topic", request.topic());
    }

    /** 200 once the application serves requests. */
    @GetMapping("/readyz")
    public String ready() {
        return "ok";
    }
}
