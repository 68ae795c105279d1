package io.ssehub.bench.springpeer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The publish/subscribe hub a Spring developer would write with {@code SseEmitter}, serving the
 * API the benchmark speaks to ssehub: {@code GET /events/{topic}} streams, {@code POST /publish}
 * with {@code {"topic":"..","msg":".."}} delivers, {@code GET /readyz} answers 200 once serving.
 *
 * <p>Usage: {@code java -jar spring-peer.jar --server.port=8080}.
 */
@SpringBootApplication
public class SpringPeerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SpringPeerApplication.class, args);
    }
}
