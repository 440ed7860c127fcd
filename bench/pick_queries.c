/* pick_queries: chooses the query mix of the server benchmark from a gen_corpus
 * manifest, so that each class means the same on every generated corpus: selective
 * 2/3/4-character words with a few hundred matching passages, rare words (under 20
 * passages: the server adds near matches), the most common words,
 * exact phrases, two-word ANDs, a common word under year and department filters, and
 * selective words written in Traditional script. Counts are over the passages' text
 * in Simplified script (what zhsearch searches after normalization).
 *
 *   pick_queries [--seed S] [--per-class N] [--words LEXICON] MANIFEST > queries.tsv
 *
 * Words are the 2- to 4-character words of a lexicon (Debian's friso-dict), counted in
 * one pass over the passages.
 *
 * Output, tab-separated, one query per line:
 *   class  q  q_simplified  year  dept  passages  url_path
 * where passages is how many passages contain every term (with the filters), and
 * url_path is the /search request zhsearch-server gets. */
#include "config.h"

#include <getopt.h>
#include <opencc/opencc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "gen.h"

/* Debian's friso-dict: about 160,000 Chinese words, UTF-8, one `word/...` a line. */
#define DEFAULT_WORDS "/usr/share/friso/dict/UTF-8/lex-main.lex"

typedef struct {
    gen_buf_t text;           /* Simplified passage texts, each followed by a NUL */
    size_t *offset;
    int *year;
    gen_buf_t depts;          /* "|name|name|" per passage, each followed by a NUL */
    size_t *depts_offset;
    size_t n, cap;
} passages_t;

typedef struct {
    char key[16];             /* up to 4 CJK characters */
    uint32_t count;           /* passages containing it */
    uint32_t last;            /* last passage counted, plus one */
    uint32_t order;           /* sampling order, for a stable choice */
} candidate_t;

typedef struct {
    candidate_t *slots;
    size_t cap, n;
} candidates_t;

/* Characters that make an n-gram a fragment rather than a word when at either end. */
static const char stop_chars[] = "的了是在和与一个这为有不以对将等中及或其之也被把上下于们地得着就都而并所可如则该即到从由";

static opencc_t open_cc(const char *config)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", ZHS_OPENCC_DATA_DIR, config);
    opencc_t cc = opencc_open(path);
    if (cc == (opencc_t)-1) {
        fprintf(stderr, "pick_queries: cannot open OpenCC %s\n", path);
        exit(2);
    }
    return cc;
}

static void convert(opencc_t cc, const char *in, gen_buf_t *out)
{
    char *s = opencc_convert_utf8(cc, in, strlen(in));
    out->len = 0;
    gen_buf_adds(out, s ? s : in);
    if (s)
        opencc_convert_utf8_free(s);
}

/* ---------------------------------------------------------------- loading */

static void load(FILE *f, opencc_t t2s, passages_t *p)
{
    char *line = NULL;
    size_t cap = 0;
    bench_row_t row;
    int traditional = 0;
    gen_buf_t simplified = {0};
    while (bench_manifest_next(f, &line, &cap, &row)) {
        if (row.nfields != BENCH_MANIFEST_FIELDS)
            continue;
        if (row.field[0][0] == 'D') {
            traditional = strcmp(row.field[8], "traditional") == 0;
            continue;
        }
        if (p->n == p->cap) {
            p->cap = p->cap ? p->cap * 2 : 4096;
            p->offset = gen_xrealloc(p->offset, p->cap * sizeof *p->offset);
            p->year = gen_xrealloc(p->year, p->cap * sizeof *p->year);
            p->depts_offset = gen_xrealloc(p->depts_offset, p->cap * sizeof *p->depts_offset);
        }
        const char *text = row.field[8];
        if (traditional) {
            convert(t2s, text, &simplified);
            text = simplified.data;
        }
        p->offset[p->n] = p->text.len;
        gen_buf_adds(&p->text, text);
        gen_buf_add(&p->text, "", 1);
        p->year[p->n] = atoi(row.field[3]);
        p->depts_offset[p->n] = p->depts.len;
        gen_buf_adds(&p->depts, "|");
        for (const char *s = row.field[7]; *s;) {        /* names without their roles */
            size_t n = strcspn(s, ":|");
            gen_buf_add(&p->depts, s, n);
            gen_buf_adds(&p->depts, "|");
            s += n;
            s += strcspn(s, "|");
            if (*s == '|')
                s++;
        }
        gen_buf_add(&p->depts, "", 1);
        p->n++;
    }
    free(line);
    gen_buf_release(&simplified);
}

