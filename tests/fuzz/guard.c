/* guard.c: the guards of the fuzz builds (tests/fuzz/guard.syms): the
 * library, and plot's reading, may read files but never create, change or
 * remove one while fuzzed. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* ------------------------------------------------ no writes while loading */

/* The Makefile renames these calls in the fuzz build of sim/ (objcopy
 * --redefine-syms=tests/fuzz/guard.syms), so every one the library makes
 * comes here; libFuzzer's own calls (corpus, crash files) are untouched. */

static int write_flags(int flags)
{
    return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC | O_APPEND)) != 0;
}

static int write_mode(const char *mode)
{
    return !mode || strchr(mode, 'w') || strchr(mode, 'a') || strchr(mode, '+');
}

static void refuse(const char *call, const char *path)
{
    fprintf(stderr, "fuzz: the library tried to write: %s(\"%s\")\n", call, path ? path : "(null)");
    abort();
}

#define GUARD(ret, name, params)                                                                   \
    ret rs_fuzz_##name params;                                                                     \
    ret rs_fuzz_##name params

GUARD(FILE *, fopen, (const char *path, const char *mode))
{
    if (write_mode(mode)) refuse("fopen", path);
    return fopen(path, mode);
}

GUARD(FILE *, fopen64, (const char *path, const char *mode))
{
    if (write_mode(mode)) refuse("fopen64", path);
    return fopen(path, mode);
}

GUARD(FILE *, freopen, (const char *path, const char *mode, FILE *f))
{
    if (write_mode(mode)) refuse("freopen", path);
    return freopen(path, mode, f);
}

GUARD(FILE *, fdopen, (int fd, const char *mode))
{
    if (write_mode(mode)) refuse("fdopen", "(fd)");
    return fdopen(fd, mode);
}

GUARD(int, open, (const char *path, int flags, ...))
{
    if (write_flags(flags)) refuse("open", path);
    return open(path, flags);
}

GUARD(int, open64, (const char *path, int flags, ...))
{
    if (write_flags(flags)) refuse("open64", path);
    return open(path, flags);
}

GUARD(int, openat, (int dir, const char *path, int flags, ...))
{
    if (write_flags(flags)) refuse("openat", path);
    return openat(dir, path, flags);
}

GUARD(int, creat, (const char *path, mode_t mode))
{
    (void)mode;
    refuse("creat", path);
    return -1;
}

GUARD(int, mkdir, (const char *path, mode_t mode))
{
    (void)mode;
    refuse("mkdir", path);
    return -1;
}

GUARD(int, rename, (const char *from, const char *to))
{
    (void)to;
    refuse("rename", from);
    return -1;
}

GUARD(int, remove, (const char *path))
{
    refuse("remove", path);
    return -1;
}

GUARD(int, unlink, (const char *path))
{
    refuse("unlink", path);
    return -1;
}

GUARD(int, rmdir, (const char *path))
{
    refuse("rmdir", path);
    return -1;
}

GUARD(int, truncate, (const char *path, off_t n))
{
    (void)n;
    refuse("truncate", path);
    return -1;
}

GUARD(int, symlink, (const char *target, const char *path))
{
    (void)target;
    refuse("symlink", path);
    return -1;
}

GUARD(int, link, (const char *target, const char *path))
{
    (void)target;
    refuse("link", path);
    return -1;
}

GUARD(int, mkstemp, (char *tmpl))
{
    refuse("mkstemp", tmpl);
    return -1;
}

GUARD(FILE *, tmpfile, (void))
{
    refuse("tmpfile", "");
    return NULL;
}
