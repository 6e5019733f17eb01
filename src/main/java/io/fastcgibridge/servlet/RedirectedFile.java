package io.fastcgibridge.servlet;

import io.fastcgibridge.client.ResponseHead;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;

/**
 * Sends the file PHP named ({@code X-Accel-Redirect}, {@code X-Sendfile}) instead of its body, as a
 * static file with the request's conditions and range, PHP's other headers kept. Runs on container
 * threads: started through the async context, then driven by the write listener, a bounded piece
 * of the file at a time, since the response is in non-blocking mode. Tomcat's sendfile is not
 * offered to an asynchronous request, so the file goes through the output stream.
 */
final class RedirectedFile {

    private static final System.Logger LOG = System.getLogger(RedirectedFile.class.getName());
    private static final int PIECE = 64 * 1024;

    /** What one request needs to send a file PHP names. */
    record Context(HttpServletRequest request, HttpServletResponse response, String requestLine,
            RedirectTargets targets, StaticFiles files, Duration retryAfter) {

        /**
         * The sender of the file PHP named; {@code soFar} holds what the exchange with PHP gave.
         * Nothing is sent until {@link RedirectedFile#start()}, so that the caller can route the
         * container's write callbacks to it first.
         */
        RedirectedFile sender(RedirectTargets.Instruction instruction, ResponseHead head, AsyncCompletion completion,
                ForwardResult soFar) {
            return new RedirectedFile(this, instruction, head, completion, soFar);
        }
    }

    private final Context context;
    private final RedirectTargets.Instruction instruction;
    private final ResponseHead head;
    private final AsyncCompletion completion;
    private final ForwardResult soFar;
    private ServletOutputStream out;
    private FileChannel channel;
    private long position;
    private long remaining;
    private long bytesOut;
    private boolean started;
    private boolean ended;

    private RedirectedFile(Context context, RedirectTargets.Instruction instruction, ResponseHead head,
            AsyncCompletion completion, ForwardResult soFar) {
        this.context = context;
        this.instruction = instruction;
        this.head = head;
        this.completion = completion;
        this.soFar = soFar;
    }

    /** Starts sending on a container thread. */
    void start() {
        if (!completion.execute(this::begin)) {
            gone("the request ended before the file could be sent");
        }
    }

    /** The container can take more. */
    synchronized void onWritePossible() {
        if (started && !ended) {
            pump();
        }
    }

    /** The client went away or the container ended the request. */
    synchronized void gone(String why) {
        if (!ended) {
            LOG.log(System.Logger.Level.DEBUG, "FCGI-0303 {0}: the HTTP client went away: {1}", context.requestLine(),
                    why);
            end(bytesOut == 0 && remaining > 0 ? ErrorPages.CLIENT_CLOSED : status(), RequestOutcome.ABORTED, false);
        }
    }

    private synchronized void begin() {
        if (ended) {
            return;
        }
        started = true;
        HttpServletResponse response = context.response();
        try {
            out = response.getOutputStream();
            RedirectTargets.Target target = context.targets().resolve(instruction);
            if (!(target instanceof RedirectTargets.Target.Found found)) {
                refuse(target);
                return;
            }
            ResponseHeaders.copyForFile(head, response);
            boolean headOnly = context.request().getMethod().equals("HEAD");
            StaticFiles.Slice slice = context.files().prepare(context.request(), response, found.file(), headOnly, false);
            if (slice == null) {
                end(status(), RequestOutcome.COMPLETED, false);
                return;
            }
            response.setContentLengthLong(slice.length());
            if (headOnly || slice.length() == 0) {
                end(status(), RequestOutcome.COMPLETED, false);
                return;
            }
            channel = context.files().openResolved(slice);
            position = slice.start();
            remaining = slice.length();
            pump();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "FCGI-0672 {0}: 500: cannot send the file of PHP''s {1}: {2}",
                    context.requestLine(), instruction.header(), String.valueOf(e));
            fail(500);
        }
    }

    /** PHP named a file that may not, or cannot, be sent: the bridge's own page, never the file. */
    private void refuse(RedirectTargets.Target target) {
        if (target instanceof RedirectTargets.Target.Missing missing) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0671 {0}: 404: PHP''s {1} names no file: {2} ({3})",
                    context.requestLine(), instruction.header(), instruction.value(), missing.why());
            fail(404);
            return;
        }
        LOG.log(System.Logger.Level.ERROR, "FCGI-0670 {0}: 500: PHP''s {1} refused, the file is not sent: {2} ({3})",
                context.requestLine(), instruction.header(), instruction.value(),
                ((RedirectTargets.Target.Refused) target).why());
        fail(500);
    }

    private void fail(int status) {
        HttpServletResponse response = context.response();
        try {
            response.reset();
            bytesOut = ErrorPages.send(response, status, context.retryAfter());
            end(status, RequestOutcome.FAILED, false);
        } catch (IOException | IllegalStateException e) {
            end(status, RequestOutcome.FAILED, true);
        }
    }

    /** Writes pieces of the file while the container takes them; ends once all is out and taken. */
    private void pump() {
        try {
            ByteBuffer piece = null;
            while (remaining > 0 && out.isReady()) {
                piece = piece == null ? ByteBuffer.allocate((int) Math.min(PIECE, remaining)) : piece.clear();
                piece.limit((int) Math.min(piece.capacity(), remaining));
                if (!read(piece)) {
                    return;
                }
                piece.flip();
                int length = piece.remaining();
                out.write(piece.array(), 0, length);
                position += length;
                remaining -= length;
                bytesOut += length;
            }
            if (remaining == 0 && out.isReady()) {
                end(status(), RequestOutcome.COMPLETED, false);
            }
        } catch (IOException | IllegalStateException e) {
            gone(String.valueOf(e));
        }
    }

    /** Reads the next piece; a file that shrank or failed breaks the response off, as it promised more. */
    private boolean read(ByteBuffer piece) {
        try {
            SpoolFiles.readFully(channel, position, piece);
            return true;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "FCGI-0673 {0}: the file of PHP''s {1} could not be read, breaking the"
                    + " response off: {2}", context.requestLine(), instruction.header(), String.valueOf(e));
            end(status(), RequestOutcome.FAILED, true);
            return false;
        }
    }

    private int status() {
        return context.response().getStatus();
    }

    private void end(int status, RequestOutcome outcome, boolean breakOff) {
        ended = true;
        SpoolFiles.closeQuietly(channel);
        completion.finish(new ForwardResult(status, soFar.bytesIn(), bytesOut, soFar.timeToFirstByteNanos(), outcome,
                null, soFar.backend()), breakOff);
    }
}