static const char *passage(const passages_t *p, size_t i)
{
    return p->text.data + p->offset[i];
}

/* ---------------------------------------------------------------- n-grams */

/* Byte length of n CJK characters at s (each 3 bytes in UTF-8), 0 if any is not CJK. */
static size_t cjk_window(const char *s, int n)
{
    for (int i = 0; i < n; i++) {
        const unsigned char *u = (const unsigned char *)s + 3 * i;
        if (u[0] < 0xe3 || u[0] > 0xe9 || (u[1] & 0xc0) != 0x80 || (u[2] & 0xc0) != 0x80)
            return 0;
        unsigned cp = ((u[0] & 0x0fu) << 12) | ((u[1] & 0x3fu) << 6) | (u[2] & 0x3fu);
        if (cp < 0x3400 || cp > 0x9fff || (cp > 0x4dbf && cp < 0x4e00))
            return 0;
    }
    return (size_t)n * 3;
}

static int is_stop(const char *ch)
{
    for (size_t i = 0; i + 3 <= sizeof stop_chars - 1; i += 3)
        if (memcmp(ch, stop_chars + i, 3) == 0)
            return 1;
    return 0;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

/* The slot of key (empty when absent and !insert). */
static candidate_t *lookup(candidates_t *c, const char *key, size_t n, int insert)
{
    size_t j = hash_bytes(key, n) & (c->cap - 1);
    while (c->slots[j].key[0]) {
        if (strlen(c->slots[j].key) == n && memcmp(c->slots[j].key, key, n) == 0)
            return &c->slots[j];
        j = (j + 1) & (c->cap - 1);
    }
    if (!insert || (c->n + 1) * 2 > c->cap)
        return NULL;
    memcpy(c->slots[j].key, key, n);
    c->slots[j].order = (uint32_t)c->n++;
    return &c->slots[j];
}

/* Loads the 2- to 4-character words of a lexicon (one `word/...` a line, friso's
 * format) as candidates, in file order. Returns how many, -1 when it cannot be read. */
static long load_words(const char *path, candidates_t *c)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    long n = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len = strcspn(line, "/\r\n");
        if (len < 6 || len > 12 || len % 3 || cjk_window(line, (int)(len / 3)) != len)
            continue;
        if (is_stop(line) || is_stop(line + len - 3))
            continue;
        n += lookup(c, line, len, 1) != NULL;
    }
    fclose(f);
    return n;
}

/* One pass over every passage counts, for each candidate word, the passages holding it. */
static void count(const passages_t *p, candidates_t *c)
{
    for (size_t i = 0; i < p->n; i++) {
        const char *s = passage(p, i);
        for (size_t at = 0; s[at];) {
            for (int len = 2; len <= 4; len++) {
                size_t n = cjk_window(s + at, len);
                if (!n)
                    break;
                candidate_t *cand = lookup(c, s + at, n, 0);
                if (cand && cand->last != i + 1) {
                    cand->count++;
                    cand->last = (uint32_t)(i + 1);
                }
            }
            at++;
            while (((unsigned char)s[at] & 0xc0) == 0x80)
                at++;
        }
    }
}

/* ---------------------------------------------------------------- queries */

typedef struct {
    const char *cls;
    char q[128];
    char simplified[128];
    char year[32];
    char dept[128];
    long passages;
} query_t;

/* Passages containing every space-separated term of q (quotes ignored), within the
 * year range and naming the department. */
