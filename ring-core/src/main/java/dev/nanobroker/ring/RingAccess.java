package dev.nanobroker.ring;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who may open a ring besides the user who creates it: its file mode, and optionally a group the
 * file is handed to. Owner-only (0600) unless a producer asks otherwise, on purpose. Readers need
 * read and write (they claim a reader line in the header), so a group that should read gets rw.
 *
 * @param group a group name, or null to keep the creator's primary group
 */
public record RingAccess(Set<PosixFilePermission> permissions, String group) {

    public static final RingAccess OWNER_ONLY = new RingAccess(PosixFilePermissions.fromString("rw-------"), null);

    public RingAccess {
        permissions = Set.copyOf(permissions);
        if (!permissions.contains(PosixFilePermission.OWNER_READ) || !permissions.contains(PosixFilePermission.OWNER_WRITE)) {
            throw new IllegalArgumentException("mode " + PosixFilePermissions.toString(permissions)
                    + " leaves the ring's owner without read and write");
        }
        if (permissions.contains(PosixFilePermission.OWNER_EXECUTE) || permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                || permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
            throw new IllegalArgumentException("a ring is not a program: no execute bits");
        }
    }

    /** Shared read-write with the members of {@code group} (mode 0660). */
    public static RingAccess forGroup(String group) {
        return new RingAccess(PosixFilePermissions.fromString("rw-rw----"), group);
    }

    /** From an octal mode such as {@code 0660} or {@code 600}, and a group or null. */
    public static RingAccess parse(String octalMode, String group) {
        int mode;
        try {
            mode = Integer.parseInt(octalMode, 8);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mode '" + octalMode + "' is not an octal file mode such as 0600 or 0660");
        }
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("mode '" + octalMode + "' is not a file mode (0000..0777)");
        }
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < bits.length; bit++) {
            if ((mode & 1 << bit) != 0) {
                permissions.add(bits[bit]);
            }
        }
        return new RingAccess(permissions, group);
    }

    @Override
    public String toString() {
        return PosixFilePermissions.toString(permissions) + (group == null ? "" : " group " + group);
    }
}
