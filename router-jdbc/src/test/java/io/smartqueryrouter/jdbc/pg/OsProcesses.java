package io.smartqueryrouter.jdbc.pg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The operating-system side of {@link PostgresCluster}: who we are, running commands (as the
 * {@code postgres} user when the JVM is root, because {@code initdb} refuses to run as root),
 * signals and process states read from {@code /proc}. Linux only, like the cluster.
 */
final class OsProcesses {

    /** The unprivileged user PostgreSQL runs as when the JVM is root. */
    static final String POSTGRES_USER = "postgres";

    private static final boolean ROOT = readUid() == 0;

    private OsProcesses() {
    }

    /** The outcome of one command. */
    record Result(List<String> command, int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        String describe() {
            return String.join(" ", command) + " -> exit " + exitCode
                    + (output.isBlank() ? "" : "\n" + output.strip());
        }
    }

    static boolean runningAsRoot() {
        return ROOT;
    }

    private static int readUid() {
        try {
            // /proc/self belongs to the uid the JVM runs as
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name")) ? 0 : -1;
        }
    }

    /**
     * Makes sure the {@code postgres} user exists (it does where package postgresql-15 is
     * installed); creates a system user otherwise. Only called when we are root.
     */
    static void ensurePostgresUser() {
        if (run(Duration.ofSeconds(10), null, false, List.of("id", "-u", POSTGRES_USER)).ok()) {
            return;
        }
        boolean groupExists = run(Duration.ofSeconds(10), null, false, List.of("getent", "group", POSTGRES_USER)).ok();
        List<String> useradd = new ArrayList<>(List.of("useradd", "--system", "--no-create-home",
                "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin"));
        useradd.addAll(groupExists ? List.of("--gid", POSTGRES_USER) : List.of("--user-group"));
        useradd.add(POSTGRES_USER);
        Result result = run(Duration.ofSeconds(30), null, false, useradd);
        if (!result.ok()) {
            throw new IllegalStateException("PostgreSQL cannot run as root and there is no '" + POSTGRES_USER
                    + "' user; creating one failed: " + result.describe());
        }
    }

    /** Gives {@code path} to the {@code postgres} user when we are root; does nothing otherwise. */
    static void giveToPostgres(Path path) {
        if (!ROOT) {
            return;
        }
        try {
            UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(POSTGRES_USER);
            Files.setOwner(path, owner);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + path + " to user " + POSTGRES_USER, e);
        }
    }

    /** True if the user that runs PostgreSQL can create files in {@code dir} (every parent traversable). */
    static boolean postgresCanWrite(Path dir) {
        return run(Duration.ofSeconds(10), null, true, List.of("test", "-w", dir.toString(), "-a", "-x", dir.toString())).ok();
    }

    /**
     * Runs a command and waits for it, with its output (stdout and stderr) collected through a
     * file: a pipe could be inherited by a daemon the command starts and never reach EOF.
     *
     * @param asPostgres run as the {@code postgres} user (through {@code runuser}) if we are root
     */
    static Result run(Duration timeout, Path workDir, boolean asPostgres, List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgres && ROOT) {
            full.addAll(List.of("runuser", "-u", POSTGRES_USER, "--"));
        }
        full.addAll(command);
        Path out = null;
        try {
            out = Files.createTempFile("pg-cluster-cmd", ".out");
            ProcessBuilder builder = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("LC_ALL", "C");
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("no answer within " + timeout + " from: " + String.join(" ", full)
                        + "\n" + Files.readString(out, StandardCharsets.UTF_8).strip());
            }
            return new Result(full, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run: " + String.join(" ", full), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running: " + String.join(" ", full), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** Like {@link #run} but throws with the command's output when it fails. */
    static Result runOrThrow(Duration timeout, Path workDir, boolean asPostgres, List<String> command, String what) {
        Result result = run(timeout, workDir, asPostgres, command);
        if (!result.ok()) {
            throw new IllegalStateException(what + " failed: " + result.describe());
        }
        return result;
    }

    /** Sends {@code signal} (e.g. STOP, CONT) to every pid; processes gone meanwhile are ignored. */
    static void signal(String signal, Collection<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        // the shell's own kill: no dependency on procps; as root, or as the same user, it may signal postgres
        String list = pids.stream().map(String::valueOf).collect(Collectors.joining(" "));
        run(Duration.ofSeconds(10), null, false, List.of("sh", "-c", "kill -s " + signal + " " + list + " 2>/dev/null; true"));
    }

    /** Every live descendant of {@code pid} (PostgreSQL's backends and auxiliary processes). */
    static List<Long> descendants(long pid) {
        return ProcessHandle.of(pid)
                .map(handle -> handle.descendants().map(ProcessHandle::pid).collect(Collectors.toList()))
                .orElse(List.of());
    }

    /**
     * The state letter of a process from {@code /proc/<pid>/stat} ('T' when stopped by a signal),
     * or '?' if it is gone.
     */
    static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.US_ASCII);
            // the command name is in parentheses and may hold spaces: the state follows the last ')'
            int close = stat.lastIndexOf(')');
            return stat.charAt(close + 2);
        } catch (IOException | RuntimeException e) {
            return '?';
        }
    }

    /** True if the process exists and is not a zombie (an exited server waiting to be reaped by init). */
    static boolean alive(long pid) {
        if (pid <= 0) {
            return false;
        }
        char state = state(pid);
        return state != '?' && state != 'Z' && state != 'X';
    }

    /** The last {@code lines} lines of a text file, or a note saying why there are none. */
    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no " + file + ")";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Deletes a directory tree; best effort. */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // a server that was killed may still be writing; what is left is under target/
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // same as above
        }
    }
}
