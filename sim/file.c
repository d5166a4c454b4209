/* file.c: opening input files without blocking, regular files only. */
#include "replysim/file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *rs_file_kind(unsigned mode)
{
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISLNK(mode)) return "a symbolic link";
    return "not a regular file";
}

int rs_file_open_read(const char *path, FILE **out, char *why, size_t why_len)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        rs_error_why(why, why_len, "%s", strerror(errno));
        return RS_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rs_error_why(why, why_len, "%s", strerror(errno));
        close(fd);
        return RS_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        rs_error_why(why, why_len, "expected a regular file, got %s",
                     rs_file_kind((unsigned)st.st_mode));
        close(fd);
        return RS_EINPUT;
    }
    int flags = fcntl(fd, F_GETFL);
    FILE *f = flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 ? NULL : fdopen(fd, "rb");
    if (!f) {
        rs_error_why(why, why_len, "%s", strerror(errno));
        close(fd);
        return RS_EIO;
    }
    *out = f;
    return RS_OK;
}
