/* Manifest rows, the clock and percentiles for the peer benchmarks. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

int bench_manifest_next(FILE *f, char **line, size_t *cap, bench_row_t *row)
{
    ssize_t len = getline(line, cap, f);
    if (len <= 0)
        return 0;
    if ((*line)[len - 1] == '\n')
        (*line)[len - 1] = '\0';
    row->nfields = 0;
    char *p = *line;
    while (row->nfields < BENCH_MANIFEST_FIELDS) {
        row->field[row->nfields++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return 1;
}

double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double bench_percentile(double *v, size_t n, double p)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    double rank = p / 100.0 * (double)n;     /* nearest-rank: the ceiling of rank */
    size_t i = (size_t)rank;
    if ((double)i < rank)
        i++;
    return v[i ? i - 1 : 0];
}
