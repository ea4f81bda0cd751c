package io.dbsnap.sandbox;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.vertx.core.http.ServerWebSocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * "Exec into the pod", played by a local process speaking the v4.channel.k8s.io protocol: stdin on
 * channel 0, stdout 1, stderr 2, and the exit status as a Status on channel 3 before the close.
 */
final class LocalExec extends WebSocketListener {

    private static final int CHUNK = 64 * 1024;
    /** Bytes of stdout or stderr that may wait in the connection's write queue before a command is held back. */
    private static final int WRITE_QUEUE = 1 << 20;

    private final List<String> argv;
    private final Map<String, String> env;
    private final ExecFault fault;
    private final ExecutorService stdinWriter = Executors.newSingleThreadExecutor(daemon("exec-stdin"));
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Process process;
    private volatile StdinFlow stdinFlow;
    /** The Vert.x socket under the mock server's WebSocket, found once; null for another mock server. */
    private volatile ServerWebSocket socket;
    /** Notified when the connection's write queue has room again. */
    private final Object drained = new Object();
    /** Stdin bytes taken so far; messages arrive one at a time. */
    private long stdinReceived;

    LocalExec(List<String> argv, Map<String, String> env, ExecFault fault) {
        this.argv = List.copyOf(argv);
        this.env = Map.copyOf(env);
        this.fault = fault;
    }

    @Override
    public void onOpen(WebSocket ws, Response response) {
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            process = builder.start();
        } catch (IOException e) {
            sendStatus(ws, failure("exec failed: " + e.getMessage(), 126));
            ws.close(1000, "");
            return;
        }
        socket = StdinFlow.vertxSocket(ws);
        if (socket != null) {
            socket.setWriteQueueMaxSize(WRITE_QUEUE);
            socket.drainHandler(v -> {
                synchronized (drained) {
                    drained.notifyAll();
                }
            });
        }
        stdinFlow = StdinFlow.takeOver(socket, bytes -> onMessage(ws, bytes));
        Thread stdout = pump(ws, process.getInputStream(), (byte) 1, fault);
        Thread stderr = pump(ws, process.getErrorStream(), (byte) 2, ExecFault.NONE);
        Thread waiter = new Thread(() -> {
            try {
                int exit = process.waitFor();
                stdout.join();
                stderr.join();
                if (ended.compareAndSet(false, true)) {
                    sendStatus(ws, exit == 0 ? "{\"metadata\":{},\"status\":\"Success\"}"
                            : failure("command terminated with non-zero exit code: " + exit, exit));
                    ws.close(1000, "");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                endStdin();
            }
        }, "exec-wait");
        waiter.setDaemon(true);
        waiter.start();
    }

