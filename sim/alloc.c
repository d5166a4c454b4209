/* alloc.c: allocation that never returns NULL (alloc.h). */
#include "replysim/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void oom_abort(size_t bytes)
{
    (void)bytes;
    abort();
}

/* Set once by the program before any thread starts; read-only after. */
static rs_oom_fn oom = oom_abort;

void rs_alloc_set_oom(rs_oom_fn h) { oom = h ? h : oom_abort; }

/* The handler must not return; abort if it does all the same. */
void rs_alloc_failed(size_t bytes)
{
    oom(bytes);
    abort();
}

static void *fail(size_t bytes) { rs_alloc_failed(bytes); }

void *rs_malloc(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    return p ? p : fail(bytes);
}

void *rs_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return fail(SIZE_MAX);
    void *p = calloc(n ? n : 1, size ? size : 1);
    return p ? p : fail(n * size);
}

void *rs_realloc(void *p, size_t bytes)
{
    if (!bytes) {
        free(p);
        return NULL;
    }
    void *q = realloc(p, bytes);
    return q ? q : fail(bytes);
}

void *rs_reallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return fail(SIZE_MAX);
    return rs_realloc(p, n * size);
}

char *rs_strdup(const char *s) { return rs_strndup(s, strlen(s)); }

char *rs_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = rs_malloc(len + 1);
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

void *rs_aligned(size_t align, size_t bytes)
{
    void *p;
    if (posix_memalign(&p, align, bytes ? bytes : 1)) return fail(bytes);
    return p;
}
