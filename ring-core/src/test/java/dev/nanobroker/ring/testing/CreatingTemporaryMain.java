package dev.nanobroker.ring.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A ring creator caught half way, until killed: {@code NAME BYTES} makes the hidden temporary that
 * {@code SharedRing.create} builds a ring in ({@code /dev/shm/.NAME.creating-PID-RANDOM}), BYTES long,
 * and never links it. Prints "CREATED PATH".
 */
public final class CreatingTemporaryMain {

    private CreatingTemporaryMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path temporary = Path.of("/dev/shm", "." + args[0] + ".creating-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(1), Long.parseLong(args[1]) - 1);
        }
        System.out.println("CREATED " + temporary);
        Thread.sleep(Long.MAX_VALUE);
    }
}