    private Thread pump(WebSocket ws, InputStream in, byte channel, ExecFault fault) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[CHUNK];
            // DROP_TAIL: the last bytes seen are held back until it is known whether they are the end
            int hold = fault.kind() == ExecFault.Kind.DROP_TAIL ? (int) fault.afterStdoutBytes() : 0;
            byte[] held = new byte[hold];
            int heldLength = 0;
            long sent = 0;
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (fault.strikes(sent, n)) {
                        send(ws, channel, buffer, (int) (fault.afterStdoutBytes() - sent));
                        fault.beforeStrike().run();
                        if (fault.kind() == ExecFault.Kind.CUT) {
                            cut(ws);
                        } else {
                            // the waiter reports the killed command's exit status, as the kubelet would
                            killProcess();
                        }
                        return;
                    }
                    awaitWritable();
                    if (hold == 0) {
                        send(ws, channel, buffer, n);
                        sent += n;
                        continue;
                    }
                    byte[] combined = new byte[heldLength + n];
                    System.arraycopy(held, 0, combined, 0, heldLength);
                    System.arraycopy(buffer, 0, combined, heldLength, n);
                    int release = Math.max(0, combined.length - hold);
                    send(ws, channel, combined, release);
                    sent += release;
                    heldLength = combined.length - release;
                    System.arraycopy(combined, release, held, 0, heldLength);
                }
                if (sent + heldLength <= ExecFault.LONG_OUTPUT) {
                    send(ws, channel, held, heldLength);
                } else if (hold > 0) {
                    fault.beforeStrike().run();
                }
            } catch (IOException ignored) {
                // the process ended or was killed
            }
        }, "exec-out-" + channel);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Waits while the connection's write queue is full, so a command that writes faster than the client
     * reads is held back as a kubelet's exec stream holds it (the mock server's Vert.x socket would
     * otherwise queue a whole dump in memory). Woken by the socket's drain handler: polling with a sleep
     * capped every exec at one queue per millisecond, 64 MB/s with Netty's default 64 KiB queue.
     */
    private void awaitWritable() {
        if (socket == null) {
            return; // another mock server: no flow control, as before
        }
        try {
            synchronized (drained) {
                while (!ended.get() && socket.writeQueueFull()) {
                    // bounded: a drain between the check and the wait is not missed for long
                    drained.wait(5);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The connection drops: no status, no more bytes, and the process is gone. */
    private void cut(WebSocket ws) {
        if (ended.compareAndSet(false, true)) {
            ws.close(1011, "connection cut by the sandbox");
            kill();
        }
    }

    private static void send(WebSocket ws, byte channel, byte[] buffer, int n) {
        if (n <= 0) {
            return;
        }
        byte[] frame = new byte[n + 1];
        frame[0] = channel;
        System.arraycopy(buffer, 0, frame, 1, n);
        ws.send(frame);
    }

    private static void sendStatus(WebSocket ws, String status) {
        byte[] json = status.getBytes(StandardCharsets.UTF_8);
        send(ws, (byte) 3, json, json.length);
    }

    private static String failure(String message, int exit) {
        return "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"" + message.replace("\"", "'")
                + "\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\""
                + exit + "\"}]}}";
    }

    @Override
    public void onMessage(WebSocket ws, byte[] bytes) {
        if (bytes.length > 1 && bytes[0] == 0 && process != null) {
            if (fault.strikesStdin(stdinReceived, bytes.length - 1)) {
                if (fault.kind() == ExecFault.Kind.PAUSE_STDIN) {
                    pauseStdin(fault.beforeStrike());
                } else {
                    fault.beforeStrike().run();
                    if (fault.kind() == ExecFault.Kind.CUT_STDIN) {
                        cut(ws);
                    } else {
                        killProcess();
                    }
                    return;
                }
            }
            stdinReceived += bytes.length - 1;
            byte[] data = Arrays.copyOfRange(bytes, 1, bytes.length);
            StdinFlow flow = stdinFlow;
            flow.queued(data.length);
            try {
                stdinWriter.execute(() -> {
                    try {
                        OutputStream stdin = process.getOutputStream();
                        stdin.write(data);
                        stdin.flush();
                    } catch (IOException ignored) {
                        // the command stopped reading
                    } finally {
                        flow.written(data.length);
                    }
                });
            } catch (RejectedExecutionException e) {
                flow.written(data.length); // the command has ended: its exit status says how
            }
        }
    }

    /** Stdin stops being taken (this frame still goes to the command) while {@code pause} runs on a thread of its own. */
    private void pauseStdin(Runnable pause) {
        StdinFlow flow = stdinFlow;
        flow.hold();
        Thread thread = new Thread(() -> {
            try {
                pause.run();
            } finally {
                flow.unhold();
            }
        }, "exec-stdin-pause");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void onMessage(WebSocket ws, ByteString bytes) {
        onMessage(ws, bytes.toByteArray());
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
        kill();
    }

    @Override
    public void onFailure(WebSocket ws, Throwable t, Response response) {
        kill();
    }

    private void kill() {
        killProcess();
        endStdin();
    }

    private void endStdin() {
        stdinWriter.shutdownNow();
        StdinFlow flow = stdinFlow;
        if (flow != null) {
            flow.release();
        }
    }

    private void killProcess() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