static long count_matches(const passages_t *p, const query_t *q)
{
    char terms[4][128];
    int nterms = 0;
    char copy[128];
    snprintf(copy, sizeof copy, "%s", q->simplified);
    for (char *save = NULL, *t = strtok_r(copy, " \"", &save); t && nterms < 4;
         t = strtok_r(NULL, " \"", &save))
        snprintf(terms[nterms++], sizeof terms[0], "%s", t);
    int y0 = 0, y1 = 0;
    if (q->year[0] && sscanf(q->year, "%d..%d", &y0, &y1) != 2)
        y1 = y0;
    char dept[140];
    snprintf(dept, sizeof dept, "|%s|", q->dept);
    long hits = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (q->year[0] && (p->year[i] < y0 || p->year[i] > y1))
            continue;
        if (q->dept[0] && !strstr(p->depts.data + p->depts_offset[i], dept))
            continue;
        int all = 1;
        for (int k = 0; k < nterms && all; k++)
            all = strstr(passage(p, i), terms[k]) != NULL;
        hits += all;
    }
    return hits;
}

static void url_encode(gen_buf_t *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            gen_buf_add(out, (const char *)&c, 1);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            gen_buf_add(out, e, 3);
        }
    }
}

static void print_query(const query_t *q)
{
    gen_buf_t path = {0};
    gen_buf_adds(&path, "/search?q=");
    url_encode(&path, q->q);
    if (q->year[0]) {
        gen_buf_adds(&path, "&year=");
        url_encode(&path, q->year);
    }
    if (q->dept[0]) {
        gen_buf_adds(&path, "&dept=");
        url_encode(&path, q->dept);
    }
    printf("%s\t%s\t%s\t%s\t%s\t%ld\t%s\n", q->cls, q->q, q->simplified, q->year, q->dept,
           q->passages, path.data);
    gen_buf_release(&path);
}

static int by_order(const void *a, const void *b)
{
    const candidate_t *x = a, *y = b;
    return (x->order > y->order) - (x->order < y->order);
}

static int by_count_desc(const void *a, const void *b)
{
    const candidate_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return by_order(a, b);
}

