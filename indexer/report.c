/* What the user sees on stderr: per-file messages, a progress bar when stderr is a
 * terminal, and the one summary line every run ends with. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "indexer.h"

#define BAR_WIDTH 30
/* Redraw at most this often (seconds). */
#define REDRAW 0.1

double report_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void report_init(report_t *r, bool tty)
{
    memset(r, 0, sizeof *r);
    r->tty = tty;
    r->start = report_now();
}

static double mb(uint64_t bytes)
{
    return (double)bytes / (1024.0 * 1024.0);
}

void report_progress(report_t *r, bool force)
{
    if (!r->tty || r->total_files == 0)
        return;
    double now = report_now();
    if (!force && now - r->last_draw < REDRAW)
        return;
    r->last_draw = now;
    double frac = r->total_bytes ? (double)r->done_bytes / (double)r->total_bytes
                                 : (double)r->done_files / (double)r->total_files;
    int fill = (int)(frac * BAR_WIDTH + 0.5);
    char bar[BAR_WIDTH + 1];
    for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < fill ? '=' : ' ';
    bar[BAR_WIDTH] = '\0';
    double secs = now - r->start;
    fprintf(stderr, "\r\033[K%3d%% [%s] %zu/%zu files, %.1f MB, %.2f MB/s", (int)(frac * 100),
            bar, r->done_files, r->total_files, mb(r->done_bytes),
            secs > 0 ? mb(r->done_bytes) / secs : 0.0);
    fflush(stderr);
}

void report_clear_progress(report_t *r)
{
    if (r->tty && r->last_draw > 0) {
        fputs("\r\033[K", stderr);
        r->last_draw = 0;
    }
}

void report_file(report_t *r, const char *shown, const char *fmt, ...)
{
    report_clear_progress(r);
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, PROGRAM ": %s: ", shown);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void report_summary(report_t *r, bool explain)
{
    report_clear_progress(r);
    double secs = report_now() - r->start;
    double rate = secs > 0 ? mb(r->bytes) / secs : 0.0;
    size_t files = r->added + r->updated + r->unchanged + r->failed;
    if (explain) {
        fprintf(stderr,
                PROGRAM ": explained %zu files (%zu failed); %zu passages; %.2f MB in %.2f s "
                "(%.2f MB/s); nothing written\n",
                files, r->failed, r->passages, mb(r->bytes), secs, rate);
        return;
    }
    fprintf(stderr,
            PROGRAM ": %zu files: %zu added, %zu updated, %zu unchanged, %zu removed, "
            "%zu failed; %zu passages; %.2f MB in %.2f s (%.2f MB/s)",
            files, r->added, r->updated, r->unchanged, r->removed, r->failed, r->passages,
            mb(r->bytes), secs, rate);
    /* Deleted passages cost space and skew term statistics until a rebuild drops them. */
    if (r->deleted)
        fprintf(stderr, "; %llu deleted passages kept until --rebuild",
                (unsigned long long)r->deleted);
    fputc('\n', stderr);
}
