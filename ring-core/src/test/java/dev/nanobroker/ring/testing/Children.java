package dev.nanobroker.ring.testing;

import java.util.ArrayList;
import java.util.List;

/** The child JVMs one test started, all SIGKILLed (if still running) when it closes. */
public final class Children implements AutoCloseable {

    private final List<ChildJvm> started = new ArrayList<>();

    public ChildJvm start(Class<?> mainClass, String... args) {
        ChildJvm child = ChildJvm.start(mainClass, args);
        started.add(child);
        return child;
    }

    /** {@link ChildJvm#startWithOptions}, killed with the rest. */
    public ChildJvm startWithOptions(List<String> jvmOptions, Class<?> mainClass, String... args) {
        ChildJvm child = ChildJvm.startWithOptions(jvmOptions, mainClass, List.of(args));
        started.add(child);
        return child;
    }

    /** {@link ChildJvm#startInNetworkNamespace}, killed with the rest. */
    public ChildJvm startInNetworkNamespace(String namespace, List<String> jvmOptions, Class<?> mainClass, String... args) {
        ChildJvm child = ChildJvm.startInNetworkNamespace(namespace, jvmOptions, mainClass, List.of(args));
        started.add(child);
        return child;
    }

    @Override
    public void close() throws InterruptedException {
        for (ChildJvm child : started) {
            child.close();
        }
    }
}
