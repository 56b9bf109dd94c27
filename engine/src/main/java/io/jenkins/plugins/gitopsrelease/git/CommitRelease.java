package io.jenkins.plugins.gitopsrelease.git;

import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.FilterSpec;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.eclipse.jgit.util.FS;

/**
 * A GitOps repository session: shallow-fetch the base branch into a private bare repository, run the generation
 * ({@link ReleaseEdit}) on the fetched tree, write the new tree and commit in memory, push. No working tree is ever
 * checked out.
 *
 * <p>Branch mode (default) pushes {@code release/<component>-<release-name>} and force-updates only that branch, so
 * a rerun reuses it; if it already holds the same change on the same base, nothing is pushed. Direct mode commits on
 * the base branch; when another writer moved it, the push is refused, and the session refetches, regenerates on the
 * new base and retries (bounded, with jittered backoff), so concurrent releases never lose each other's commits.
 */
public final class CommitRelease {
    public enum BranchStyle { RELEASE_NAME, TIMESTAMP }

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private String repositoryUrl;
    private String baseBranch = "main";
    private GitCredentials credentials = GitCredentials.none();
    private ReleaseInfo release;
    private String releaseName;
    private BranchStyle branchStyle = BranchStyle.RELEASE_NAME;
    private boolean direct;
    private ReleaseEdit edit;
    private PersonIdent author = new PersonIdent("GitOps Release", "gitops-release@localhost");
    private PersonIdent committer;
    private int maxAttempts = 10;
    private long backoffMillis = 200;
    private Path tempRoot;
    private Clock clock = Clock.systemUTC();
    private Progress progress = Progress.NONE;

    private CommitRelease() {
    }

    public static CommitRelease create() {
        return new CommitRelease();
    }

    public CommitRelease setRepository(String url) {
        this.repositoryUrl = url;
        return this;
    }

    public CommitRelease setBaseBranch(String branch) {
        this.baseBranch = branch;
        return this;
    }

    public CommitRelease setCredentials(GitCredentials credentials) {
        this.credentials = Objects.requireNonNull(credentials);
        return this;
    }

    public CommitRelease setRelease(ReleaseInfo release) {
        this.release = release;
        return this;
    }

    /** Names the release branch; if null, the name generation returns, else {@code <component>-<rev8>}. */
    public CommitRelease setReleaseName(String releaseName) {
        this.releaseName = releaseName;
        return this;
    }

    public CommitRelease setBranchStyle(BranchStyle style) {
        this.branchStyle = Objects.requireNonNull(style);
        return this;
    }

    /** Commit straight onto the base branch (no release branch, no PR). */
    public CommitRelease setDirect(boolean direct) {
        this.direct = direct;
        return this;
    }

    public CommitRelease setEdit(ReleaseEdit edit) {
        this.edit = edit;
        return this;
    }

    public CommitRelease setAuthor(String name, String email) {
        this.author = new PersonIdent(name, email);
        return this;
    }

    /** Defaults to the author. */
    public CommitRelease setCommitter(String name, String email) {
        this.committer = new PersonIdent(name, email);
        return this;
    }

