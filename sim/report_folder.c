/* report_folder.c: a results folder written whole, swapped in with one
 * rename, and never over files replysim did not write.
 *
 * rs_report_write(DIR) writes every file into a fresh private sibling,
 * PARENT/.BASE.replysim-XXXXXX (mkdtemp: mode 0700, a name nobody can
 * guess or plant a link at; each file is created O_EXCL|O_NOFOLLOW), writes
 * the marker DIR/.replysim (the list of the run's files) last, and swaps it
 * with DIR in one step: rename(2) when DIR is missing or empty, else
 * renameat2(RENAME_EXCHANGE), after which the sibling holds the old run and
 * is removed.  While writing, the sibling is flock(2)ed.  The states a kill
 * can leave:
 *   - before the swap: DIR is the old run (or missing); a sibling holds
 *     part of the new one;
 *   - after the swap: DIR is the new run; a sibling holds the old one.
 * Either way DIR is one complete run, and the next write or prepare into
 * DIR removes the siblings nobody holds a lock on.  Where the kernel or the
 * file system has no RENAME_EXCHANGE, the old folder is renamed aside
 * first: a kill between the two renames leaves DIR missing and both runs
 * in siblings (removed by the next run).
 *
 * A folder is replysim's when every entry is a regular file named by its
 * marker or by one of the names replysim writes (folders of versions
 * without a marker), or a leftover of replysim (".NAME.tmpPID",
 * ".NAME.replysim-XXXXXX"); anything else and DIR is refused. */
#define _GNU_SOURCE /* renameat2's flag, syscall() */
#include "replysim/report.h"

#include "replysim/alloc.h"
#include "replysim/buf.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MARKER ".replysim"
#define TAG ".replysim-"
#define PATH_CAP 4096
#define MARKER_CAP 65536
#define TMP_CAP (PATH_CAP + NAME_MAX + 32) /* PARENT/.BASE.replysim-XXXXXX */

/* Every name replysim writes into a results folder (plot's pictures and
 * report's page too); patterns for the pictures of plot --metric. */
static const char *const known[] = {
    "summary.csv",       "replications.csv", "latency.csv",  "intervals.csv", "messages.csv",
    "scenario.ini",      "staffing.csv",     "schedule.csv", "shifts.csv",    "shifts.ini",
    "compare.csv",       "sweep.csv",        "latency.png",  "latency.svg",   "service_level.png",
    "service_level.svg", "load.png",         "load.svg",     "outcomes.png",  "outcomes.svg",
    "sweep.png",         "sweep.svg",        "staffing.png", "staffing.svg",  MARKER,
    "compare.png",       "compare.svg",      "report.html",  "sweep_*.png",   "sweep_*.svg",
    "compare_*.png",     "compare_*.svg",    "backtest.csv", "coverage.csv",  "backtest.png",
    "backtest.svg",
};

struct target {
    char path[PATH_CAP];   /* the folder, no trailing slash, a link to it resolved */
    char parent[PATH_CAP]; /* the folder it is in */
    char base[NAME_MAX + 1];
};

/* name as it may be shown in one line of a message: control bytes as '?'. */
static void shown(const char *name, char *out, size_t cap)
{
    size_t i = 0;
    for (; name[i] && i + 1 < cap; i++)
        out[i] = iscntrl((unsigned char)name[i]) ? '?' : name[i];
    out[i] = '\0';
}

static int split(struct target *t, const char *dir, struct rs_error *err)
{
    char *slash = strrchr(t->path, '/');
    const char *base = slash ? slash + 1 : t->path;
    if (!base[0] || !strcmp(base, ".") || !strcmp(base, ".."))
        return rs_error_input(err, dir, 0, NULL,
                              "expected the name of a folder to write the results into");
    if (strlen(base) > NAME_MAX) return rs_error_input(err, dir, 0, NULL, "name too long");
    memcpy(t->base, base, strlen(base) + 1);
    if (!slash)
        snprintf(t->parent, sizeof t->parent, ".");
    else if (slash == t->path)
        snprintf(t->parent, sizeof t->parent, "/");
    else
        snprintf(t->parent, sizeof t->parent, "%.*s", (int)(slash - t->path), t->path);
    return RS_OK;
}

/* t for dir: trailing slashes dropped, a symbolic link followed (the link
 * stays, what it points at is replaced). */
