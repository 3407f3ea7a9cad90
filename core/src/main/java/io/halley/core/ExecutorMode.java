package io.halley.core;

/** Which threads run comet functions, callbacks and actions. */
public enum ExecutorMode {
    /** Virtual threads when the JVM has them (Java 21+), else {@link #PLATFORM}. The default. */
    AUTO,
    /** Virtual threads; fails at {@link Halley#start()} on a JVM without them. */
    VIRTUAL,
    /** A bounded pool of platform threads of at most {@code maxCometThreads}. */
    PLATFORM
}
