package io.dbsnap.cli;

import io.dbsnap.core.pipeline.TransferListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;

/** Bytes and rate of a running transfer on the terminal (stderr), through the progressbar library. */
final class ProgressBarListener implements TransferListener {

    private final PrintStream terminal;
    private ProgressBar bar;

    ProgressBarListener(PrintStream terminal) {
        this.terminal = terminal;
    }

    @Override
    public void started(String what, long expectedBytes) {
        finished();
        bar = new ProgressBarBuilder()
                .setTaskName(what)
                .setInitialMax(expectedBytes)
                .setUnit(" MiB", 1 << 20)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(250)
                .setMaxRenderedLength(100)
                .setConsumer(new ConsoleProgressBarConsumer(terminal))
                .build();
    }

    @Override
    public void progressed(long total) {
        if (bar != null) {
            bar.stepTo(total);
        }
    }

    @Override
    public void finished() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
