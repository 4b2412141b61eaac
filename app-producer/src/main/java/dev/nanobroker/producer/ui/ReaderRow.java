package dev.nanobroker.producer.ui;

/** One attached reader of the ring, as the status table shows it. */
public record ReaderRow(int slot, int pid, boolean alive, String mode, long lag, long frames, long drops,
                        long latencyMicros) {
}
