package io.dbsnap.core.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of test classes that need the real parts: a throwaway PostgreSQL and S3Proxy, started once
 * per class. Subclasses add their databases and buckets in their own {@code @BeforeAll}, which
 * JUnit runs after this one.
 */
public abstract class WithPostgresAndS3 {

    protected static PostgresServer pg;
    protected static S3Server s3;

    @BeforeAll
    static void startServers() throws Exception {
        pg = PostgresServer.start();
        s3 = S3Server.start();
    }

    @AfterAll
    static void stopServers() throws Exception {
        try {
            if (s3 != null) {
                s3.close();
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }
}
