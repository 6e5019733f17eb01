package io.fastcgibridge.launcher;

import java.nio.file.Path;

/**
 * What the launcher's own listeners need from the command line.
 *
 * @param pidFile where to write the process id, or {@code null} for none
 * @param lifecycleLog whether to log the start and stop lines
 */
public record LauncherSettings(Path pidFile, boolean lifecycleLog) {
}
