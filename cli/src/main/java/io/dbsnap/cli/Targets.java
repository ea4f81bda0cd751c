package io.dbsnap.cli;

import io.dbsnap.core.target.DatabaseTarget;
import io.dbsnap.core.target.TargetParser;

/** Parses a TARGET and remembers its password, so no message can print it. */
final class Targets {

    private Targets() {
    }

    static DatabaseTarget parse(CliContext context, String url) {
        DatabaseTarget target = TargetParser.parse(url);
        target.passwordIfAny().ifPresent(context::addSecret);
        return target;
    }
}
