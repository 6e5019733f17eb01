package io.fastcgibridge.launcher;

/**
 * What a reload did, as {@code reload} reports it.
 *
 * @param succeeded whether everything there was to reload came back
 * @param detail what happened, or why it failed
 */
record ReloadOutcome(boolean succeeded, String detail) {

    /** The control socket's answer line. */
    String answer() {
        return (succeeded ? ControlSocket.OK : ControlSocket.FAILED) + detail;
    }
}
