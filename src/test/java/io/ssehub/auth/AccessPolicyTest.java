package io.ssehub.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one decision point, without HTTP: who reads what, who receives a private update. */
class AccessPolicyTest {

    private static final Set<AccessPolicy.Method> KEYS = EnumSet.of(AccessPolicy.Method.APIKEY);

    @TempDir
    Path dir;

    /** Readers need a key except on public.*; key "news" allows news.*, key "all" every topic. */
    private AccessPolicy guarded() throws IOException {
        Path file = Files.writeString(dir.resolve("keys"), ApiKeys.digestOf("news") + " news.*\n");
        return AccessPolicy.builder().publish(KEYS).subscribe(KEYS).publicTopics(TopicPatterns.parse("public.*"))
                .apiKeys(new ApiKeys(ApiKeys.digestOf("all"), file)).opsOpen(false).build();
    }

    @Test
    void noCredentialReadsPublicTopicsOnlyAndNeverAPrivateUpdate() throws IOException {
        AccessPolicy policy = guarded();
        Grant anonymous = policy.reader(null);
        assertSame(Grant.ANONYMOUS, anonymous);
        assertTrue(policy.mayRead(anonymous, "public.a"));
        assertFalse(policy.mayRead(anonymous, "news.a"));
        assertEquals(AuthFailure.Kind.MISSING,
                assertThrows(AuthFailure.class, () -> policy.checkRead(anonymous, List.of("public.a", "news.a"))).kind());
        assertTrue(policy.mayReceive(anonymous, List.of("public.a"), false));
        assertFalse(policy.mayReceive(anonymous, List.of("public.a"), true), "public does not open private");
        assertFalse(policy.mayReceive(anonymous, List.of("news.a"), false));
    }

    @Test
    void aNarrowCredentialIsForbiddenWhatItDoesNotName() throws IOException {
        AccessPolicy policy = guarded();
        Grant news = policy.reader("news");
        policy.checkRead(news, List.of("public.a", "news.a"));
        assertEquals(AuthFailure.Kind.FORBIDDEN,
                assertThrows(AuthFailure.class, () -> policy.checkRead(news, List.of("sport.a"))).kind());
        assertTrue(policy.mayReceive(news, List.of("news.a"), true));
        assertFalse(policy.mayReceive(news, List.of("public.a"), true));
        assertTrue(policy.mayReceive(news, List.of("sport.a", "news.b"), true), "an alternate topic it names");
    }

    @Test
    void aCredentialThatDoesNotVerifyIsRefusedEvenForPublicTopics() throws IOException {
        assertEquals(AuthFailure.Kind.INVALID, assertThrows(AuthFailure.class, () -> guarded().reader("nope")).kind());
    }

    @Test
    void onTheOpenDemoEveryTopicIsPublicButPrivateStaysPrivate() {
        AccessPolicy open = AccessPolicy.open();
        Grant anonymous = open.reader("whatever is presented is ignored");
        assertTrue(open.mayRead(anonymous, "anything"));
        assertFalse(open.mayReceive(anonymous, List.of("anything"), true));
        assertTrue(open.publishIsOpen());
        assertTrue(open.publisher(null).publish().allows("anything"));
        assertTrue(open.opsOpen());
    }

    @Test
    void publishingChecksEveryTopic() throws IOException {
        AccessPolicy policy = guarded();
        Grant news = policy.publisher("news");
        news.checkPublish(List.of("news.a", "news.b"));
        assertThrows(AuthFailure.class, () -> news.checkPublish(List.of("news.a", "public.a")));
        assertEquals(AuthFailure.Kind.MISSING, assertThrows(AuthFailure.class, () -> policy.publisher(null)).kind());
    }

    @Test
    void onlyAnAdminGrantOpensTheOperationalEndpoints() throws IOException {
        AccessPolicy policy = guarded();
        assertEquals(AuthFailure.Kind.FORBIDDEN, assertThrows(AuthFailure.class, () -> policy.checkOperator("all")).kind());
        assertEquals(AuthFailure.Kind.MISSING, assertThrows(AuthFailure.class, () -> policy.checkOperator(null)).kind());
    }
}
