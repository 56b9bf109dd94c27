package io.jenkins.plugins.gitopsrelease.git;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs a JGit transport call whose other end is in this JVM ({@code file://}): JGit then serves it on threads of its
 * own ({@code JGit-Upload-Pack}, {@code JGit-Receive-Pack}), and a failure there (a corrupt repository) escapes those
 * threads and is printed to {@code System.err} as a stack trace, next to the one-line error the client side reports
 * anyway. The call runs on a thread of a {@link ThreadGroup} of its own, which the workers inherit and which takes their
 * uncaught failures instead; nothing global (the default handler) changes, so this is safe inside Jenkins too.
 */
final class InProcessWorkers {
    private InProcessWorkers() {
    }

    /** A transport call. */
    interface Call<T, E extends Exception> {
        T call() throws E;
    }

    /** The group whose threads' uncaught failures are dropped instead of printed: the client side reports them. */
    static final class Quiet extends ThreadGroup {
        Quiet() {
            super("gitops-release-git");
        }

        @Override
        public void uncaughtException(Thread t, Throwable e) {
            // dropped: the transport's client side fails with its own message, which the caller translates
        }
    }

    /** Runs {@code call} on a thread of a fresh {@link Quiet} group and returns its result or throws its failure. */
    @SuppressWarnings("unchecked")
    static <T, E extends Exception> T run(String what, Call<T, E> call) throws E {
        FutureTask<T> task = new FutureTask<>(call::call);
        Thread t = new Thread(new Quiet(), task, "gitops-release " + what);
        t.setDaemon(true);
        t.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            throw new io.jenkins.plugins.gitopsrelease.core.OperationFailedException("git " + what + " interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw (E) c;
        }
    }
}
