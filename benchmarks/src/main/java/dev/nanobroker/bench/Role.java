package dev.nanobroker.bench;

import java.util.Map;

/**
 * What one child JVM does in one measurement. A role is a record of its arguments, written on the
 * child's command line by the case table ({@link BenchCases}) and read back once by {@link BenchChild};
 * the roles of one family (the floor, the ring, ...) are the records of one class, whose Javadoc
 * draws its processes.
 *
 * <p>Latency protocol, the same for every transport: the sender takes t0 = {@link System#nanoTime()},
 * puts t0 and the frame's sequence at the start of the frame and the sequence in its last 8 bytes,
 * and hands the frame over; the receiver, once it has the frame (ring, Agrona: sees it and reads its
 * first and last cache line; streams: has read every byte), takes t1 and records t1 - t0. It then
 * acknowledges the sequence in the control file ({@link Control}); the sender waits for every
 * acknowledgement and a gap before the next frame, so there is never more than one frame in flight
 * and no queueing. The ping-pong roles ({@link PingPongRoles}) time round trips on one clock instead.
 */
interface Role {

    /**
     * Runs the role to its end (a background role: until it is killed) and returns what its
     * {@code RESULT} line reports; empty for a role whose result no one reads.
     */
    Map<String, Object> run(RoleContext context) throws Exception;
}
