/* Small helpers of zhsearch-index: allocation that ends the program when memory runs
 * out (there is nothing sensible left to do), path strings, reading a whole file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "indexer.h"

void die_nomem(void)
{
    fprintf(stderr, PROGRAM ": out of memory\n");
    exit(2);
}

char *xstrndup(const char *s, size_t n)
{
    char *d = strndup(s, n);
    if (!d)
        die_nomem();
    return d;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        die_nomem();
    return s;
}

char *path_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

const char *path_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

char *path_join(const char *dir, const char *name)
{
    size_t nd = strlen(dir);
    return xprintf("%s%s%s", dir, nd && dir[nd - 1] == '/' ? "" : "/", name);
}

int64_t mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

zhs_status_t read_all(const char *path, const char *shown, char **out, size_t *nout,
                             zhs_error_t *err)
{
    *out = NULL;
    *nout = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return zhs_error_set(err, ZHS_ERR_IO, "cannot open %s: %s", shown, strerror(errno));
    struct stat sb;
    size_t cap = fstat(fd, &sb) == 0 && sb.st_size > 0 ? (size_t)sb.st_size + 1 : 4096;
    char *buf = malloc(cap);
    size_t len = 0;
    zhs_status_t st = buf ? ZHS_OK : zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    while (st == ZHS_OK) {
        if (len + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory reading %s", shown);
                break;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + len, cap - len - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            st = zhs_error_set(err, ZHS_ERR_IO, "cannot read %s: %s", shown, strerror(errno));
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (st != ZHS_OK) {
        free(buf);
        return st;
    }
    buf[len] = '\0';
    *out = buf;
    *nout = len;
    return ZHS_OK;
}
