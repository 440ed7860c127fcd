/* Lines on stderr: notices (`zhsearch-server: ...`) and one access-log line per
 * request. Each line is written with one call, so threads never interleave lines. */
#ifndef ZHS_SERVER_LOG_H
#define ZHS_SERVER_LOG_H

#include <stddef.h>

void srv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* `2026-11-22T02:43:00.123Z GET /search?q=知识产权 200 1.234ms`: the request target is
 * shown percent-decoded when that gives valid UTF-8, control bytes always escaped. */
void srv_log_access(const char *method, const char *uri, int status, double ms);

/* The readable form of a request target used by srv_log_access, written into
 * out[0..outlen) (always NUL-terminated, cut at a character boundary). */
void srv_log_format_target(const char *uri, char *out, size_t outlen);

#endif
