package dev.nanobroker.producer.ui;

/**
 * One attached reader of the ring, as the status table shows it: skipped frames (a latest reader
 * passing over frames by design) apart from lost ones, and the verdict in words.
 */
public record ReaderRow(int slot, int pid, boolean alive, String mode, long lag, long frames, long skipped, long lost,
                        String delivery, long latencyMicros) {
}
