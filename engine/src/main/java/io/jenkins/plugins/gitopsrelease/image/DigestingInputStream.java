package io.jenkins.plugins.gitopsrelease.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * Hashes bytes as they stream through and, at end of stream, checks the count and the sha256 against the expected
 * descriptor, so a corrupt blob fails the upload instead of being stored. Reports progress in steps of ~1 MiB.
 */
final class DigestingInputStream extends FilterInputStream {
    /** The bytes read do not match the digest the manifest promised. */
    static final class DigestMismatchException extends IOException {
        private static final long serialVersionUID = 1L;

        DigestMismatchException(String message) {
            super(message);
        }
    }

    private final MessageDigest md;
    private final String expected;
    private final long expectedSize;
    private final LongConsumer progress;
    private long count;
    private long reported;
    private volatile String mismatch;
    private boolean ended;

    /** {@code expected} null: only hash (a chunk of a larger blob), the caller checks at the end. */
    DigestingInputStream(InputStream in, MessageDigest md, String expected, long expectedSize, LongConsumer progress) {
        super(in);
        this.md = md;
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            md.update(b, off, n);
            count += n;
            if (count - reported >= (1 << 20)) {
                progress.accept(count - reported);
                reported = count;
            }
        } else if (n < 0 && !ended) {
            ended = true;
            if (count > reported) {
                progress.accept(count - reported);
                reported = count;
            }
            if (expected != null) {
                check();
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported while hashing");
    }

    private void check() throws DigestMismatchException {
        if (mismatch != null) {
            throw new DigestMismatchException(mismatch);
        }
        String actual = "sha256:" + HexFormat.of().formatHex(md.digest());
        if (count != expectedSize || !actual.equals(expected)) {
            mismatch = "the source served " + count + " bytes with digest " + actual + " for blob " + expected
                    + " (" + expectedSize + " bytes)";
            throw new DigestMismatchException(mismatch);
        }
    }

    String mismatch() {
        return mismatch;
    }
}
