package io.dbsnap.core.pipeline;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeldTailTest {

    @Test
    void passesEveryByteInOrderButTheDroppedEndWhateverTheChunks() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            byte[] stream = new byte[random.nextInt(400)];
            random.nextBytes(stream);
            int capacity = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(60);
            ByteArrayOutputStream passed = new ByteArrayOutputStream();
            HeldTail tail = new HeldTail(capacity, passed::write);
            for (int at = 0; at < stream.length; ) {
                int chunk = Math.min(stream.length - at, random.nextInt(3) == 0 ? random.nextInt(3) : random.nextInt(90));
                tail.write(stream, at, chunk);
                at += chunk;
                // never more than the bytes before the last `capacity`
                assertThat(passed.size()).isEqualTo(Math.max(0, at - capacity));
            }
            byte[] held = tail.held();
            assertThat(held).isEqualTo(Arrays.copyOfRange(stream, Math.max(0, stream.length - capacity), stream.length));
            int dropped = random.nextInt(held.length + 1);
            tail.finish(dropped);
            assertThat(passed.toByteArray()).as("round %d, capacity %d", round, capacity)
                    .isEqualTo(Arrays.copyOf(stream, stream.length - dropped));
        }
    }

    @Test
    void cannotDropMoreThanItHolds() throws Exception {
        HeldTail tail = new HeldTail(40, (b, o, l) -> { });
        tail.write(new byte[10], 0, 10);
        assertThatThrownBy(() -> tail.finish(11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tail.finish(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