    public CommitRelease setMaxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw InvalidInputException.invalid("--max-attempts", maxAttempts, "give 1 or more");
        }
        this.maxAttempts = maxAttempts;
        return this;
    }

    public CommitRelease setBackoffMillis(long backoffMillis) {
        this.backoffMillis = backoffMillis;
        return this;
    }

    /** Where the private bare repository goes (default: the system temp directory). */
    public CommitRelease setTempRoot(Path tempRoot) {
        this.tempRoot = tempRoot;
        return this;
    }

    public CommitRelease setClock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public CommitRelease setProgress(Progress progress) {
        this.progress = progress == null ? Progress.NONE : progress;
        return this;
    }

    public CommitResult call() {
        URIish uri = GitUrls.check(repositoryUrl);
        if (release == null) {
            throw new InvalidInputException("the release (project, component, image) is required");
        }
        if (edit == null) {
            throw new InvalidInputException("no generation step was given to the Git session");
        }
        checkBranch("--base", baseBranch);
        if (releaseName != null) {
            // The ComponentRelease's name: checked here, under the caller's flag, before anything is fetched (the
            // generation would refuse it later under occ's own flag name, --name).
            io.jenkins.plugins.gitopsrelease.gitops.Names.subdomain("--release-name", releaseName);
            checkBranch("--release-name", "release/" + releaseName);
        }
        File local = localGitDir(uri);
        Path dir = null;
        try (GitCredentials.Session auth = credentials.open()) {
            if (local == null) {
                dir = tempRoot == null ? Files.createTempDirectory("gitops-release-")
                        : Files.createTempDirectory(Files.createDirectories(tempRoot), "gitops-release-");
            }
            // A repository on this machine is read and updated in place (no private copy, no transport), under the
            // rules its own receive-pack would apply (Session#updateLocal); any other is fetched into a private one.
            try (Repository repo = local != null ? openLocal(local) : privateRepository(dir)) {
                return new Session(repo, uri, auth, local != null).run();
            } catch (org.eclipse.jgit.errors.MissingObjectException | org.eclipse.jgit.errors.CorruptObjectException
                    | org.eclipse.jgit.errors.PackInvalidException e) {
                throw damaged(e);
            } catch (IOException e) {
                throw new OperationFailedException("git: reading " + GitUrls.redact(repositoryUrl) + " failed ("
                        + io.jenkins.plugins.gitopsrelease.core.Failures.describe(e) + "); nothing was pushed", e);
            }
        } catch (IOException e) {
            throw new OperationFailedException("cannot prepare a local Git repository: " + e.getMessage(), e);
        } finally {
            Bare.deleteTree(dir);
        }
    }

    /** The session's bare repository in {@code dir}, open (one instance from creation on: no second config read). */
    private static Repository privateRepository(Path dir) {
        Repository repo = null;
        try {
            repo = FileRepositoryBuilder.create(dir.toFile());
            repo.create(true);
            // A throw-away repository: background auto-gc after fetch would only cost I/O and race the cleanup.
            repo.getConfig().setInt("gc", null, "auto", 0);
            repo.getConfig().setBoolean("gc", null, "autoDetach", false);
            repo.getConfig().save();
            return repo;
        } catch (IOException | RuntimeException e) {
            if (repo != null) {
                repo.close();
            }
            throw new OperationFailedException("cannot prepare a local Git repository: " + e.getMessage(), e);
        }
    }

    /** The repository on this machine; JGit answers an unreadable config file with an IllegalArgumentException. */
    private Repository openLocal(File gitDir) throws IOException {
        try {
            Repository r = new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
            r.getConfig(); // read now, not inside the session
            return r;
        } catch (IllegalArgumentException e) {
            throw damaged(e);
        }
    }

    private OperationFailedException damaged(Exception e) {
        return new OperationFailedException("git: the repository " + GitUrls.redact(repositoryUrl) + " is damaged ("
                + io.jenkins.plugins.gitopsrelease.core.Failures.describe(e) + "): check it with git fsck; nothing"
                + " was pushed", e);
    }

    /** The Git directory of a {@code file://} or plain-path repository, or null for a remote one. */
    static File localGitDir(URIish uri) {
        String scheme = uri.getScheme();
        if (scheme != null && !scheme.equals("file") || uri.getHost() != null || uri.getPath() == null) {
            return null;
        }
        File dir = new File(uri.getPath());
        return dir.isDirectory() ? RepositoryCache.FileKey.resolve(dir, FS.DETECTED) : null;
    }

    private static void checkBranch(String field, String branch) {
        if (branch == null || branch.isBlank() || !Repository.isValidRefName("refs/heads/" + branch)) {
            throw InvalidInputException.invalid(field, branch == null ? "" : branch, "not a valid Git branch name");
        }
    }

    /** The branch a release goes to in branch mode. */
    public static String releaseBranch(BranchStyle style, String component, String releaseName, Clock clock) {
        if (style == BranchStyle.TIMESTAMP) {
            return "release/" + component + "-" + TS.format(clock.instant());
        }
        // "<component>-<rev8>" already starts with the component; don't repeat it.
        return releaseName.startsWith(component + "-") ? "release/" + releaseName
                : "release/" + component + "-" + releaseName;
    }

    /** {@code git clone --filter=blob:none}: commits and trees only. */
    private static final FilterSpec BLOBLESS = blobless();

    private static FilterSpec blobless() {
        try {
            return FilterSpec.fromFilterLine("blob:none");
        } catch (org.eclipse.jgit.errors.PackProtocolException e) {
            throw new IllegalStateException(e); // a constant JGit parses
        }
    }

    /** The server does not advertise the filter capability (e.g. git without uploadpack.allowFilter). */
    private static final class FilterRefused extends RuntimeException {
        FilterRefused() {
            super(null, null, false, false);
        }
    }

    private static boolean refusedFilter(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.eclipse.jgit.errors.PackProtocolException && String.valueOf(c.getMessage())
                    .contains(org.eclipse.jgit.internal.JGitText.get().filterRequiresCapability)) {
                return true;
            }
        }
        return false;
    }

    private final class Session {
        private final Repository repo;
        private final URIish uri;
        private final GitCredentials.Session auth;
        private final String url;
        /** The repository itself when it is on this machine (then {@link #repo} too), else null. */
        private final Repository local;
        /** What this session built on a repository of this machine, held until the update (else null). */
        private final PendingObjects pending;

        /**
         * Whether fetches leave file contents out ({@code blob:none}, as {@code git clone --filter} does): a GitOps
         * repository's few files a release reads then come on demand instead of all of them. Off for a local
         * repository (nothing is fetched), and from the first server that refuses filters or single objects on.
         */
        private boolean partial;
        /** The server's "failed to update ref" on the last push to the base branch, or null. */
        private String ambiguousRefusal;
        private ObjectId refusedBase;
        /** The lock file the last in-place update met, if it is still there (a writer, or one that crashed). */
        private String staleLock;
        private int blobRequests;
        private int blobsFetched;

        /** {@code inPlace}: {@code repo} is the repository itself, on this machine, not a private one to fetch into. */
        Session(Repository repo, URIish uri, GitCredentials.Session auth, boolean inPlace) {
            this.repo = repo;
            this.uri = uri;
            this.auth = auth;
            this.url = GitUrls.redact(repositoryUrl);
            this.local = inPlace ? repo : null;
            this.pending = inPlace ? new PendingObjects(repo) : null;
            this.partial = !inPlace;
        }

        /** Where new objects go: held in memory over a repository of this machine, else the private repository. */
        private ObjectInserter newInserter() {
            return pending != null ? pending : repo.newObjectInserter();
        }

        /**
         * Fetches {@code branch}'s tip at depth 1, without blobs while {@link #partial}. No local ref is written:
         * the private repository keeps no refs, so a later fetch of single blobs offers the server no "have" that
         * would let it leave them out.
         */
        private FetchResult fetchTip(String branch) {
            if (partial) {
                try {
                    return fetch(branch, true, BLOBLESS, "refs/heads/" + branch);
                } catch (FilterRefused e) {
                    partial = false;
                    progress.step("the server does not filter fetches (uploadpack.allowFilter); fetching every file"
                            + " of " + branch);
                }
            }
            return fetch(branch, true, null, "refs/heads/" + branch);
        }

        private ObjectId tip(FetchResult fetched, String branch) {
            Ref ref = fetched.getAdvertisedRef("refs/heads/" + branch);
            if (ref == null || ref.getObjectId() == null) {
                throw InvalidInputException.invalid("--base", branch, "the repository " + url + " has no such"
                        + " branch: give an existing branch (e.g. main)");
            }
            return ref.getObjectId();
        }

        /**
         * Brings blobs the partial fetch left out, in one request. A server that will not send single objects (or
         * leaves some out) gets the base's whole tree instead, once; partial fetches stop for this session.
         */
        private void fetchBlobs(java.util.Collection<ObjectId> ids, ObjectId baseId, String baseName) {
            if (partial) {
                String why;
                try {
                    fetch(baseBranch, false, null, ids.stream().map(ObjectId::name).toArray(String[]::new));
                    blobRequests++;
                    blobsFetched += ids.size();
                    why = missingAfterFetch(ids) ? "it left some out" : null;
                } catch (OperationFailedException | InvalidInputException e) {
                    why = e.getMessage();
                }
                if (why == null) {
                    return;
                }
                partial = false;
                progress.step("the server did not send single files (" + why + "); fetching every file of "
                        + baseName);
            }
            fetch(baseBranch, true, null, baseId.name());
        }

        private boolean missingAfterFetch(java.util.Collection<ObjectId> ids) {
            try (ObjectReader reader = repo.newObjectReader()) {
                for (ObjectId id : ids) {
                    if (!reader.has(id, Constants.OBJ_BLOB)) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return true;
            }
        }

        CommitResult run() throws IOException {
            String fixedTimestampBranch = branchStyle == BranchStyle.TIMESTAMP
                    ? releaseBranch(branchStyle, release.component(), null, clock) : null;
            for (int attempt = 1; ; attempt++) {
                if (pending != null) {
                    pending.clear();
                }
                FetchResult fetched = local != null ? null : fetchTip(baseBranch);
                ObjectId baseId = local != null ? localBase() : tip(fetched, baseBranch);
                if (ambiguousRefusal != null && baseId.equals(refusedBase)) {
                    // The push failed but the branch did not move: no race, so retrying would fail the same way.
                    throw new OperationFailedException("git push to " + url + " was refused for " + baseBranch + ": "
                            + ambiguousRefusal + ", and " + baseBranch + " did not move (check the server's log,"
                            + " branch protection and the credentials' rights)");
                }
                RevCommit base;
                try (RevWalk rw = new RevWalk(repo)) {
                    base = rw.parseCommit(baseId);
                }
                String baseName = baseBranch + "@" + baseId.abbreviate(8).name();
                progress.step(local != null ? "read " + baseName + " (local repository, no fetch)"
                        : partial ? "fetched " + baseName + " (depth 1, without file contents: those generation reads"
                                + " come on demand)"
                        : "fetched " + baseName + " (depth 1)");

                blobRequests = 0;
                blobsFetched = 0;
                ReleaseEdit.Result generated = generate(new GitTreeFiles(repo, base.getTree(), url + " " + baseName,
                        partial ? ids -> fetchBlobs(ids, baseId, baseName) : null));
                if (blobRequests > 0) {
                    progress.step("fetched the " + blobsFetched + " file(s) generation read, in " + blobRequests
                            + " request(s)");
                }
                ObjectId tree;
                List<String> changed;
                try (ObjectInserter ins = newInserter(); ObjectReader reader = ins.newReader()) {
                    tree = TreeEdits.apply(reader, ins, base.getTree(), generated.changes());
                    changed = diff(reader, base.getTree(), tree);
                }
                String name = releaseName != null ? releaseName
                        : generated.releaseName() != null ? generated.releaseName() : release.defaultReleaseName();
                if (changed.isEmpty()) {
                    progress.step("no change: " + baseName + " already holds this release; nothing to commit");
                    return new CommitResult(CommitResult.Status.NO_CHANGE, url, baseBranch, baseId.name(),
                            direct ? baseBranch : null, null, List.of(), false, direct, name, attempt);
                }
                String branch = direct ? baseBranch
                        : fixedTimestampBranch != null ? fixedTimestampBranch
                        : releaseBranch(branchStyle, release.component(), name, clock);
                checkBranch("release branch", branch);

                if (!direct) {
                    ObjectId upToDate = existingUpToDate(fetched, branch, base, tree);
                    if (upToDate != null) {
                        progress.step(branch + " already holds this change on " + baseName + "; nothing to push");
                        return new CommitResult(CommitResult.Status.UP_TO_DATE, url, baseBranch, baseId.name(),
                                branch, upToDate.name(), changed, false, false, name, attempt);
                    }
                }
                ObjectId commit = commit(tree, base);
                RemoteRefUpdate.Status status = push(commit, branch, direct ? baseId : null);
                if (status == RemoteRefUpdate.Status.OK) {
                    progress.step("pushed " + commit.abbreviate(8).name() + " to " + branch + " (" + changed.size()
                            + " file(s) changed)");
                    return new CommitResult(CommitResult.Status.PUSHED, url, baseBranch, baseId.name(), branch,
                            commit.name(), changed, true, direct, name, attempt);
                }
                if (!direct) {
                    throw new OperationFailedException("git push to " + url + " refused the update of " + branch + " ("
                            + status + "): check that the credentials may push and force-push release/* branches");
                }
                if (attempt >= maxAttempts) {
                    throw new OperationFailedException("git push to " + url + ": " + baseBranch + " kept moving; gave up"
                            + " after " + attempt + " attempts (" + status + "): rerun, or raise the attempt limit"
                            + (staleLock != null ? " (" + staleLock + ")" : ""));
                }
                refusedBase = baseId;
                progress.step(ambiguousRefusal != null
                        ? "the push to " + baseBranch + " failed (" + ambiguousRefusal + "); refetching to see whether"
                                + " it moved (attempt " + (attempt + 1) + "/" + maxAttempts + ")"
                        : baseBranch + " moved while committing (" + status + "); regenerating on the new base"
                                + " (attempt " + (attempt + 1) + "/" + maxAttempts + ")");
                backoff(attempt);
            }
        }

        private ReleaseEdit.Result generate(GitTreeFiles files) {
            try {
                ReleaseEdit.Result r = edit.apply(files);
                if (r == null) {
                    throw new OperationFailedException("generation returned nothing for " + files.describe());
                }
                return r;
            } catch (GitOpsReleaseException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new OperationFailedException("generation failed on " + files.describe() + ": " + e.getMessage()
                        + " (nothing was committed or pushed)", e);
            }
        }

        /**
         * Fetches {@code sources} (ref names or object ids; {@code branch} names them in messages) into the object
         * database, writing no ref; {@code filter} null fetches whole trees.
         */
        private FetchResult fetch(String branch, boolean depth1, FilterSpec filter, String... sources) {
            List<RefSpec> specs = new ArrayList<>();
            for (String source : sources) {
                specs.add(new RefSpec(source));
            }
            try {
                var fetch = Git.wrap(repo).fetch()
                        .setRemote(uri.toString())
                        .setRefSpecs(specs)
                        .setTagOpt(TagOpt.NO_TAGS)
                        .setTransportConfigCallback(t -> {
                            auth.configure(t);
                            if (filter != null) {
                                t.setFilterSpec(filter);
                            }
                        })
                        .setProgressMonitor(NullProgressMonitor.INSTANCE);
                if (depth1) {
                    fetch.setDepth(1);
                }
                return transport("fetch", fetch::call);
            } catch (TransportException e) {
                if (filter != null && refusedFilter(e)) {
                    throw new FilterRefused();
                }
                String msg = String.valueOf(e.getMessage());
                if (msg.contains("Remote does not have") || msg.contains("not found in upstream")) {
                    throw InvalidInputException.invalid("--base", branch, "the repository " + url + " has no such"
                            + " branch: give an existing branch (e.g. main)");
                }
                throw transportFailure("fetch", e);
            } catch (InvalidRemoteException e) {
                throw InvalidInputException.invalid("--repo", url, "not a Git repository: " + scrub(e.getMessage()));
            } catch (GitAPIException e) {
                throw new OperationFailedException("git fetch from " + url + " failed: " + scrub(e.getMessage()), e);
            } catch (org.eclipse.jgit.api.errors.JGitInternalException e) {
                // JGit wraps what its transport could not handle (a broken pack, a server that hung up mid-fetch).
                throw new OperationFailedException("git fetch from " + url + " failed: "
                        + scrub(io.jenkins.plugins.gitopsrelease.core.Failures.describe(e))
                        + " (check that --repo is a Git repository and reachable)", e);
            }
        }

        /** The base branch's tip read straight from the local repository (what a fetch would have brought). */
        private ObjectId localBase() throws IOException {
            Ref ref = local.exactRef("refs/heads/" + baseBranch);
            if (ref == null || ref.getObjectId() == null) {
                throw InvalidInputException.invalid("--base", baseBranch, "the repository " + url + " has no such"
                        + " branch: give an existing branch (e.g. main)");
            }
            return ref.getObjectId();
        }

        /** The release branch's tip if it already holds {@code tree} on top of {@code base}, else null. */
        private ObjectId existingUpToDate(FetchResult fetched, String branch, RevCommit base, ObjectId tree)
                throws IOException {
            Ref remote = local != null ? local.exactRef("refs/heads/" + branch)
                    : fetched.getAdvertisedRef("refs/heads/" + branch);
            if (remote == null && local == null) {
                // Protocol v2 only advertises what was asked for; ask the server directly.
                remote = lsRemote("refs/heads/" + branch);
            }
            if (remote == null || remote.getObjectId() == null) {
                return null;
            }
            if (local == null) {
                fetch(branch, true, partial ? BLOBLESS : null, remote.getObjectId().name());
            }
            // Parsed without the shallow list: a depth-1 walk would hide the tip's parent.
            RevCommit tip = RevCommit.parse(repo.open(remote.getObjectId(), Constants.OBJ_COMMIT).getCachedBytes());
            boolean same = tip.getTree().equals(tree) && tip.getParentCount() == 1 && tip.getParent(0).equals(base);
            return same ? remote.getObjectId() : null;
        }

        private Ref lsRemote(String ref) {
            try (Transport t = Transport.open(repo, uri)) {
                auth.configure(t);
                return transport("ls-remote", () -> {
                    try (var conn = t.openFetch(List.of(new RefSpec(ref)))) {
                        return conn.getRef(ref);
                    }
                });
            } catch (org.eclipse.jgit.errors.TransportException e) {
                throw transportFailure("ls-remote", e);
            } catch (IOException e) {
                throw new OperationFailedException("git ls-remote " + url + " failed: " + scrub(e.getMessage()), e);
            }
        }

        private ObjectId commit(ObjectId tree, RevCommit base) throws IOException {
            java.time.Instant now = clock.instant();
            CommitBuilder cb = new CommitBuilder();
            cb.setTreeId(tree);
            cb.setParentId(base);
            cb.setAuthor(new PersonIdent(author, now, ZoneOffset.UTC));
            cb.setCommitter(new PersonIdent(committer != null ? committer : author, now, ZoneOffset.UTC));
            cb.setMessage(release.commitMessage());
            try (ObjectInserter ins = newInserter()) {
                ObjectId id = ins.insert(cb);
                ins.flush();
                return id;
            }
        }

        private RemoteRefUpdate.Status push(ObjectId commit, String branch, ObjectId expectedOld) throws IOException {
            if (local != null) {
                return updateLocal(commit, branch, expectedOld);
            }
            String ref = "refs/heads/" + branch;
            // Force only the release branch; the base branch moves by fast-forward from the commit we built on.
            RemoteRefUpdate update = new RemoteRefUpdate(repo, commit.name(), commit, ref, expectedOld == null, null,
                    expectedOld);
            try (Transport t = Transport.open(repo, uri)) {
                auth.configure(t);
                PushResult result = transport("push", () -> t.push(NullProgressMonitor.INSTANCE, List.of(update)));
                RemoteRefUpdate u = result.getRemoteUpdate(ref);
                RemoteRefUpdate.Status s = u.getStatus();
                if (s == RemoteRefUpdate.Status.OK || s == RemoteRefUpdate.Status.UP_TO_DATE) {
                    return RemoteRefUpdate.Status.OK;
                }
                boolean ambiguous = expectedOld != null && isFailedUpdate(u.getMessage());
                if (s == RemoteRefUpdate.Status.REJECTED_OTHER_REASON && !isRace(u.getMessage()) && !ambiguous) {
                    throw new OperationFailedException("git push to " + url + " was refused for " + branch + ": "
                            + scrub(u.getMessage()) + " (check branch protection and the credentials' rights)");
                }
                ambiguousRefusal = ambiguous ? scrub(u.getMessage()) : null;
                return s;
            } catch (org.eclipse.jgit.errors.TransportException e) {
                throw transportFailure("push", e);
            }
        }

        /**
         * The push to a repository on this machine: its own receive rules first (receive.denyNonFastForwards,
         * receive.fsckObjects and, as git's receive-pack does, receive.denyCurrentBranch for a branch checked out in
         * a working tree), then the held objects are written, then the branch moves by one locked compare-and-swap.
         * What the transport did in-process, without packing the objects up and parsing them again.
         */
        private RemoteRefUpdate.Status updateLocal(ObjectId commit, String branch, ObjectId expectedOld)
                throws IOException {
            String ref = "refs/heads/" + branch;
            if (!local.isBare() && ref.equals(local.getFullBranch())) {
                String deny = local.getConfig().getString("receive", null, "denyCurrentBranch");
                if (deny == null || !(deny.equalsIgnoreCase("ignore") || deny.equalsIgnoreCase("warn")
                        || deny.equalsIgnoreCase("false"))) {
                    throw new OperationFailedException("the repository " + url + " has " + branch + " checked out"
                            + " in its working tree, and receive.denyCurrentBranch refuses to move it (git does the"
                            + " same): release into a bare repository, or use another --base; nothing was written");
                }
            }
            org.eclipse.jgit.lib.ObjectChecker checker = local.getConfig()
                    .get(org.eclipse.jgit.transport.TransferConfig.KEY).newReceiveObjectChecker();
            if (checker != null) {
                pending.check(checker);
            }
            Ref current = local.exactRef(ref);
            boolean replacing = expectedOld == null && current != null && current.getObjectId() != null
                    && !isAncestor(current.getObjectId(), commit);
            // receive.denyNonFastForwards, read as JGit's ReceivePack reads it (its ReceiveConfig is not public).
            if (replacing && local.getConfig().getBoolean("receive", "denynonfastforwards", false)) {
                throw new OperationFailedException("the repository " + url + " refuses to replace " + branch + " (it"
                        + " holds another commit, and receive.denyNonFastForwards is set): delete that branch, or"
                        + " give another --release-name; nothing was written");
            }
            try (ObjectInserter into = local.newObjectInserter()) {
                pending.writeTo(into);
            }
            RefUpdate u = local.updateRef(ref);
            u.setNewObjectId(commit);
            u.setForceUpdate(expectedOld == null);
            // The branch as this session saw it: another writer in between makes the update fail, not overwrite.
            u.setExpectedOldObjectId(expectedOld != null ? expectedOld
                    : current == null || current.getObjectId() == null ? ObjectId.zeroId() : current.getObjectId());
            u.setRefLogIdent(new PersonIdent(committer != null ? committer : author, clock.instant(),
                    ZoneOffset.UTC));
            u.setRefLogMessage("push", true);
            RefUpdate.Result r = u.update();
            switch (r) {
                case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> {
                    autoGc();
                    return RemoteRefUpdate.Status.OK;
                }
                case LOCK_FAILURE -> {
                    // Locked by another writer, or moved since it was read: a race, as a remote's "stale info". A
                    // lock file that stays (a crashed writer's) is named, as git names it.
                    File lock = new File(local.getDirectory(), ref + ".lock");
                    staleLock = lock.exists() ? lock + " exists: if no other git process is running, remove it"
                            : null;
                    if (expectedOld == null) {
                        throw new OperationFailedException("another writer updated " + branch + " in " + url + " at"
                                + " the same time" + (staleLock != null ? " (" + staleLock + ")" : "")
                                + ": rerun; the new objects are written but unreferenced (git gc removes them)");
                    }
                    return RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED;
                }
                default -> throw new OperationFailedException("updating " + branch + " in " + url + " failed (" + r
                        + "); the new objects are written but unreferenced (git gc removes them)");
            }
        }

        private boolean isAncestor(ObjectId ancestor, ObjectId of) throws IOException {
            try (ObjectReader reader = pending.newReader(); RevWalk rw = new RevWalk(reader)) {
                return rw.isMergedInto(rw.parseCommit(ancestor), rw.parseCommit(of));
            }
        }

        /** git's receive-pack runs "gc --auto" after a push (receive.autogc); done here in the foreground. */
        private void autoGc() {
            if (!local.getConfig().getBoolean("receive", "autogc", true)
                    || !(local instanceof org.eclipse.jgit.internal.storage.file.FileRepository file)) {
                return;
            }
            try {
                org.eclipse.jgit.internal.storage.file.GC gc = new org.eclipse.jgit.internal.storage.file.GC(file);
                gc.setAuto(true); // only past gc.auto loose objects or gc.autoPackLimit packs; in the foreground (default)
                gc.gc();
            } catch (IOException | java.text.ParseException | GitAPIException | RuntimeException e) {
                // The release is in; a failed housekeeping step is the repository owner's to see, not a failure.
                progress.step("git gc --auto in " + url + " failed (" + e.getMessage() + "); the release is pushed");
            }
        }

        /**
         * A transport call; to a repository on this machine it runs where JGit's in-process workers cannot print
         * their failures to stderr ({@link InProcessWorkers}).
         */
        private <T, E extends Exception> T transport(String what, InProcessWorkers.Call<T, E> call) throws E {
            String scheme = uri.getScheme();
            return (scheme == null || scheme.equals("file")) && uri.getHost() == null
                    ? InProcessWorkers.run(what, call) : call.call();
        }

        /**
         * git's receive-pack answers "failed to update ref" both when the branch moved after it was advertised (a
         * race) and when the update failed for another reason; {@link #run} tells them apart by refetching.
         */
        private boolean isFailedUpdate(String message) {
            return message != null && message.toLowerCase(java.util.Locale.ROOT).contains("failed to update ref");
        }

        private boolean isRace(String message) {
            String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
            return m.contains("lock") || m.contains("invalid old id") || m.contains("non-fast") || m.contains("fetch first") || m.contains("stale");
        }

        private List<String> diff(ObjectReader reader, ObjectId a, ObjectId b) throws IOException {
            List<String> paths = new ArrayList<>();
            if (a.equals(b)) {
                return paths;
            }
            try (TreeWalk tw = new TreeWalk(reader)) {
                tw.addTree(a);
                tw.addTree(b);
                tw.setRecursive(true);
                tw.setFilter(TreeFilter.ANY_DIFF);
                while (tw.next()) {
                    paths.add(tw.getPathString());
                }
            }
            java.util.Collections.sort(paths);
            return paths;
        }

        private void backoff(int attempt) {
            long cap = Math.min(backoffMillis << Math.min(attempt - 1, 4), 3_000);
            long sleep = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationFailedException("interrupted while waiting to retry the push", e);
            }
        }

        private OperationFailedException transportFailure(String op, Exception e) {
            String msg = scrub(String.valueOf(e.getMessage()));
            String lower = msg.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("server key did not validate")) {
                // Apache MINA's whole message for an unknown or changed host key; say which file and what to do.
                return new OperationFailedException("git " + op + " " + url + ": the SSH server's host key is not"
                        + " in " + credentials.knownHostsFile() + " or does not match it; refusing to connect: add"
                        + " the server's key to that file (--known-hosts), after checking its fingerprint", e);
            }
            // JGit's SSH client says "Cannot log in at host:port" with "no more keys to try" (refused) or "no keys
            // to try" (the key could not be loaded, e.g. a wrong passphrase); "authentication canceled: no password
            // given" when an encrypted key came without a passphrase.
            if (lower.contains("not authorized") || lower.contains("authentication") || lower.contains("401")
                    || lower.contains("403") || lower.contains("auth fail") || lower.contains("cannot log in")
                    || lower.contains("keys to try")) {
                String hint = !credentials.isSsh()
                        ? "check the git user name and password/token (--git-username, --git-password-env or"
                                + " --git-password-file) or the SSH key (--ssh-key-file)"
                        : lower.contains("no password given")
                                ? "the SSH key is encrypted and no passphrase was given: pass it with"
                                        + " --ssh-passphrase-env"
                        : lower.contains("no keys to try")
                                ? "the SSH key could not be loaded: check its passphrase (--ssh-passphrase-env) and"
                                        + " that it is an OpenSSH or PEM private key"
                                : "the server refused the SSH key: check that its public key may push to this"
                                        + " repository (e.g. a deploy key with write access), the key's passphrase"
                                        + " (--ssh-passphrase-env) and the user in the URL";
                return new OperationFailedException("git " + op + " " + url + ": authentication failed (" + credentials
                        + "): " + hint, null);
            }
            return new OperationFailedException("git " + op + " " + url + " failed: " + msg, e);
        }

        private String scrub(String s) {
            String out = s == null ? "" : s;
            for (String secret : credentials.secretsForScrubbing()) {
                out = out.replace(secret, "****");
            }
            return GitUrls.redact(out).replace('\n', ' ');
        }
    }
}
