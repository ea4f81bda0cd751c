package io.dbsnap.core.process;

/**
 * Runs a clean-up if the JVM is told to stop (SIGTERM from Kubernetes, systemd or timeout) while
 * a transfer is under way: kill the dump, abort the upload. Closed when the work ends normally.
 */
public final class ShutdownGuard implements AutoCloseable {

    private final Thread hook;

    private ShutdownGuard(Runnable cleanup) {
        this.hook = new Thread(cleanup, "dbsnap-shutdown-cleanup");
    }

    public static ShutdownGuard register(Runnable cleanup) {
        ShutdownGuard guard = new ShutdownGuard(cleanup);
        Runtime.getRuntime().addShutdownHook(guard.hook);
        return guard;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing to remove
        }
    }
}
