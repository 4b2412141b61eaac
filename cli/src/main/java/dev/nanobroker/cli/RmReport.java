package dev.nanobroker.cli;

/** What {@code rm NAME --json} prints. */
record RmReport(String removed) {
}
