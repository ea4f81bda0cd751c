package io.dbsnap.core.engine;

import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.mask.Dialect;
import io.dbsnap.core.mask.DumpTable;
import io.dbsnap.core.mask.MaskPlan;
import io.dbsnap.core.process.ProcessRunner;

import java.nio.file.Path;
import java.util.List;

/**
 * An engine whose restore can mask the rows on their way into the target ({@code --mask RULES.yaml}),
 * so the target never holds an unmasked value: PostgreSQL and MySQL/MariaDB, whose dumps carry rows as
 * text. Redis and SQLite snapshots are restored whole.
 */
public interface MaskedRestore {

    /** How the engine names tables and which types a transform fits. */
    Dialect maskDialect();

    /** The tables of a verified dump and the columns their rows carry, read before the target is touched. */
    List<DumpTable> maskTables(Path verifiedDump);

    /** Restores the dump with every row masked by {@code plan} on its way in, then checks the target as a restore does. */
    void restoreMasked(ProcessRunner runner, DatabaseTarget target, Path verifiedDump, RestoreOptions options,
                       MaskPlan plan);
}
