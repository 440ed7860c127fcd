/* Analyzer throughput on one core: the seed corpus repeated to ~100 MB in memory, then
 * normalization (without and with the offset map) and tokenization, timed over the
 * whole buffer in one call and line by line (passage-sized calls, as the indexer makes
 * them). Prints figures only; `make bench` runs it. Usage: bench_analyzer [corpus-dir] */
#include "config.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zhsearch/analyzer.h"

#define TARGET_BYTES (100u * 1000 * 1000)
#define ROUNDS 3   /* each figure is the best of ROUNDS runs: the machine is shared */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_analyzer: %s\n", what);
    exit(1);
}

/* Every *.txt of dir, concatenated, each ending in a newline. */
static char *read_corpus(const char *dir, size_t *nbytes, size_t *nfiles)
{
    char pattern[4096];
    snprintf(pattern, sizeof pattern, "%s/*.txt", dir);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0)
        die("no corpus/*.txt found");
    char *all = NULL;
    size_t n = 0;
    for (size_t k = 0; k < g.gl_pathc; k++) {
        FILE *f = fopen(g.gl_pathv[k], "rb");
        if (!f)
            die("cannot open a corpus file");
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        rewind(f);
        all = realloc(all, n + (size_t)size + 1);
        if (!all || fread(all + n, 1, (size_t)size, f) != (size_t)size)
            die("cannot read a corpus file");
        fclose(f);
        n += (size_t)size;
        if (n && all[n - 1] != '\n')
            all[n++] = '\n';
    }
    *nfiles = g.gl_pathc;
    globfree(&g);
    *nbytes = n;
    return all;
}

static int count_token(void *ctx, const zhs_token_t *tok)
{
    (void)tok;
    ++*(size_t *)ctx;
    return 0;
}

typedef enum { STEP_NORMALIZE, STEP_NORMALIZE_OFFSETS, STEP_TOKENIZE, STEP_BOTH } step_t;

/* Runs one step over text[0..n) (tokenize works on norm, the same text normalized).
 * Returns the number of tokens, or 0 for the normalize-only steps. */
static size_t run_chunk(step_t step, const char *text, size_t n, const char *norm, size_t nn)
{
    size_t tokens = 0;
    if (step == STEP_TOKENIZE) {
        zhs_tokenize(norm, nn, count_token, &tokens);
        return tokens;
    }
    zhs_normalized_t out;
    unsigned flags = step == STEP_NORMALIZE_OFFSETS ? ZHS_NORM_OFFSETS : 0;
    if (zhs_normalize(text, n, flags, &out, NULL) != ZHS_OK)
        die("normalization failed");
    if (step == STEP_BOTH)
        zhs_tokenize(out.text, out.nbytes, count_token, &tokens);
    zhs_normalized_release(&out);
    return tokens;
}

/* Runs a step over the whole text in one call, or line by line. */
static size_t run_step(step_t step, bool by_line, const char *text, size_t n,
                       const char *norm, size_t nn)
{
    if (!by_line)
        return run_chunk(step, text, n, norm, nn);
    size_t tokens = 0;
    /* Normalization keeps ASCII newlines, so text and norm split into the same lines. */
    const char *t = text, *tend = text + n, *u = norm, *uend = norm + nn;
    while (t < tend) {
        const char *te = memchr(t, '\n', (size_t)(tend - t));
        const char *ue = memchr(u, '\n', (size_t)(uend - u));
        if (!te || !ue)
            die("text and normalized text do not split alike");
        tokens += run_chunk(step, t, (size_t)(te - t), u, (size_t)(ue - u));
        t = te + 1;
        u = ue + 1;
    }
    return tokens;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "corpus";
    zhs_error_t err = {0};
    double t0 = now();
    if (zhs_analyzer_init(&err) != ZHS_OK)
        die(err.message);
    double init_ms = (now() - t0) * 1e3;

    size_t one, nfiles;
    char *corpus = read_corpus(dir, &one, &nfiles);
    size_t copies = (TARGET_BYTES + one - 1) / one, n = one * copies, lines = 0;
    char *text = malloc(n);
    if (!text)
        die("no memory");
    for (size_t k = 0; k < copies; k++)
        memcpy(text + k * one, corpus, one);
    for (size_t k = 0; k < one; k++)
        lines += corpus[k] == '\n';
    zhs_normalized_t norm;
    if (zhs_normalize(text, n, 0, &norm, NULL) != ZHS_OK)
        die("normalization failed");

    printf("analyzer init: %.1f ms\n", init_ms);
    printf("input: %.1f MB = %zu copies of %zu corpus files (%zu bytes, %zu lines each)\n\n",
           (double)n / 1e6, copies, nfiles, one, lines);
    printf("%-22s %-6s %8s %8s %8s %12s\n", "step", "calls", "MB", "seconds", "MB/s", "tokens");
    static const struct { step_t step; const char *name; } steps[] = {
        {STEP_NORMALIZE, "normalize"},
        {STEP_NORMALIZE_OFFSETS, "normalize + offsets"},
        {STEP_TOKENIZE, "tokenize"},
        {STEP_BOTH, "normalize + tokenize"},
    };
    for (int by_line = 0; by_line < 2; by_line++)
        for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
            double best = 1e30;
            size_t tokens = 0;
            for (int r = 0; r < ROUNDS; r++) {
                double start = now();
                tokens = run_step(steps[s].step, by_line, text, n, norm.text, norm.nbytes);
                double secs = now() - start;
                best = secs < best ? secs : best;
            }
            char count[32] = "-";
            if (tokens)
                snprintf(count, sizeof count, "%zu", tokens);
            printf("%-22s %-6s %8.1f %8.3f %8.1f %12s\n", steps[s].name,
                   by_line ? "lines" : "whole", (double)n / 1e6, best, (double)n / 1e6 / best,
                   count);
        }
    zhs_normalized_release(&norm);
    free(text);
    free(corpus);
    return 0;
}
