package dev.nanobroker.cli;

/** A runtime condition a command cannot work under, said in one line for the user (exit code 1). */
final class CommandException extends RuntimeException {

    CommandException(String message) {
        super(message);
    }

    /** JavaFX on Linux needs an X11 or Wayland display; without one it fails deep inside with a stack trace. */
    static void requireDisplay(String whatForHeadless) {
        boolean linux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
        if (linux && System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
            throw new CommandException("no display to open a window on (DISPLAY is not set); " + whatForHeadless);
        }
    }
}
