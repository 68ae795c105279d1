package io.ssehub.cluster;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * One of the backplane's Lua scripts, run by its digest and sent again whole if Redis lost its
 * script cache (a restart). The stage completes on Lettuce's event loop: callers hop off it
 * before doing anything heavier than completing a future.
 */
final class LuaScript {

    private final String source;
    private final String sha;

    private LuaScript(String source, String sha) {
        this.source = source;
        this.sha = sha;
    }

    /** The script of that name, after the helpers of {@code common.lua} that every script may use. */
    static LuaScript load(String name) {
        return load(name, "");
    }

    /**
     * The script of that name after the helpers and {@code prelude} (Lua that defines what differs
     * between one Redis and a cluster, such as the command channel messages are sent with).
     */
    static LuaScript load(String name, String prelude) {
        String source = read("common.lua") + "\n" + prelude + "\n" + read(name);
        return new LuaScript(source, sha1(source));
    }

    private static String read(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the script; the reply is Lettuce's decoding of whatever the script returned. */
    CompletableFuture<Object> run(RedisScriptingAsyncCommands<String, String> connection, String[] keys, String... args) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        connection.<Object>evalsha(sha, ScriptOutputType.MULTI, keys, args).whenComplete((reply, error) -> {
            if (error instanceof RedisNoScriptException) {
                connection.<Object>eval(source, ScriptOutputType.MULTI, keys, args).whenComplete((again, failed) -> {
                    if (failed != null) {
                        result.completeExceptionally(failed);
                    } else {
                        result.complete(again);
                    }
                });
            } else if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(reply);
            }
        });
        return result;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
