/* gen_corpus: writes a deterministic corpus of policy-shaped Chinese documents for the
 * benchmarks, and optionally a manifest of what each document and passage is (the
 * ground truth the FTS5 benchmarks load and the tests compare against).
 *
 *   gen_corpus --docs N [--seed S] --out DIR [--manifest FILE]
 *              [--corpus SEED_DIR] [--prose TEXT_DIR] [--quiet]
 *
 * Same seed, same seed corpus and same prose package version: byte-identical output. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <opencc/opencc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "gen.h"

#ifndef ZHS_BENCH_CORPUS_DIR
#define ZHS_BENCH_CORPUS_DIR "corpus"
#endif
/* Where Debian's manpages-zh puts its Simplified Chinese pages. */
#define DEFAULT_PROSE_DIR "/usr/share/man/zh_CN"

typedef struct {
    unsigned long docs;
    uint64_t seed;
    const char *out;
    const char *manifest;
    const char *corpus;
    const char *prose;
    const char *dump;         /* print this sentence pool and stop */
    int quiet;
} options_t;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: gen_corpus --docs N [--seed S] --out DIR [--manifest FILE]\n"
               "                  [--corpus SEED_DIR] [--prose TEXT_DIR] [--quiet]\n"
               "Writes N policy-shaped documents to DIR/NNNN/*.txt (1000 per directory).\n"
               "  --manifest FILE  also write one row per document (D) and passage (P)\n"
               "  --corpus DIR     seed documents (default: %s)\n"
               "  --prose DIR      Chinese manual pages, gzip or plain (default: %s)\n"
               "  --dump POOL      print the pool policy|headings|prose|clauses and stop\n",
            ZHS_BENCH_CORPUS_DIR, DEFAULT_PROSE_DIR);
}

static int parse_options(int argc, char **argv, options_t *o)
{
    static const struct option longopts[] = {
        {"docs", required_argument, NULL, 'n'}, {"seed", required_argument, NULL, 's'},
        {"out", required_argument, NULL, 'o'}, {"manifest", required_argument, NULL, 'm'},
        {"corpus", required_argument, NULL, 'c'}, {"prose", required_argument, NULL, 'p'},
        {"dump", required_argument, NULL, 'd'}, {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (options_t){.seed = 1, .corpus = ZHS_BENCH_CORPUS_DIR, .prose = DEFAULT_PROSE_DIR};
    int have_docs = 0, c;
    char *end;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'n':
            errno = 0;
            o->docs = strtoul(optarg, &end, 10);
            if (errno || *end || optarg[0] == '-')
                return -1;
            have_docs = 1;
            break;
        case 's':
            errno = 0;
            o->seed = strtoull(optarg, &end, 10);
            if (errno || *end || optarg[0] == '-')
                return -1;
            break;
        case 'o': o->out = optarg; break;
        case 'm': o->manifest = optarg; break;
        case 'c': o->corpus = optarg; break;
        case 'p': o->prose = optarg; break;
        case 'd': o->dump = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'h': usage(stdout); exit(0);
        default: return -1;
        }
    }
    return (o->dump || (have_docs && o->out)) && optind == argc ? 0 : -1;
}

/* OpenCC conversion into a gen_buf_t; ctx is the opencc_t. */
static int convert(void *ctx, const char *in, size_t nbytes, gen_buf_t *out)
{
    char *s = opencc_convert_utf8((opencc_t)ctx, in, nbytes);
    if (!s)
        return -1;
    out->len = 0;
    gen_buf_adds(out, s);
    opencc_convert_utf8_free(s);
    return 0;
}

static opencc_t open_converter(const char *config)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", ZHS_OPENCC_DATA_DIR, config);
    opencc_t cc = opencc_open(path);
    if (cc == (opencc_t)-1) {
        fprintf(stderr, "gen_corpus: cannot open OpenCC %s: %s (apt-get install -y opencc)\n",
                path, opencc_error());
        return NULL;
    }
    return cc;
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST)
        return 0;
    fprintf(stderr, "gen_corpus: cannot create %s: %s\n", path, strerror(errno));
    return -1;
}

