package io.dbsnap.core.process;

import java.io.InputStream;
import java.io.OutputStream;

/** A started command that passes everything on to another; a subclass changes only what it must. */
public abstract class ForwardingProcess implements RunningProcess {

    protected final RunningProcess delegate;

    protected ForwardingProcess(RunningProcess delegate) {
        this.delegate = delegate;
    }

    @Override
    public OutputStream stdin() {
        return delegate.stdin();
    }

    @Override
    public InputStream stdout() {
        return delegate.stdout();
    }

    @Override
    public int waitFor() throws InterruptedException {
        return delegate.waitFor();
    }

    @Override
    public String stderrTail() {
        return delegate.stderrTail();
    }

    @Override
    public String unscrubbedStderrTail() {
        return delegate.unscrubbedStderrTail();
    }

    @Override
    public void kill() {
        delegate.kill();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
