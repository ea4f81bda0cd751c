package io.dbsnap.sandbox;

import io.fabric8.mockwebserver.http.WebSocket;
import io.vertx.core.http.ServerWebSocket;

import java.util.function.Consumer;

/**
 * An exec's stdin held back as a kubelet holds it: the next WebSocket frame is asked for only while
 * fewer than {@link #HIGH} bytes wait for the command. The mock server asks for the next frame after every
 * one, so a command slower than its client (pg_restore behind a fast agent) made this JVM queue most of a
 * dump; it ran out of memory and Vert.x dropped the frame it was handling: stdin bytes lost in transit.
 */
final class StdinFlow {

    static final long HIGH = 4 << 20;
    static final long LOW = 1 << 20;

    /** Null for a mock server that is not Vert.x: no flow control there, as before. */
    private final ServerWebSocket socket;
    private long queued;
    private boolean starved;
    private boolean held;

    private StdinFlow(ServerWebSocket socket) {
        this.socket = socket;
    }

    /**
     * Takes over the socket's message handlers from the mock server (called from its onOpen, after it has set
     * them and before it asks for the first frame): binary messages go to {@code onBinary}. A null socket (not
     * the Vert.x mock server) is left as it is.
     */
    static StdinFlow takeOver(ServerWebSocket socket, Consumer<byte[]> onBinary) {
        StdinFlow flow = new StdinFlow(socket);
        if (socket != null) {
            // from asking for everything to asking frame by frame (the mock server asks for the first after onOpen)
            socket.pause();
            socket.textMessageHandler(text -> { });
            socket.binaryMessageHandler(buffer -> onBinary.accept(buffer.getBytes()));
            // one frame asked for per frame handled; a data frame waits while the command is behind
            socket.frameHandler(frame -> {
                if (frame.isBinary() || frame.isContinuation()) {
                    flow.next();
                } else {
                    socket.fetch(1);
                }
            });
        }
        return flow;
    }

    /** The socket under the mock server's WebSocket, or null. */
    static ServerWebSocket vertxSocket(WebSocket ws) {
        try {
            java.lang.reflect.Field field = ws.getClass().getDeclaredField("webSocket");
            field.setAccessible(true);
            return field.get(ws) instanceof ServerWebSocket socket ? socket : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    void queued(long bytes) {
        synchronized (this) {
            queued += bytes;
        }
    }

    /** Bytes handed to the command (or dropped with it): below {@link #LOW}, a waiting frame is asked for. */
    void written(long bytes) {
        boolean fetch;
        synchronized (this) {
            queued -= bytes;
            fetch = starved && queued < LOW && !held;
            if (fetch) {
                starved = false;
            }
        }
        // never under this lock: the socket's own lock is taken by fetch and held around our handlers
        if (fetch) {
            socket.fetch(1);
        }
    }

    /** The command is gone: what the client still sends is read and dropped. */
    void release() {
        if (socket != null) {
            socket.resume();
        }
    }

    /** No more frames are asked for until {@link #unhold}: the command's stdin pauses, the connection's thread does not. */
    synchronized void hold() {
        held = true;
    }

    void unhold() {
        boolean fetch;
        synchronized (this) {
            held = false;
            fetch = starved && queued < LOW;
            if (fetch) {
                starved = false;
            }
        }
        if (fetch) {
            socket.fetch(1);
        }
    }

    private void next() {
        boolean fetch;
        synchronized (this) {
            fetch = queued < HIGH && !held;
            starved = !fetch;
        }
        if (fetch) {
            socket.fetch(1);
        }
    }
}
