package io.dbsnap.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The local terminal in raw mode while a remote terminal is in use, as {@code kubectl exec -it} puts it:
 * every key (Ctrl-C, Ctrl-D, arrows) goes to the pod, which echoes and edits. Set and restored with
 * {@code stty} on {@code /dev/tty}; restored on close and, should the JVM be stopped, by a shutdown hook.
 */
final class RawTerminal implements AutoCloseable {

    private static final File TTY = new File("/dev/tty");

    private final String saved;
    private final Thread restoreOnExit;

    private RawTerminal(String saved) {
        this.saved = saved;
        this.restoreOnExit = new Thread(this::restore, "terminal-restore");
        Runtime.getRuntime().addShutdownHook(restoreOnExit);
    }

    /** Whether there is a terminal that {@code stty} can set (not on Windows, not without a /dev/tty). */
    static boolean available() {
        return stty("-g").isPresent();
    }

    /** The terminal switched to raw mode, or empty when there is none that {@code stty} can set. */
    static Optional<RawTerminal> enter() {
        Optional<String> saved = stty("-g");
        if (saved.isEmpty() || stty("raw", "-echo").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RawTerminal(saved.get().strip()));
    }

    /** Calls {@code resize(columns, rows)} now and whenever the window changes size (SIGWINCH). */
    void followSize(BiConsumer<Integer, Integer> resize) {
        Runnable send = () -> size().ifPresent(cr -> resize.accept(cr[0], cr[1]));
        send.run();
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), signal -> send.run());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // no window-change signal here: the size stays the one of the start
        }
    }

    private static Optional<int[]> size() {
        return stty("size").map(String::strip).filter(s -> s.matches("[1-9]\\d* [1-9]\\d*")).map(s -> {
            String[] rowsColumns = s.split(" ");
            return new int[] {Integer.parseInt(rowsColumns[1]), Integer.parseInt(rowsColumns[0])};
        });
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private void restore() {
        stty(saved);
    }

    private static Optional<String> stty(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "stty";
        System.arraycopy(args, 0, argv, 1, args.length);
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(TTY)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().keySet().removeAll(java.util.Set.of(io.dbsnap.core.mask.MaskKey.ENVIRONMENT,
                    io.dbsnap.core.crypto.AgeKeys.IDENTITY_ENVIRONMENT));
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
