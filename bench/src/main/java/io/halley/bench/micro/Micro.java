package io.halley.bench.micro;

import io.halley.bench.Plan;
import io.halley.bench.report.Report;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs the JMH benchmarks of {@code io.halley.bench.micro} in one forked JVM and adds their scores to the report. */
public final class Micro {
    private Micro() {
    }

    public static void run(Plan plan, Report report, String java) throws RunnerException {
        OptionsBuilder o = new OptionsBuilder();
        o.include("io\\.halley\\.bench\\.micro\\..*")
                .forks(1)
                .warmupIterations(plan.jmhQuick() ? 2 : 3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(plan.jmhQuick() ? 3 : 5)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgs("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .verbosity(VerboseMode.SILENT)
                .shouldFailOnError(true);
        if (java != null) o.jvm(java);
        Options opts = o.build();
        Collection<RunResult> results = new Runner(opts).run();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            report.micro.add(new Report.Micro(name, r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                    r.getPrimaryResult().getScoreUnit()));
        }
    }
}