static int resolve(const char *dir, struct target *t, struct rs_error *err)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    if (len == 0 || len >= sizeof t->path) return rs_error_input(err, dir, 0, NULL, "bad path");
    memcpy(t->path, dir, len);
    t->path[len] = '\0';
    struct stat st;
    if (lstat(t->path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char real[PATH_MAX];
        if (!realpath(t->path, real))
            return rs_error_input(err, dir, 0, NULL, "a symbolic link to nothing: %s",
                                  strerror(errno));
        snprintf(t->path, sizeof t->path, "%s", real);
    }
    return split(t, dir, err);
}

/* A leftover of replysim inside a results folder or beside it. */
static int leftover(const char *name)
{
    if (name[0] != '.') return 0;
    if (strstr(name, TAG)) return 1;
    const char *tmp = strstr(name, ".tmp");
    if (!tmp || !tmp[4]) return 0;
    for (const char *p = tmp + 4; *p; p++)
        if (!isdigit((unsigned char)*p)) return 0;
    return 1;
}

static int is_known(const char *name, const char *marker)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (!fnmatch(known[i], name, FNM_PERIOD)) return 1; /* plot --metric: sweep_M.png */
    size_t n = strlen(name);
    for (const char *p = marker; p && (p = strstr(p, name)) != NULL; p += n)
        if ((p == marker || p[-1] == '\n') && p[n] == '\n') return 1;
    return 0;
}

/* The marker of the folder open at dfd (NUL-terminated, "" when none). */
static void read_marker(int dfd, char *buf, size_t cap)
{
    buf[0] = '\0';
    int fd = openat(dfd, MARKER, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st;
    ssize_t got = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, buf, cap - 1) : 0;
    buf[got > 0 ? got : 0] = '\0';
    close(fd);
}

/* Removes the entries of the folder open at fd that replysim may have
 * written (regular files, links, leftover folders one level down), then
 * closes fd. */
static void empty_folder(int fd, int depth)
{
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        struct stat st;
        if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (!S_ISDIR(st.st_mode)) {
            unlinkat(fd, e->d_name, 0);
        } else if (depth > 0 && leftover(e->d_name)) {
            int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0) empty_folder(sub, depth - 1);
            unlinkat(fd, e->d_name, AT_REMOVEDIR);
        }
    }
    closedir(d);
}

/* Removes the folder path (a sibling of replysim's) and what it holds. */
static void remove_folder(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return;
    empty_folder(fd, 1);
    rmdir(path);
}

/* Removes PARENT/.BASE.replysim-* that no live replysim holds a lock on:
 * what an interrupted run left. */
static void clean_siblings(const struct target *t)
{
    char prefix[NAME_MAX + 16];
    snprintf(prefix, sizeof prefix, ".%s" TAG, t->base);
    DIR *d = opendir(t->parent);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix))) continue;
        int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) continue;
        struct stat st;
        int stale = fstat(fd, &st) == 0 && flock(fd, LOCK_EX | LOCK_NB) == 0;
        if (stale && S_ISDIR(st.st_mode)) {
            empty_folder(dup(fd), 1);
            unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
        } else if (stale && S_ISREG(st.st_mode)) {
            unlinkat(dirfd(d), e->d_name, 0);
        }
        close(fd);
    }
    closedir(d);
}

/* RS_OK when t's folder is missing, empty or replysim's; RS_EINPUT when
 * it is something else. */
