/* Process and file helpers of the end-to-end tests (see proc_util.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc_util.h"

extern char **environ;

void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

char *str_vprintf(const char *fmt, va_list ap)
{
    char *s = NULL;
    return vasprintf(&s, fmt, ap) < 0 ? NULL : s;
}

char *str_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = str_vprintf(fmt, ap);
    va_end(ap);
    return s;
}

static int exit_status_of(int wstatus)
{
    return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
}

/* Spawns argv with stdout to out_fd (or the log when -1) and stderr to the log. */
static pid_t spawn(char *const argv[], const char *logpath, int out_fd)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, logpath, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    else
        posix_spawn_file_actions_adddup2(&fa, 2, 1);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? pid : -1;
}

int proc_run(char *const argv[], const char *logpath)
{
    pid_t pid = spawn(argv, logpath, -1);
    if (pid < 0)
        return -1;
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            return -1;
    return exit_status_of(ws);
}

int server_start(server_t *s, char *const argv[], const char *logpath, int *exit_status)
{
    memset(s, 0, sizeof *s);
    s->pid = -1;
    s->out_fd = -1;
    if (exit_status)
        *exit_status = -1;
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return -1;
    s->pid = spawn(argv, logpath, p[1]);
    close(p[1]);
    s->out_fd = p[0];
    if (s->pid < 0)
        return -1;
    size_t n = 0;
    while (n + 1 < sizeof s->line && !memchr(s->line, '\n', n)) {
        struct pollfd pfd = {.fd = s->out_fd, .events = POLLIN};
        if (poll(&pfd, 1, 120000) <= 0)
            break;
        ssize_t r = read(s->out_fd, s->line + n, sizeof s->line - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
        s->line[n] = '\0';
    }
    const char *at = strstr(s->line, "http://127.0.0.1:");
    if (at && sscanf(at, "http://127.0.0.1:%u/", &s->port) == 1 && s->port)
        return 0;
    int st = server_stop(s, SIGKILL);
    if (exit_status)
        *exit_status = st;
    return -1;
}

int server_stop(server_t *s, int sig)
{
    if (s->pid <= 0)
        return -1;
    kill(s->pid, sig);
    int ws = 0, rc = -1;
    for (int i = 0; i < 600; i++) {
        pid_t r = waitpid(s->pid, &ws, WNOHANG);
        if (r == s->pid) {
            rc = exit_status_of(ws);
            break;
        }
        if (i == 599) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &ws, 0);
        }
        sleep_ms(100);
    }
    if (s->out_fd >= 0)
        close(s->out_fd);
    s->out_fd = -1;
    s->pid = -1;
    return rc;
}

char *read_file(const char *path, size_t *nbytes)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (n + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    if (nbytes)
        *nbytes = n;
    return buf;
}

int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = strlen(text);
    int rc = fwrite(text, 1, n, f) == n ? 0 : -1;
    return fclose(f) == 0 ? rc : -1;
}

int copy_files(const char *src, const char *dst)
{
    if (mkdir(dst, 0755) != 0 && errno != EEXIST)
        return -1;
    DIR *d = opendir(src);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *from = str_printf("%s/%s", src, e->d_name);
        char *to = str_printf("%s/%s", dst, e->d_name);
        struct stat st;
        if (stat(from, &st) == 0 && S_ISREG(st.st_mode)) {
            size_t n;
            char *text = read_file(from, &n);
            FILE *f = text ? fopen(to, "wb") : NULL;
            rc = f && fwrite(text, 1, n, f) == n ? 0 : -1;
            if (f)
                fclose(f);
            free(text);
        }
        free(from);
        free(to);
    }
    closedir(d);
    return rc;
}

