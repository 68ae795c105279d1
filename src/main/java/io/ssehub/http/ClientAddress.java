package io.ssehub.http;

import jakarta.servlet.http.HttpServletRequest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who a request comes from, for every per-client decision (streams, topics, publish rates): the
 * peer's address, unless the peer is a configured proxy. A request from a trusted proxy names its
 * client in {@code Forwarded: for=...} (RFC 7239) or, without it, {@code X-Forwarded-For}; each
 * proxy appends the address it received the request from, so the list is read from the right, past
 * every trusted proxy, and the first address that is not one is the client. A request from anyone
 * else is judged by its peer address whatever it says in these headers, or every client could name
 * itself anew with each request. An entry that is no IP address ({@code unknown}, an obfuscated
 * name) stops the walk at the proxy that wrote it, which is then taken for the client.
 *
 * <p>Addresses are compared in one canonical form, whatever form the container or the proxy wrote
 * ({@code [::1]}, {@code ::1} and {@code 0:0:0:0:0:0:0:1} are one client).
 * Thread-safe and immutable. The answer is worked out anew at each call rather than kept on the
 * request: it takes well under a microsecond, and a request attribute would cost a stream's
 * request a map of its own (about 200 bytes on Undertow) for as long as the stream is open.
 */
public final class ClientAddress {

    /** Trusts no proxy: every request is its peer. */
    public static final ClientAddress DIRECT = new ClientAddress(List.of());

    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** An address block: the first {@code bits} bits of {@code prefix}. */
    private record Block(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    private final List<Block> proxies;

    private ClientAddress(List<Block> proxies) {
        this.proxies = proxies;
    }

    /**
     * @param trusted comma-separated addresses and CIDR blocks of the proxies in front of ssehub,
     *                e.g. {@code 10.0.0.0/8,::1}; empty trusts none
     * @throws IllegalArgumentException naming an entry that is not an address or block
     */
    public static ClientAddress trusting(String trusted) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : trusted.split(",")) {
            String text = entry.trim();
            if (text.isEmpty()) {
                continue;
            }
            int slash = text.indexOf('/');
            byte[] address = parse(slash < 0 ? text : text.substring(0, slash));
            int bits = address == null ? -1 : address.length * 8;
            if (address != null && slash >= 0) {
                String length = text.substring(slash + 1);
                bits = length.matches("\\d{1,3}") ? Integer.parseInt(length) : -1;
            }
            if (address == null || bits < 0 || bits > address.length * 8) {
                throw new IllegalArgumentException("an IP address or CIDR block such as 10.0.0.0/8 or ::1, not " + text);
            }
            blocks.add(new Block(address, bits));
        }
        return blocks.isEmpty() ? DIRECT : new ClientAddress(List.copyOf(blocks));
    }

    /** The client's address, canonical. */
    public String of(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        byte[] hop = parse(peer);
        if (hop == null) {
            return peer;
        }
        String client = canonical(hop);
        if (!trusted(hop)) {
            return client;
        }
        List<String> chain = forwarded(request);
        for (int i = chain.size() - 1; i >= 0; i--) {
            hop = parse(chain.get(i));
            if (hop == null) {
                return client; // the trusted proxy that wrote it
            }
            client = canonical(hop);
            if (!trusted(hop)) {
                return client;
            }
        }
        return client;
    }

    /** The trusted blocks, as configured, or {@code none}. */
    @Override
    public String toString() {
        if (proxies.isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        for (Block block : proxies) {
            text.append(text.isEmpty() ? "" : ",").append(canonical(block.prefix())).append('/').append(block.bits());
        }
        return text.toString();
    }

    private boolean trusted(byte[] address) {
        for (Block block : proxies) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code for=} values of {@code Forwarded}, else the entries of {@code X-Forwarded-For}, in order. */
    private static List<String> forwarded(HttpServletRequest request) {
        List<String> chain = new ArrayList<>();
        for (String header : values(request, "Forwarded")) {
            for (String element : header.split(",")) {
                for (String pair : element.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
                        chain.add(node(pair.substring(eq + 1).trim()));
                    }
                }
            }
        }
        if (!chain.isEmpty()) {
            return chain;
        }
        for (String header : values(request, "X-Forwarded-For")) {
            for (String entry : header.split(",")) {
                chain.add(entry.trim());
            }
        }
        return chain;
    }

    private static List<String> values(HttpServletRequest request, String name) {
        Enumeration<String> headers = request.getHeaders(name);
        return headers == null ? List.of() : Collections.list(headers);
    }

    /** A {@code Forwarded} node without quotes, brackets and port: {@code "[2001:db8::1]:4711"} is {@code 2001:db8::1}. */
    private static String node(String value) {
        String node = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
        if (node.startsWith("[")) {
            int close = node.indexOf(']');
            return close < 0 ? node : node.substring(1, close);
        }
        int colon = node.indexOf(':');
        return colon >= 0 && colon == node.lastIndexOf(':') ? node.substring(0, colon) : node;
    }

    /** The bytes of an IP address literal, or {@code null} for anything else (never a name lookup). */
    private static byte[] parse(String written) {
        if (written == null) {
            return null;
        }
        String text = written.startsWith("[") && written.endsWith("]") ? written.substring(1, written.length() - 1) : written;
        byte[] v4 = ipv4(text);
        if (v4 != null) {
            return v4;
        }
        if (!IPV6.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress(); // with a colon, a literal or an error, never a lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * The four bytes of dotted-decimal {@code text} (four numbers of one to three digits, each up to
     * 255), else {@code null}. Read here, not by {@link InetAddress}: that looks up in the DNS
     * what only looks like an address ({@code 256.1.1.1}, perhaps a forwarded header's), and it took
     * a regular expression and a tenth of a stream's opening in its request on Undertow.
     */
    private static byte[] ipv4(String text) {
        byte[] address = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9' && digits < 3) {
                value = value * 10 + (c - '0');
                digits++;
            } else if (c == '.' && digits > 0 && part < 3 && value <= 255) {
                address[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        if (part != 3 || digits == 0 || value > 255) {
            return null;
        }
        address[3] = (byte) value;
        return address;
    }

    private static String canonical(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + address.length + " bytes", e);
        }
    }
}
