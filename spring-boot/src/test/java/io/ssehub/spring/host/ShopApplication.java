package io.ssehub.spring.host;

import io.ssehub.api.Receipt;
import io.ssehub.api.SseHub;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application as a user writes one: its own endpoints, ssehub-spring-boot as a
 * dependency, its settings in {@code application.properties}.
 */
@SpringBootApplication
public class ShopApplication {

    @RestController
    static class Orders {
        private final SseHub hub;

        Orders(SseHub hub) {
            this.hub = hub;
        }

        @PostMapping("/orders")
        ResponseEntity<String> place(@RequestBody String order) {
            // the shop's own work (a database commit) would come first
            Receipt receipt = hub.publish("orders", order, "order-placed", null);
            return ResponseEntity.status(201).body(receipt.id() + " " + receipt.delivered());
        }

        @GetMapping("/hello")
        String hello() {
            return "hello from the shop";
        }
    }
}
