package io.dbsnap.core.pipeline;

/** Hears how far a transfer has come, for progress bars; called from the copying thread. */
public interface TransferListener {

    TransferListener NONE = new TransferListener() {
    };

    /** The transfer starts; {@code expectedBytes} is -1 when unknown. */
    default void started(String what, long expectedBytes) {
    }

    /** {@code total} bytes of the raw (uncompressed) stream have passed so far. */
    default void progressed(long total) {
    }

    default void finished() {
    }
}
