package io.halley.servlet.internal.push;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.halley.servlet.internal.Http;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;

/**
 * One message as the nginx-push subscriber serves it: the channel message id (which alone
 * decides order: {@code Etag} {@code "<id>"}), the second it was seen ({@code Last-Modified}), and
 * the body with its content type. A message published through {@code /push/pub} keeps the body
 * and type it was posted with; any other channel message is served as its JSON (a JSON string as
 * {@code text/plain; charset=utf-8} with the string as body, anything else as
 * {@code application/json; charset=utf-8}).
 *
 * @param id          the channel message id
 * @param time        epoch second the message was seen on this node
 * @param contentType the body's content type
 * @param body        the body (not copied; never modified)
 */
public record PushMessage(long id, long time, String contentType, byte[] body) {
    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON = "application/json; charset=utf-8";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** The representation of a channel message that was not published through {@code /push/pub}. */
    static PushMessage derived(long id, long time, JsonElement data) {
        if (data.isJsonPrimitive() && data.getAsJsonPrimitive().isString()) {
            return new PushMessage(id, time, TEXT, data.getAsString().getBytes(StandardCharsets.UTF_8));
        }
        return new PushMessage(id, time, JSON, data.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What a posted body becomes on the Halley channel: JSON types ({@code application/json},
     * {@code +json}) their parsed value; text types ({@code text/*}, XML, JavaScript, form data, or
     * no type) a JSON string decoded with the body's charset (UTF-8 by default); any other type a
     * JSON string of the body in base64.
     *
     * @throws io.halley.core.HalleyException BAD_INPUT for malformed JSON or text, or an unknown charset
     */
    static JsonElement data(String contentType, byte[] body) {
        String mime = mime(contentType);
        Charset cs = charset(contentType); // checked for every type: the type is served back as given
        if (mime.equals("application/json") || mime.endsWith("+json")) {
            try {
                return JsonParser.parseString(decode(cs, body));
            } catch (JsonParseException e) {
                throw Http.badInput("body is not valid JSON");
            }
        }
        if (mime.isEmpty() || mime.startsWith("text/") || mime.endsWith("+xml") || mime.equals("application/xml")
                || mime.equals("application/javascript") || mime.equals("application/x-www-form-urlencoded")) {
            return new JsonPrimitive(decode(cs, body));
        }
        return new JsonPrimitive(Base64.getEncoder().encodeToString(body));
    }

    /** The lower-case type/subtype of a content type, "" for none. */
    static String mime(String contentType) {
        if (contentType == null) return "";
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static Charset charset(String contentType) {
        Charset cs = StandardCharsets.UTF_8;
        if (contentType != null) {
            for (String param : contentType.split(";")) {
                String p = param.trim();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    String name = p.substring(8).trim().replace("\"", "");
                    try {
                        cs = Charset.forName(name);
                    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                        throw Http.badInput("unsupported charset '" + Http.abbreviate(name) + "'");
                    }
                }
            }
        }
        return cs;
    }

    private static String decode(Charset cs, byte[] body) {
        try {
            return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw Http.badInput("body is not valid " + cs.name() + " text");
        }
    }

    /** The entity tag naming this message: {@code "<id>"}. */
    String etag() {
        return etag(id);
    }

    static String etag(long id) {
        return "\"" + id + "\"";
    }

    /**
     * The message id an {@code If-None-Match} names (the first tag, {@code W/} and quotes
     * ignored), or -1 when it names none.
     */
    static long idOf(String ifNoneMatch) {
        if (ifNoneMatch == null) return -1;
        String tag = ifNoneMatch.split(",")[0].trim();
        if (tag.startsWith("W/")) tag = tag.substring(2);
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) tag = tag.substring(1, tag.length() - 1);
        if (tag.isEmpty() || tag.length() > 18 || !tag.chars().allMatch(c -> c >= '0' && c <= '9')) return -1;
        return Long.parseLong(tag);
    }

    /** An HTTP date for an epoch second. */
    static String httpDate(long epochSecond) {
        return HTTP_DATE.format(Instant.ofEpochSecond(epochSecond));
    }

    /** The epoch second of an HTTP date, or -1 when it is absent or malformed. */
    static long parseHttpDate(String date) {
        if (date == null) return -1;
        try {
            return Instant.from(HTTP_DATE.parse(date.trim())).getEpochSecond();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
