package io.ssehub.http;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouterTest {

    private final Handler index = (req, res, p) -> { };
    private final Handler events = (req, res, p) -> { };
    private final Handler publish = (req, res, p) -> { };
    private final Router router = new Router()
            .add("GET", "/", index)
            .add("GET", "/events/{topic}", events)
            .add("POST", "/publish", publish);

    @Test
    void matchesTheRoot() {
        assertSame(index, router.match("GET", "/").handler());
        assertSame(index, router.match("GET", "").handler());
    }

    @Test
    void capturesAndDecodesParameters() {
        Router.Match match = router.match("GET", "/events/a%40b%3Ac");
        assertSame(events, match.handler());
        assertEquals(Map.of("topic", "a@b:c"), match.params());
    }

    @Test
    void plusIsLiteralInAPath() {
        assertEquals("a+b", router.match("GET", "/events/a+b").params().get("topic"));
    }

    @Test
    void percentEncodedSlashStaysInsideTheParameter() {
        assertEquals("a/b", router.match("GET", "/events/a%2Fb").params().get("topic"));
    }

    @Test
    void emptyParameterMatchesSoTheHandlerCanRefuseIt() {
        assertEquals("", router.match("GET", "/events/").params().get("topic"));
    }

    @Test
    void unknownPathIs404() {
        assertEquals(404, assertThrows(ProblemException.class, () -> router.match("GET", "/nope")).status());
        assertEquals(404, assertThrows(ProblemException.class, () -> router.match("GET", "/events/a/b")).status());
        assertEquals(404, assertThrows(ProblemException.class, () -> router.match("GET", "/events")).status());
        assertEquals(404, assertThrows(ProblemException.class, () -> router.match("GET", "/publish/")).status());
    }

    @Test
    void wrongMethodIs405WithAllow() {
        ProblemException e = assertThrows(ProblemException.class, () -> router.match("DELETE", "/publish"));
        assertEquals(405, e.status());
        assertEquals(Map.of("Allow", "POST"), e.headers());
    }

    @Test
    void allowListsEveryMethodOfThePath() {
        Router twoMethods = new Router().add("GET", "/x", index).add("POST", "/x", publish);
        assertEquals("GET, HEAD, POST", assertThrows(ProblemException.class, () -> twoMethods.match("PUT", "/x")).headers().get("Allow"));
    }

    @Test
    void headIsAnsweredByTheGetRoute() {
        assertSame(events, router.match("HEAD", "/events/x").handler());
        assertEquals(Map.of("Allow", "POST"), assertThrows(ProblemException.class, () -> router.match("HEAD", "/publish")).headers());
    }

    @Test
    void brokenPercentEncodingIs400() {
        assertEquals(400, assertThrows(ProblemException.class, () -> router.match("GET", "/events/a%ZZ")).status());
        assertEquals(400, assertThrows(ProblemException.class, () -> router.match("GET", "/events/a%2")).status());
    }
}
