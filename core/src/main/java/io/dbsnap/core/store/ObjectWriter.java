package io.dbsnap.core.store;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A stream into a new object. The object appears only on {@link #commit()}; {@link #close()}
 * without a commit aborts, so a failed write never leaves anything that could be read.
 */
public abstract class ObjectWriter extends OutputStream {

    /** Makes the object visible, whole. */
    public abstract void commit() throws IOException;

    /** Discards everything written; safe to call more than once and after a failure. */
    public abstract void abort();

    protected abstract boolean committed();

    @Override
    public void close() {
        if (!committed()) {
            abort();
        }
    }
}