/* The most frequent department names in the manifest, most frequent first. */
static void top_departments(const passages_t *p, char names[][128], int want)
{
    struct { char name[128]; long n; } tally[128];
    int ntally = 0;
    for (size_t i = 0; i < p->n; i++) {
        const char *s = p->depts.data + p->depts_offset[i] + 1;
        while (*s) {
            size_t n = strcspn(s, "|");
            int k = 0;
            while (k < ntally && !(strlen(tally[k].name) == n && memcmp(tally[k].name, s, n) == 0))
                k++;
            if (k == ntally && ntally < 128 && n < 128) {
                memcpy(tally[k].name, s, n);
                tally[k].name[n] = '\0';
                tally[k].n = 0;
                ntally++;
            }
            if (k < ntally)
                tally[k].n++;
            s += n + (s[n] == '|');
        }
    }
    for (int w = 0; w < want; w++) {
        int best = -1;
        for (int k = 0; k < ntally; k++)
            if (tally[k].n >= 0 && (best < 0 || tally[k].n > tally[best].n))
                best = k;
        snprintf(names[w], 128, "%s", best >= 0 ? tally[best].name : "");
        if (best >= 0)
            tally[best].n = -1;
    }
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"seed", required_argument, NULL, 's'}, {"per-class", required_argument, NULL, 'n'},
        {"words", required_argument, NULL, 'w'}, {NULL, 0, NULL, 0},
    };
    uint64_t seed = 1;
    int per_class = 20, opt;
    const char *words = DEFAULT_WORDS;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 's')
            seed = strtoull(optarg, NULL, 10);
        else if (opt == 'n')
            per_class = atoi(optarg);
        else if (opt == 'w')
            words = optarg;
        else
            optind = argc + 1;
    }
    if (optind != argc - 1 || per_class < 1) {
        fprintf(stderr, "usage: pick_queries [--seed S] [--per-class N] [--words FILE] MANIFEST "
                "> queries.tsv\n");
        return 2;
    }
    FILE *f = fopen(argv[optind], "r");
    if (!f) {
        perror(argv[optind]);
        return 2;
    }
    opencc_t t2s = open_cc("t2s.json"), s2t = open_cc("s2t.json");
    passages_t p = {0};
    load(f, t2s, &p);
    fclose(f);
    if (p.n < 1000) {
        fprintf(stderr, "pick_queries: only %zu passages; generate a larger corpus\n", p.n);
        return 2;
    }

    gen_rng_t rng = gen_rng_for(seed, 0);
    candidates_t c = {.cap = 1 << 20};
    c.slots = gen_xrealloc(NULL, c.cap * sizeof *c.slots);
    memset(c.slots, 0, c.cap * sizeof *c.slots);
    if (load_words(words, &c) < 1000) {
        fprintf(stderr, "pick_queries: no word list at %s: install friso-dict (bench/setup.sh) "
                "or pass --words FILE\n", words);
        return 2;
    }
    count(&p, &c);

    /* The words in a random (seeded) order, so that each class samples the lexicon. */
    candidate_t *list = gen_xrealloc(NULL, c.n * sizeof *list);
    size_t n = 0;
    for (size_t j = 0; j < c.cap; j++)
        if (c.slots[j].key[0])
            list[n++] = c.slots[j];
    qsort(list, n, sizeof *list, by_order);
    for (size_t i = n; i > 1; i--) {
        size_t j = gen_rng_below(&rng, (uint32_t)i);
        candidate_t t = list[i - 1];
        list[i - 1] = list[j];
        list[j] = t;
    }
    for (size_t i = 0; i < n; i++)
        list[i].order = (uint32_t)i;

    /* A few hundred passages: selective on a 100 MB corpus, scaled for other sizes. */
    long lo = (long)(p.n / 2000), hi = (long)(p.n / 500);
    if (lo < 3)
        lo = 3;
    query_t q, *trads = gen_xrealloc(NULL, (size_t)per_class * sizeof *trads);
    gen_buf_t trad = {0};
    int ntrad = 0;
    for (int len = 2; len <= 4; len++) {
        char cls[8];
        snprintf(cls, sizeof cls, "sel%d", len);
        int got = 0;
        for (size_t i = 0; i < n && got < per_class; i++) {
            if (strlen(list[i].key) != (size_t)len * 3 || list[i].count < lo || list[i].count > hi)
                continue;
            q = (query_t){.cls = cls, .passages = list[i].count};
            snprintf(q.q, sizeof q.q, "%s", list[i].key);
            snprintf(q.simplified, sizeof q.simplified, "%s", list[i].key);
            print_query(&q);
            got++;
        }
        /* The Traditional class: the next selective words that OpenCC writes differently. */
        for (size_t i = n; i-- > 0 && ntrad < per_class * (len - 1) / 3;) {
            if (strlen(list[i].key) != (size_t)len * 3 || list[i].count < lo || list[i].count > hi)
                continue;
            convert(s2t, list[i].key, &trad);
            if (strcmp(trad.data, list[i].key) == 0)
                continue;
            query_t *t = &trads[ntrad++];
            *t = (query_t){.cls = "trad", .passages = list[i].count};
            snprintf(t->q, sizeof t->q, "%s", trad.data);
            snprintf(t->simplified, sizeof t->simplified, "%s", list[i].key);
        }
    }
    for (int i = 0; i < ntrad; i++)
        print_query(&trads[i]);
    free(trads);

    /* Rare: 3- and 4-character words in fewer than 20 passages, where the server adds
     * near matches after the exact ones (a second, relaxed search). */
    for (int got = 0, len = 3; len <= 4; len++)
        for (size_t i = 0; i < n && got < per_class * (len - 2) / 2; i++) {
            if (strlen(list[i].key) != (size_t)len * 3 || list[i].count < 1 || list[i].count > 19)
                continue;
            q = (query_t){.cls = "rare", .passages = list[i].count};
            snprintf(q.q, sizeof q.q, "%s", list[i].key);
            snprintf(q.simplified, sizeof q.simplified, "%s", list[i].key);
            print_query(&q);
            got++;
        }

    /* Common: the most frequent two-character words. */
    qsort(list, n, sizeof *list, by_count_desc);
    char common[64][16];
    int ncommon = 0;
    for (size_t i = 0; i < n && ncommon < 64; i++)
        if (strlen(list[i].key) == 6)
            snprintf(common[ncommon++], sizeof common[0], "%s", list[i].key);
    for (int i = 0; i < ncommon && i < per_class / 2; i++) {
        q = (query_t){.cls = "common"};
        snprintf(q.q, sizeof q.q, "%.15s", common[i]);
        snprintf(q.simplified, sizeof q.simplified, "%.15s", common[i]);
        q.passages = count_matches(&p, &q);
        print_query(&q);
    }

    /* AND: two words of the common half-hundred, in random pairs. */
    for (int i = 0; i < per_class && ncommon >= 2; i++) {
        int a = (int)gen_rng_below(&rng, (uint32_t)ncommon), b = (int)gen_rng_below(&rng, (uint32_t)ncommon);
        if (a == b)
            b = (b + 1) % ncommon;
        q = (query_t){.cls = "and"};
        snprintf(q.q, sizeof q.q, "%s %s", common[a], common[b]);
        snprintf(q.simplified, sizeof q.simplified, "%s", q.q);
        q.passages = count_matches(&p, &q);
        print_query(&q);
    }

    /* Phrases: 6 to 8 characters of running text from random passages. */
    for (int got = 0, tries = 0; got < per_class && tries < per_class * 100; tries++) {
        const char *s = passage(&p, gen_rng_below(&rng, (uint32_t)p.n));
        size_t slen = strlen(s);
        int chars = gen_rng_range(&rng, 6, 8);
        if (slen < (size_t)chars * 3 + 3)
            continue;
        size_t at = gen_rng_below(&rng, (uint32_t)(slen - (size_t)chars * 3));
        while (at > 0 && ((unsigned char)s[at] & 0xc0) == 0x80)
            at--;
        size_t len = cjk_window(s + at, chars);
        if (!len)
            continue;
        q = (query_t){.cls = "phrase"};
        snprintf(q.q, sizeof q.q, "\"%.*s\"", (int)len, s + at);
        snprintf(q.simplified, sizeof q.simplified, "%s", q.q);
        q.passages = count_matches(&p, &q);
        print_query(&q);
        got++;
    }

    /* Filters: a common word, a five-year range and one of the busiest departments. */
    char depts[8][128];
    top_departments(&p, depts, 8);
    for (int i = 0; i < per_class && ncommon; i++) {
        q = (query_t){.cls = "filter"};
        snprintf(q.q, sizeof q.q, "%s", common[gen_rng_below(&rng, (uint32_t)(ncommon < 20 ? ncommon : 20))]);
        snprintf(q.simplified, sizeof q.simplified, "%s", q.q);
        int y = gen_rng_range(&rng, 2000, 2021);
        snprintf(q.year, sizeof q.year, "%d..%d", y, y + 4);
        snprintf(q.dept, sizeof q.dept, "%s", depts[gen_rng_below(&rng, 8)]);
        q.passages = count_matches(&p, &q);
        print_query(&q);
    }

    fprintf(stderr, "pick_queries: %zu passages, %zu words, selective = %ld..%ld passages\n",
            p.n, n, lo, hi);
    free(list);
    free(c.slots);
    gen_buf_release(&trad);
    gen_buf_release(&p.text);
    gen_buf_release(&p.depts);
    free(p.offset);
    free(p.year);
    free(p.depts_offset);
    opencc_close(t2s);
    opencc_close(s2t);
    return 0;
}
