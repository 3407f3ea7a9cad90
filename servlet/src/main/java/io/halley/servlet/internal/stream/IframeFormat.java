package io.halley.servlet.internal.stream;

import io.halley.core.transport.Frame;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The forever-iframe: a {@code text/html} document that starts with at least
 * {@link CometSettings#iframePadding()} bytes (browsers render nothing before the first
 * kilobytes), then an early heartbeat, then one {@code <script>parent.Halley.frame(<frame
 * JSON>,"<page>")</script>} per frame and periodic {@code parent.Halley.heartbeat("<page>")}
 * scripts. After {@link CometSettings#iframeBudget()} bytes it writes
 * {@code parent.Halley.rotate("<page>")} and ends, and the client opens a fresh iframe (a document
 * that grew forever would hold its memory).
 *
 * <p>The frame JSON comes from core already HTML-safe ({@code < > &} and U+2028/U+2029 are
 * {@code \\u} escapes), so {@code </script>} and {@code <!--} cannot appear inside a chunk. The page
 * id is URL-safe base64 (checked by the page lookup) and the nonce base64 (checked by
 * {@link CometSettings#nonceFor}), so both are placed as they are.
 */
public final class IframeFormat implements FrameFormat {
    private final byte[] before;
    private final byte[] after;
    private static final byte[] PROBE = {'\n'};
    private final byte[] heartbeat;
    private final byte[] rotate;
    private final String open;
    private final String pageId;
    private final int padding;
    private final long budget;

    public IframeFormat(String pageId, String nonce, int padding, long budget) {
        String open = nonce == null ? "<script>" : "<script nonce=\"" + nonce + "\">";
        String close = "</script>\n";
        this.open = open;
        this.pageId = pageId;
        this.before = ascii(open + "parent.Halley.frame(");
        this.after = ascii(",\"" + pageId + "\")" + close);
        this.heartbeat = ascii(open + "parent.Halley.heartbeat(\"" + pageId + "\")" + close);
        this.rotate = ascii(open + "parent.Halley.rotate(\"" + pageId + "\")" + close + "</body></html>\n");
        this.padding = padding;
        this.budget = budget;
    }

    @Override
    public String name() {
        return "iframe";
    }

    @Override
    public void prepare(HttpServletResponse response) {
        response.setStatus(200);
        response.setContentType("text/html; charset=utf-8");
        response.setHeader("Referrer-Policy", "no-referrer");
    }

    @Override
    public byte[] open() {
        byte[] head = ascii("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>halley</title></head><body>\n");
        int pad = Math.max(0, padding - head.length - 1);
        byte[] out = Arrays.copyOf(head, head.length + pad + 1 + heartbeat.length);
        Arrays.fill(out, head.length, head.length + pad, (byte) ' ');
        out[head.length + pad] = '\n';
        System.arraycopy(heartbeat, 0, out, head.length + pad + 1, heartbeat.length);
        return out;
    }

    @Override
    public byte[] frames(List<Frame> frames) {
        int len = 0;
        for (Frame f : frames) len += before.length + WireBytes.frameLength(f) + after.length;
        byte[] out = new byte[len];
        int at = 0;
        for (Frame f : frames) {
            at = WireBytes.put(out, at, before);
            at = WireBytes.putFrame(out, at, f);
            at = WireBytes.put(out, at, after);
        }
        return out;
    }

    @Override
    public byte[] heartbeat() {
        return heartbeat;
    }

    /** A newline between scripts: whitespace in the document's body. */
    @Override
    public byte[] probe() {
        return PROBE;
    }

    /** A short document whose one script calls {@code parent.Halley.advice({"poll":<ms>},"<page>")}. */
    @Override
    public byte[] advice(long pollMillis) {
        return ascii("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>halley</title></head><body>\n" + open
                + "parent.Halley.advice({\"poll\":" + pollMillis + "},\"" + pageId + "\")</script>\n</body></html>\n");
    }

    @Override
    public boolean singleShot() {
        return false;
    }

    @Override
    public long budget() {
        return budget;
    }

    @Override
    public byte[] end(HeldStream.End end, boolean answered, HttpServletResponse response) {
        return end == HeldStream.End.ROTATED ? rotate : new byte[0];
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
