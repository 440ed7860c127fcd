/* Small pieces the peer benchmarks share: the generator's manifest rows, a monotonic
 * clock, percentiles. */
#ifndef ZHS_BENCH_UTIL_H
#define ZHS_BENCH_UTIL_H

#include <stddef.h>
#include <stdio.h>

/* One manifest row split at tabs (see bench/README.md): fields point into the line
 * buffer and are valid until the next bench_manifest_next on it. */
#define BENCH_MANIFEST_FIELDS 9
typedef struct {
    char *field[BENCH_MANIFEST_FIELDS];
    int nfields;
} bench_row_t;

/* Reads the next row of f into *line (getline buffer, caller frees with free()) and
 * splits it. Returns 1 for a row, 0 at the end. */
int bench_manifest_next(FILE *f, char **line, size_t *cap, bench_row_t *row);

/* Seconds on the monotonic clock. */
double bench_now(void);

/* The p-th percentile (0..100) of v[0..n), which it sorts; 0 when n is 0. */
double bench_percentile(double *v, size_t n, double p);

#endif