static int check_folder(const struct target *t, const char *dir, struct rs_error *err)
{
    struct stat st;
    if (lstat(t->path, &st) != 0) {
        if (errno == ENOENT) return RS_OK;
        if (errno == ENOTDIR)
            return rs_error_input(err, dir, 0, NULL,
                                  "expected a folder, but part of its path "
                                  "is a file");
        return rs_error_io(err, dir, "cannot examine: %s", strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return rs_error_input(err, dir, 0, NULL, "expected a folder for the results, got %s",
                              S_ISREG(st.st_mode) ? "a file" : "something else");
    int fd = open(t->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0) close(fd);
        return rs_error_io(err, dir, "cannot read the folder: %s", strerror(errno));
    }
    char *marker = rs_malloc(MARKER_CAP);
    read_marker(fd, marker, MARKER_CAP);
    int rc = RS_OK;
    struct dirent *e;
    while (!rc && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        int ok = fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                 ((S_ISREG(st.st_mode) && (is_known(e->d_name, marker) || leftover(e->d_name))) ||
                  (S_ISDIR(st.st_mode) && leftover(e->d_name)));
        char name[80];
        shown(e->d_name, name, sizeof name);
        if (!ok)
            rc = rs_error_input(err, dir, 0, NULL,
                                "expected an empty folder or replysim's results, it holds "
                                "\"%s\" which replysim did not write (move it, or choose "
                                "another folder)",
                                name);
    }
    closedir(d);
    free(marker);
    return rc;
}

/* The nearest existing folder at or above t's parent can be written into,
 * tried for real (access(2) says yes to root on a read-only file system):
 * a folder .BASE.replysim-XXXXXX made and removed.  RS_OK, RS_EINPUT (a
 * file on the way) or RS_EIO. */
static int writable(const struct target *t, const char *dir, struct rs_error *err)
{
    char p[TMP_CAP];
    snprintf(p, sizeof p, "%s", t->parent);
    for (;;) {
        struct stat st;
        if (stat(p, &st) == 0) break;
        char *slash = strrchr(p, '/');
        if (!slash)
            snprintf(p, sizeof p, ".");
        else
            slash[slash == p] = '\0';
    }
    struct stat st;
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
        return rs_error_input(err, dir, 0, NULL, "expected a folder, but \"%s\" is a file", p);
    size_t len = strlen(p);
    snprintf(p + len, sizeof p - len, "/.%s" TAG "XXXXXX", t->base);
    if (!mkdtemp(p)) {
        p[len] = '\0';
        return rs_error_io(err, dir, "cannot write into \"%s\": %s", p, strerror(errno));
    }
    rmdir(p);
    return RS_OK;
}

static int discard; /* rs_report_set_discard */

void rs_report_set_discard(int on) { discard = on; }

static int prepare(const char *dir, struct target *t, struct rs_error *err)
{
    int rc = resolve(dir, t, err);
    if (!rc) rc = check_folder(t, dir, err);
    if (discard) return rc;
    if (!rc) rc = writable(t, dir, err);
    if (!rc) clean_siblings(t);
    return rc;
}

int rs_report_prepare(const char *dir, struct rs_error *err)
{
    struct target t;
    return prepare(dir, &t, err);
}

/* mkdir -p; RS_OK or RS_EIO. */
static int mkdirs(const char *path, const char *dir, struct rs_error *err)
{
    char p[PATH_CAP];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                return rs_error_io(err, dir, "cannot create folder \"%s\": %s", p, strerror(errno));
            *s = c;
            if (!c) break;
        }
    }
    return RS_OK;
}

/* One file of the report into the private folder open at dfd. */
static int write_one(int dfd, const char *dir, const struct rs_report_entry *e,
                     struct rs_error *err)
{
    char path[PATH_CAP + NAME_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, e->name);
    if (strchr(e->name, '/') || e->name[0] == '.')
        return rs_error_io(err, path, "expected a plain file name");
    int fd = openat(dfd, e->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        int why = errno;
        if (fd >= 0) close(fd);
        return rs_error_io(err, path, "cannot write: %s", strerror(why));
    }
    int rc = e->write(f, e->ctx, err);
    errno = 0;
    int bad = ferror(f) != 0;
    if (fclose(f) != 0) bad = 1;
    if (!rc && bad) rc = rs_error_io(err, path, "cannot write: %s", strerror(errno ? errno : EIO));
    return rc;
}

