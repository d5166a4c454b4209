/* alloc.h: the one allocation family of replysim.
 *
 * Running out of memory is not an input error a caller can mend, so these
 * never return NULL: they call the out-of-memory handler, which must not
 * return.  The library's own handler aborts without a word (a library does
 * not print or exit); the program installs one that prints one line and
 * exits with status 3 (docs/scenario-reference.md section 7).  Sizes are checked for overflow
 * before they reach malloc, so n * size cannot wrap to a small block. */
#ifndef RS_ALLOC_H
#define RS_ALLOC_H

#include <stddef.h>

/* Called with the size that could not be had; must not return. */
typedef void (*rs_oom_fn)(size_t bytes);

/* Installs h (NULL: the library's own, abort()). */
void rs_alloc_set_oom(rs_oom_fn h);

void *rs_malloc(size_t bytes);
void *rs_calloc(size_t n, size_t size);                /* zeroed, n * size checked */
void *rs_realloc(void *p, size_t bytes);               /* bytes 0 frees p and returns NULL */
void *rs_reallocarray(void *p, size_t n, size_t size); /* n * size checked */
char *rs_strdup(const char *s);
char *rs_strndup(const char *s, size_t n); /* at most n bytes of s, NUL-terminated */

/* For blocks another library (GSL, inih, libcsv) failed to allocate: calls
 * the handler for bytes (0 when the library does not say); never returns. */
void rs_alloc_failed(size_t bytes) __attribute__((noreturn));

/* Aligned block of bytes (align a power of two >= sizeof(void *)); free() it. */
void *rs_aligned(size_t align, size_t bytes);

#endif
