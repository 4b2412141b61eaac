package dev.nanobroker.cli;

/**
 * What {@code soak} prints at the end.
 *
 * @param frames frames checked by the readers that lived to report (a SIGKILLed reader's count dies with it)
 * @param recoveries killed processes replaced and the ring moving again
 * @param maxRecoveryMs the slowest of those recoveries
 * @param leakedReaderLines reader lines still attached after every reader has gone
 */
record SoakReport(double seconds, int readers, long kills, long frames, long torn, long checksumFailures, long recoveries,
                  long maxRecoveryMs, long leakedReaderLines) {

    /** No frame torn, none failed its checksum, no reader line left behind. */
    boolean clean() {
        return torn == 0 && checksumFailures == 0 && leakedReaderLines == 0;
    }

    /** The report as text: the JSON's keys and values, as {@code {key=value, ...}}. */
    String text() {
        return String.format("{seconds=%s, readers=%d, kills=%d, frames=%d, torn=%d, checksum_failures=%d, recoveries=%d,"
                        + " max_recovery_ms=%d, leaked_reader_lines=%d}", seconds, readers, kills, frames, torn, checksumFailures,
                recoveries, maxRecoveryMs, leakedReaderLines);
    }
}