/* Every file, then the marker listing them; RS_OK or the first error. */
static int write_all(int dfd, const char *dir, const struct rs_report_entry *files, size_t n,
                     struct rs_error *err)
{
    struct rs_buf list = RS_BUF_INIT;
    rs_buf_printf(&list, "replysim %s: one complete run, these files:\n", RS_VERSION);
    for (size_t i = 0; i < n; i++) {
        if (!files[i].write) continue;
        int rc = write_one(dfd, dir, &files[i], err);
        if (rc) {
            rs_buf_free(&list);
            return rc;
        }
        rs_buf_printf(&list, "%s\n", files[i].name);
    }
    int fd = openat(dfd, MARKER, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    int bad = fd < 0 || write(fd, rs_buf_str(&list), list.len) != (ssize_t)list.len;
    if (fd >= 0 && close(fd) != 0) bad = 1;
    rs_buf_free(&list);
    if (bad) return rs_error_io(err, dir, "cannot write %s: %s", MARKER, strerror(errno));
    return RS_OK;
}

/* Swaps the folders at a and b in one step (Linux 3.15 and later); -1 with
 * errno ENOSYS or EINVAL where the system or file system cannot. */
static int exchange(const char *a, const char *b)
{
#if defined(SYS_renameat2) && defined(RENAME_EXCHANGE)
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    (void)a, (void)b;
    errno = ENOSYS;
    return -1;
#endif
}

/* Puts the complete folder tmp in t's place; afterwards tmp holds the
 * old folder, if any, to remove. */
static int swap(const struct target *t, const char *tmp, const char *dir, struct rs_error *err)
{
    if (rename(tmp, t->path) == 0) return RS_OK; /* missing or empty: one rename */
    if (errno != EEXIST && errno != ENOTEMPTY)
        return rs_error_io(err, dir, "cannot move the results into place: %s", strerror(errno));
    int rc = check_folder(t, dir, err); /* again: it may have changed while we ran */
    if (rc) return rc;
    if (exchange(tmp, t->path) == 0) return RS_OK;
    if (errno != ENOSYS && errno != EINVAL)
        return rs_error_io(err, dir, "cannot move the results into place: %s", strerror(errno));
    char aside[TMP_CAP];
    snprintf(aside, sizeof aside, "%s/.%s" TAG "XXXXXX", t->parent, t->base);
    if (!mkdtemp(aside) || rename(t->path, aside) != 0)
        return rs_error_io(err, dir, "cannot move the old results aside: %s", strerror(errno));
    if (rename(tmp, t->path) != 0) {
        int why = errno;
        rename(aside, t->path);
        return rs_error_io(err, dir, "cannot move the results into place: %s", strerror(why));
    }
    remove_folder(aside);
    return RS_OK;
}

/* The mode for the new folder: the old one's, else 0777 less the umask. */
static mode_t folder_mode(const struct target *t)
{
    struct stat st;
    if (stat(t->path, &st) == 0 && S_ISDIR(st.st_mode)) return st.st_mode & 07777;
    mode_t mask = umask(022);
    umask(mask);
    return 0777 & ~mask;
}

int rs_report_write(const char *dir, const struct rs_report_entry *files, size_t n,
                    struct rs_error *err)
{
    struct target t;
    int rc = prepare(dir, &t, err);
    if (discard) return rc;
    if (!rc) rc = mkdirs(t.parent, dir, err);
    if (rc) return rc;
    char tmp[TMP_CAP];
    snprintf(tmp, sizeof tmp, "%s/.%s" TAG "XXXXXX", t.parent, t.base);
    if (!mkdtemp(tmp))
        return rs_error_io(err, dir, "cannot create a folder beside it: %s", strerror(errno));
    int dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0 || flock(dfd, LOCK_EX) != 0) {
        rc = rs_error_io(err, dir, "cannot open a folder beside it: %s", strerror(errno));
    } else {
        rc = write_all(dfd, dir, files, n, err);
        if (!rc && fchmod(dfd, folder_mode(&t)) != 0)
            rc = rs_error_io(err, dir, "cannot set its mode: %s", strerror(errno));
        if (!rc) rc = swap(&t, tmp, dir, err);
    }
    remove_folder(tmp); /* the partial new folder, or the old one */
    if (dfd >= 0) close(dfd);
    return rc;
}

/* ------------------------------------------------ one file in a shared folder */

int rs_report_write_file(const char *path, const struct rs_report_entry *file, struct rs_error *err)
{
    size_t len = strlen(path);
    if (len && path[len - 1] == '/')
        return rs_error_io(err, path, "expected a file name, not a folder");
    struct target t;
    int rc = resolve(path, &t, err);
    if (discard) return rc;
    if (!rc) rc = mkdirs(t.parent, path, err);
    if (rc) return rc;
    struct stat st;
    int old = lstat(t.path, &st) == 0;
    if (old && !S_ISREG(st.st_mode))
        return rs_error_input(err, path, 0, NULL, "expected a regular file to replace");
    clean_siblings(&t);
    char tmp[TMP_CAP];
    snprintf(tmp, sizeof tmp, "%s/.%s" TAG "XXXXXX", t.parent, t.base);
    int fd = mkstemp(tmp);
    if (fd < 0) return rs_error_io(err, path, "cannot write: %s", strerror(errno));
    mode_t mask = umask(022);
    umask(mask);
    FILE *f = flock(fd, LOCK_EX) == 0 && fchmod(fd, old ? st.st_mode & 07777 : 0666 & ~mask) == 0
                  ? fdopen(fd, "w")
                  : NULL;
    if (!f) {
        rc = rs_error_io(err, path, "cannot write: %s", strerror(errno));
        close(fd);
        unlink(tmp);
        return rc;
    }
    rc = file->write(f, file->ctx, err);
    errno = 0;
    int bad = ferror(f) != 0 || fflush(f) != 0;
    if (!rc && bad) rc = rs_error_io(err, path, "cannot write: %s", strerror(errno ? errno : EIO));
    if (!rc && rename(tmp, t.path) != 0)
        rc = rs_error_io(err, path, "cannot rename into place: %s", strerror(errno));
    if (rc) unlink(tmp);
    fclose(f); /* after the rename: the lock keeps others' clean-up away */
    return rc;
}
