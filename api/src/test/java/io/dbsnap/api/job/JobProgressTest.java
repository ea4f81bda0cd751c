package io.dbsnap.api.job;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobProgressTest {

    @Test
    void readsBackWhatItWrites() {
        JobProgress progress = new JobProgress(123_456_789L, 987_654_321_000L);
        assertThat(JobProgress.parse(progress.annotationValue())).contains(progress);
    }

    @Test
    void anythingButTwoCountsIsNoProgress() {
        for (String value : new String[]{null, "", "12", "/5", "5/", "-1/5", "1/-5", "1.5/3", "1/2/3", " 1/2",
                "1/2\n", "99999999999999999999/1", "a/b"}) {
            assertThat(JobProgress.parse(value)).as(String.valueOf(value)).isEmpty();
        }
    }

    @Test
    void neverClaimsMoreThanAll() {
        assertThat(JobProgress.parse("900/100")).contains(new JobProgress(100, 100));
    }
}