static int write_file(const char *path, const char *data, size_t nbytes)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, nbytes, f) != nbytes || fclose(f) != 0) {
        fprintf(stderr, "gen_corpus: cannot write %s: %s\n", path, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    return 0;
}

/* Trims blanks (ASCII, no-break space, ideographic space) off both ends of s[0..*n). */
static const char *trim(const char *s, size_t *n)
{
    for (;;) {
        if (*n >= 1 && (s[0] == ' ' || s[0] == '\t'))
            s++, (*n)--;
        else if (*n >= 2 && memcmp(s, "\u00a0", 2) == 0)
            s += 2, *n -= 2;
        else if (*n >= 3 && memcmp(s, "\u3000", 3) == 0)
            s += 3, *n -= 3;
        else
            break;
    }
    for (;;) {
        if (*n >= 1 && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
            (*n)--;
        else if (*n >= 2 && memcmp(s + *n - 2, "\u00a0", 2) == 0)
            *n -= 2;
        else if (*n >= 3 && memcmp(s + *n - 3, "\u3000", 3) == 0)
            *n -= 3;
        else
            break;
    }
    return s;
}

/* The first value of a label line s (n bytes, to *n): from after its `:` to the next
 * blank. A document number (written in the line's script) holds none. */
static const char *label_value(const char *s, size_t *n)
{
    const char *end = s + *n, *v = memchr(s, ':', *n);
    v = v ? v + 1 : end;
    while (v < end && *v == ' ')
        v++;
    const char *e = v;
    while (e < end && *e != ' ')
        e++;
    *n = (size_t)(e - v);
    return v;
}

/* Manifest rows: D id file year date issuers doc_number title script
 *                P id line year issuers section subsection departments text */
static void manifest_rows(FILE *m, const gen_doc_t *doc, const char *id, const char *file,
                          const gen_buf_t *text)
{
    fprintf(m, "D\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", id, file, doc->year, doc->date, doc->issuer,
            doc->doc_number, doc->title, doc->traditional ? "traditional" : "simplified");
    size_t pos = 0, p = 0, n;
    const char *s;
    unsigned line = 0;
    while (p < doc->npassages && gen_next_line(text->data, text->len, &pos, &s, &n)) {
        if (doc->passages[p].line != ++line)
            continue;
        const char *t = doc->passages[p].number ? label_value(s, &n) : trim(s, &n);
        fprintf(m, "P\t%s\t%u\t%d\t%s\t%s\t%.*s\n", id, line, doc->year, doc->issuer,
                doc->meta.data + doc->passages[p].meta, (int)n, t);
        p++;
    }
}

static int dump_pool(const gen_text_t *text, const char *name)
{
    const gen_pool_t *pool = strcmp(name, "policy") == 0 ? &text->policy
                           : strcmp(name, "headings") == 0 ? &text->headings
                           : strcmp(name, "prose") == 0 ? &text->prose
                           : strcmp(name, "clauses") == 0 ? &text->clauses : NULL;
    if (!pool) {
        usage(stderr);
        return 2;
    }
    for (size_t i = 0; i < pool->n; i++)
        puts(gen_pool_get(pool, i));
    return 0;
}

/* Writes the documents (and the manifest); returns the exit status. */
static int generate(const options_t *o, const gen_text_t *text, opencc_t s2t, double t0)
{
    FILE *manifest = NULL;
    if (make_dir(o->out) != 0)
        return 2;
    if (o->manifest && !(manifest = fopen(o->manifest, "w"))) {
        fprintf(stderr, "gen_corpus: cannot write %s: %s\n", o->manifest, strerror(errno));
        return 2;
    }
    gen_doc_t doc = {0};
    gen_buf_t path = {0}, converted = {0};
    uint64_t bytes = 0, passages = 0;
    int rc = 0;
    for (unsigned long i = 0; i < o->docs && rc == 0; i++) {
        gen_rng_t rng = gen_rng_for(o->seed, i);
        char id[64], file[80];
        snprintf(id, sizeof id, "%07lu_%016" PRIx64, i, gen_rng_next(&rng));
        snprintf(file, sizeof file, "%s.txt", id);
        gen_doc_build(&doc, text, &rng);
        const gen_buf_t *out = &doc.text;
        if (doc.traditional) {
            if (convert(s2t, doc.text.data, doc.text.len, &converted) != 0) {
                fprintf(stderr, "gen_corpus: conversion to Traditional failed\n");
                rc = 2;
                break;
            }
            out = &converted;
        }
        path.len = 0;
        gen_buf_addf(&path, "%s/%04lu", o->out, i / 1000);
        if ((i % 1000 == 0 && make_dir(path.data) != 0) ||
            (gen_buf_addf(&path, "/%s", file), write_file(path.data, out->data, out->len) != 0)) {
            rc = 2;
            break;
        }
        if (manifest)
            manifest_rows(manifest, &doc, id, file, out);
        bytes += out->len;
        passages += doc.npassages;
        if (!o->quiet && (i + 1) % 10000 == 0)
            fprintf(stderr, "gen_corpus: %lu documents, %.1f MB\n", i + 1, bytes / 1e6);
    }
    if (manifest && fclose(manifest) != 0) {
        fprintf(stderr, "gen_corpus: cannot write %s: %s\n", o->manifest, strerror(errno));
        rc = 2;
    }
    double secs = now() - t0;
    if (!o->quiet && rc == 0)
        fprintf(stderr, "gen_corpus: wrote %lu documents, %" PRIu64 " passages, %.1f MB "
                "(%.1f KB per document) in %.1f s (%.1f MB/s)\n", o->docs, passages, bytes / 1e6,
                o->docs ? bytes / 1e3 / (double)o->docs : 0.0, secs, secs > 0 ? bytes / 1e6 / secs : 0.0);
    gen_doc_release(&doc);
    gen_buf_release(&path);
    gen_buf_release(&converted);
    return rc;
}

int main(int argc, char **argv)
{
    options_t o;
    if (parse_options(argc, argv, &o) != 0) {
        usage(stderr);
        return 2;
    }
    double t0 = now();
    int rc = 2;
    gen_text_t text = {0};
    char err[512];
    opencc_t t2s = open_converter("t2s.json"), s2t = open_converter("s2t.json");
    if (!t2s || !s2t)
        goto out;
    if (gen_text_load(&text, o.corpus, o.prose, convert, t2s, err, sizeof err) != 0) {
        fprintf(stderr, "gen_corpus: %s\n", err);
        goto out;
    }
    if (!o.quiet)
        fprintf(stderr, "gen_corpus: %zu files read: %zu policy sentences, %zu headings, "
                "%zu prose sentences, %zu clauses (fingerprint %016" PRIx64 ")\n",
                text.files, text.policy.n, text.headings.n, text.prose.n, text.clauses.n,
                gen_pool_fingerprint(&text.policy) ^ gen_pool_fingerprint(&text.prose));
    rc = o.dump ? dump_pool(&text, o.dump) : generate(&o, &text, s2t, t0);
out:
    gen_text_release(&text);
    if (t2s)
        opencc_close(t2s);
    if (s2t)
        opencc_close(s2t);
    return rc;
}
