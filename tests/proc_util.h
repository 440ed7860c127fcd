/* Processes and files for the end-to-end tests: run the real programs, start the real
 * server and read its port from its start line, scratch directories. */
#ifndef ZHS_TESTS_PROC_UTIL_H
#define ZHS_TESTS_PROC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

/* Runs argv (NULL-terminated; argv[0] a path) with stdout and stderr appended to
 * logpath. Returns its exit status, or -1 when it could not run or was killed. */
int proc_run(char *const argv[], const char *logpath);

typedef struct {
    pid_t pid;
    unsigned port;
    int out_fd;                 /* its stdout */
    char line[512];             /* its start line */
} server_t;

/* Starts argv (the server) with stderr appended to logpath, and waits for its start
 * line on stdout (at most 120 s). Returns 0 with s->port set; -1 when the server
 * exited or printed something else (then *exit_status, if not NULL, is its exit
 * status, or -1). */
int server_start(server_t *s, char *const argv[], const char *logpath, int *exit_status);

/* Sends sig and waits for the exit. Returns the exit status, or -1 when it was killed
 * by a signal or did not exit within 60 s (then it is killed). */
int server_stop(server_t *s, int sig);

/* The file's bytes, NUL-terminated (caller frees), or NULL. */
char *read_file(const char *path, size_t *nbytes);
int write_file(const char *path, const char *text);

/* Copies every regular file of src into dst (created). */
int copy_files(const char *src, const char *dst);

/* printf into a new string (caller frees), NULL when out of memory. */
char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *str_vprintf(const char *fmt, va_list ap);

/* Sleeps ms milliseconds. */
void sleep_ms(unsigned ms);

#endif
