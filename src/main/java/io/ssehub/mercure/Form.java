package io.ssehub.mercure;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An {@code application/x-www-form-urlencoded} body, decoded as UTF-8; repeated names keep their order. */
final class Form {

    private final Map<String, List<String>> fields;

    private Form(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    /** @throws io.ssehub.http.ProblemException 400 for broken percent-encoding */
    static Form parse(byte[] body) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        if (!text.isEmpty()) {
            for (String pair : text.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                try {
                    String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    fields.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                } catch (IllegalArgumentException e) {
                    throw MercureRequests.bad("the form body has broken percent-encoding");
                }
            }
        }
        return new Form(fields);
    }

    List<String> all(String name) {
        return fields.getOrDefault(name, List.of());
    }

    /** The field's value; 400 if it is given more than once. */
    String one(String name) {
        List<String> values = all(name);
        if (values.size() > 1) {
            throw MercureRequests.bad("the field " + name + " may be given once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    boolean has(String name) {
        return fields.containsKey(name);
    }
}
