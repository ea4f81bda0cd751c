package io.dbsnap.api.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;

/**
 * An {@link AgentResult} as the JSON of a container's termination message. Kubernetes keeps at most
 * 4096 bytes of it and a cut JSON could not be read at all, so {@link #write} shortens the message
 * until the whole fits; {@link #read} is lenient about fields it does not know (an older or newer
 * agent) and strict about everything else: what is not a complete result is no result.
 */
public final class TerminationMessage {

    public static final int MAX_BYTES = 4096;
    /** Room for a person's message beside the fields; a longer one is cut before it is encoded. */
    public static final int MAX_MESSAGE_CHARS = 1500;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private TerminationMessage() {
    }

    public static String write(AgentResult result) {
        try {
            String json = JSON.writeValueAsString(result);
            if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
                return json;
            }
            String message = result.message();
            if (message == null || message.length() < 16) {
                throw new IllegalStateException("termination message longer than " + MAX_BYTES + " bytes");
            }
            // many multi-byte or escaped characters: shorter until it fits, the reason kept whole
            return write(result.withMessage(message.substring(0, message.length() / 2) + " [...]"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The result in a termination message, or {@code null} when there is none to believe. */
    public static <R extends AgentResult> R read(String message, Class<R> type) {
        if (message == null || message.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(message.strip(), type);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A message cut to {@link #MAX_MESSAGE_CHARS}, marked so a reader knows it was. */
    public static String shortened(String message) {
        return message == null || message.length() <= MAX_MESSAGE_CHARS ? message
                : message.substring(0, MAX_MESSAGE_CHARS) + " [...]";
    }
}
