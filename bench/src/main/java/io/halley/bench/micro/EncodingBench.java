package io.halley.bench.micro;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.transport.Frame;
import io.halley.core.transport.PageStreams;
import io.halley.servlet.CometSettings;
import io.halley.servlet.internal.stream.IframeFormat;
import io.halley.servlet.internal.stream.PollFormat;
import io.halley.servlet.internal.stream.SseFormat;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Command encoding and wire formatting through Halley's public API and the servlet's wire formats
 * (in {@code io.halley.servlet.internal.stream}): the per-message work of a push before any I/O.
 * The HTML and the channel data carry characters that must be escaped ({@code < > & "}, U+2028).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EncodingBench {
    static final String HTML = "<li class=\"msg\">Ada &amp; Grace said: \"</script><!-- hi\u2028 there\" at 12:00</li>";

    private Halley halley;
    private Page page;
    private Page subscriber;
    private List<Frame> one;
    private List<Frame> ten;
    private IframeFormat iframe;
    private JsonObject data;

    @Setup
    public void setUp() {
        halley = Halley.builder().pageLease(Duration.ofHours(1)).build().start();
        page = halley.open("bench-session");
        for (int i = 0; i < 10; i++) page.writer().update("#clock", HTML).flush();
        ten = PageStreams.frames(page).since(0).frames();
        one = ten.subList(9, 10);
        iframe = new IframeFormat(page.id(), null, CometSettings.MIN_IFRAME_PADDING, 1L << 20);
        subscriber = halley.open("bench-session-2");
        subscriber.subscribe("bench");
        data = new JsonObject();
        data.addProperty("bn", 123456);
        data.addProperty("bt", 987654321012345L);
        data.addProperty("p", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    }

    @TearDown
    public void tearDown() {
        halley.close();
    }

    /** {@code page.writer().update(...).flush()}: encode one command to JSON and append a frame to the outbox. */
    @Benchmark
    public long writerUpdateFlush() {
        return page.writer().update("#clock", HTML).flush();
    }

    /**
     * {@code halley.publish} to a channel with one subscribed page: tree, history and hub on this
     * thread; the fan-out runs on Halley's own threads and, once 10,000 messages wait, the publisher
     * waits for it, so the score is the sustained rate of publishing and delivering.
     */
    @Benchmark
    public void publishToOnePage() {
        halley.publish("bench", data);
    }

    /** {@code Frame.toJson()}: the frame envelope around already-encoded commands. */
    @Benchmark
    public String frameToJson() {
        return one.get(0).toJson();
    }

    /** The SSE transport's bytes for one frame. */
    @Benchmark
    public byte[] sseOneFrame() {
        return new SseFormat().frames(one);
    }

    /** The SSE transport's bytes for a batch of ten frames (one write). */
    @Benchmark
    public byte[] sseTenFrames() {
        return new SseFormat().frames(ten);
    }

    /** The forever-iframe transport's {@code <script>} chunk for one frame. */
    @Benchmark
    public byte[] iframeOneFrame() {
        return iframe.frames(one);
    }

    /** The long-poll answer for ten frames. */
    @Benchmark
    public byte[] pollTenFrames() {
        return new PollFormat().frames(ten);
    }
}
