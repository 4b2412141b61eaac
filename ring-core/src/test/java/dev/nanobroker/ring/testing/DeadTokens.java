package dev.nanobroker.ring.testing;

import dev.nanobroker.ring.ProcessIdentity;

import java.io.IOException;

/**
 * Identity tokens of processes that have ended: a short-lived child ({@code cat}, which lives until
 * its stdin closes) is started, its token taken while it runs, then it is let go and reaped. Such a
 * token is what a reader or writer that died leaves in the ring.
 */
public final class DeadTokens {

    private DeadTokens() {
    }

    public static long make() {
        Process process;
        try {
            process = new ProcessBuilder("cat").start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start cat", e);
        }
        long token = ProcessIdentity.tokenOf(process.pid());
        try {
            process.getOutputStream().close();
            process.waitFor();
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
            throw new IllegalStateException("cat did not end", e);
        }
        if (token == 0 || ProcessIdentity.isAlive(token)) {
            throw new IllegalStateException("could not make a dead token from pid " + process.pid() + ": " + Long.toHexString(token));
        }
        return token;
    }
}
