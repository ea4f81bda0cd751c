package io.dbsnap.core.engine;

import io.dbsnap.core.pipeline.StreamedDump;

/**
 * Follows a custom-format archive's data blocks as it streams by, to know the byte where pg_restore
 * has read all it will ever read: after the table of contents, each block is a type byte (1 data,
 * 3 large objects), its entry's id, then chunks (a length, that many bytes) ended by a zero length;
 * a large-object block is a list of (oid, chunks) ended by a zero oid. Bytes after the last block
 * are not the archive pg_dump wrote, and pg_restore would commit without them: they are refused.
 * Chunk payloads are skipped whole, so the cost is per chunk, not per byte.
 */
final class PgArchiveEnd implements StreamedDump.ArchiveEnd {

    private static final int BLOCK_DATA = 1;
    private static final int BLOCK_BLOBS = 3;

    private enum State { TOC, BLOCK_TYPE, DUMP_ID, CHUNK_LENGTH, PAYLOAD, BLOB_OID, END }

    private final long tocLength;
    private final int intSize;
    private final int dataBlocks;
    private State state;
    private long position;
    private long remaining;
    private int blockType;
    private int blocksSeen;
    private int intByte;
    private int intSign;
    private long intValue;
    private String damage;

    PgArchiveEnd(PgArchiveToc.Layout layout) {
        this.tocLength = layout.length();
        this.intSize = layout.intSize();
        this.dataBlocks = layout.dataBlocks();
        this.state = State.TOC;
        this.remaining = tocLength;
    }

    @Override
    public int accept(byte[] bytes, int off, int len) {
        int at = off;
        int end = off + len;
        while (at < end) {
            switch (state) {
                case TOC, PAYLOAD -> {
                    int skip = (int) Math.min(remaining, end - at);
                    at += skip;
                    remaining -= skip;
                    if (remaining == 0) {
                        state = state == State.TOC ? nextBlock() : State.CHUNK_LENGTH;
                        startInt();
                    }
                }
                case BLOCK_TYPE -> {
                    blockType = bytes[at++] & 0xff;
                    if (blockType != BLOCK_DATA && blockType != BLOCK_BLOBS) {
                        return refuse(at - 1 - off, "a data block of unknown type " + blockType);
                    }
                    state = State.DUMP_ID;
                    startInt();
                }
                case DUMP_ID, CHUNK_LENGTH, BLOB_OID -> {
                    if (!readIntByte(bytes[at++])) {
                        continue;
                    }
                    long value = intSign == 0 ? intValue : -intValue;
                    if (state == State.DUMP_ID) {
                        state = blockType == BLOCK_BLOBS ? State.BLOB_OID : State.CHUNK_LENGTH;
                    } else if (state == State.BLOB_OID) {
                        state = value == 0 ? endOfBlock() : State.CHUNK_LENGTH;
                    } else if (value < 0) {
                        return refuse(at - off, "a chunk of negative length " + value);
                    } else if (value == 0) {
                        state = blockType == BLOCK_BLOBS ? State.BLOB_OID : endOfBlock();
                    } else {
                        state = State.PAYLOAD;
                        remaining = value;
                        continue;
                    }
                    startInt();
                }
                case END -> {
                    return refuse(at - off, null);
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        position += len;
        return len;
    }

    /** Whether the archive's last block has ended. */
    boolean ended() {
        return state == State.END;
    }

    @Override
    public String damage() {
        return damage;
    }

    private State nextBlock() {
        return blocksSeen == dataBlocks ? State.END : State.BLOCK_TYPE;
    }

    private State endOfBlock() {
        blocksSeen++;
        return nextBlock();
    }

    private void startInt() {
        intByte = -1;
        intSign = 0;
        intValue = 0;
    }

    /** One byte of a sign-and-magnitude integer; true once it is whole. */
    private boolean readIntByte(byte b) {
        if (intByte < 0) {
            intSign = b & 0xff;
        } else {
            intValue |= (long) (b & 0xff) << (8 * intByte);
        }
        intByte++;
        return intByte == intSize;
    }

    private int refuse(int accepted, String what) {
        long at = position + accepted;
        damage = what == null
                ? "the archive ends at byte " + at + " (its last data block) but the object holds more after it"
                : "the archive holds " + what + " at byte " + at;
        position = at;
        return accepted;
    }
}
