package io.ssehub.bench.jmh;

import io.ssehub.hub.Message;
import io.ssehub.sse.SseEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * {@link SseEncoder#encode}: one message to its wire frame. {@code shape} is a single-line payload
 * of {@code size} characters, or the same size broken into 64-character lines.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EncoderBenchmark {

    @Param({"32", "1024", "16384"})
    public int size;

    @Param({"oneLine", "multiLine"})
    public String shape;

    private final SseEncoder encoder = new SseEncoder();
    private Message message;

    @Setup
    public void setUp() {
        StringBuilder text = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            text.append(shape.equals("multiLine") && i % 64 == 63 ? '\n' : (char) ('a' + i % 26));
        }
        message = new Message("news", text.toString());
    }

    @Benchmark
    public byte[] encode() {
        return encoder.encode(message, "mi3k2x1a-42");
    }
}
