package io.fastcgibridge.servlet;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Opens a real path one directory at a time from {@code /}, each relative to the one opened before
 * and none through a symbolic link ({@code openat} with {@code O_NOFOLLOW}), so what is read is the
 * file at that path now, reached by no link, however the path is changed meanwhile.
 */
final class NoFollowOpen {

    private NoFollowOpen() {
    }

    /**
     * The file at {@code real} opened for reading.
     *
     * @throws IOException when a segment is missing or is now a link; on a platform with no
     *     {@link SecureDirectoryStream}, the file is opened by name with only its last segment unfollowed
     */
    static SeekableByteChannel open(Path real) throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(real.getRoot());
        if (!(stream instanceof SecureDirectoryStream<Path> first)) {
            stream.close();
            return Files.newByteChannel(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }
        SecureDirectoryStream<Path> directory = first;
        try {
            for (int i = 0; i < real.getNameCount() - 1; i++) {
                SecureDirectoryStream<Path> child = directory.newDirectoryStream(real.getName(i),
                        LinkOption.NOFOLLOW_LINKS);
                directory.close();
                directory = child;
            }
            return directory.newByteChannel(real.getFileName(), Set.of(StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS));
        } finally {
            directory.close();
        }
    }
}
