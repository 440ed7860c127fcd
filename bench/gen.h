/* The corpus generator's internal header: one banner section per module, so reading it
 * shows how bench/gen_corpus is put together (random numbers, growable buffers, string
 * pools, troff to text, the sentence sources, the word lists, the document builder). */
#ifndef ZHS_BENCH_GEN_H
#define ZHS_BENCH_GEN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ================================================================ gen_rng (inline)
 * splitmix64: tiny, fast and the same on every platform, so one seed gives the same
 * corpus everywhere. Each document gets its own stream (gen_rng_for), so document i
 * does not depend on how many documents came before it. */
typedef struct {
    uint64_t state;
} gen_rng_t;

static inline uint64_t gen_rng_next(gen_rng_t *rng)
{
    uint64_t z = (rng->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The stream of document `index` under `seed`. */
static inline gen_rng_t gen_rng_for(uint64_t seed, uint64_t index)
{
    gen_rng_t rng = {seed * 0xd1342543de82ef95ULL + index};
    gen_rng_next(&rng);
    return rng;
}

/* Uniform in [0, n); n > 0. */
static inline uint32_t gen_rng_below(gen_rng_t *rng, uint32_t n)
{
    return (uint32_t)(((gen_rng_next(rng) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [lo, hi]. */
static inline int gen_rng_range(gen_rng_t *rng, int lo, int hi)
{
    return lo + (int)gen_rng_below(rng, (uint32_t)(hi - lo + 1));
}

/* True with probability percent/100. */
static inline int gen_rng_chance(gen_rng_t *rng, unsigned percent)
{
    return gen_rng_below(rng, 100) < percent;
}

#define GEN_PICK(rng, array) ((array)[gen_rng_below((rng), (uint32_t)(sizeof(array) / sizeof((array)[0])))])

/* ================================================================ gen_buf.c
 * A growable byte buffer, always NUL-terminated. Allocation failure aborts the
 * program: the generator is a benchmark tool, not library code. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} gen_buf_t;

void gen_buf_add(gen_buf_t *buf, const char *bytes, size_t nbytes);
void gen_buf_adds(gen_buf_t *buf, const char *str);
void gen_buf_addf(gen_buf_t *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gen_buf_release(gen_buf_t *buf);   /* frees the contents; the struct may be reused */
/* Steps through text line by line: sets *line and *len (without the newline, nor a CR
 * before it) and returns 1 while lines remain; *pos starts at 0. */
int gen_next_line(const char *text, size_t nbytes, size_t *pos, const char **line, size_t *len);
void *gen_xrealloc(void *ptr, size_t nbytes);

/* ================================================================ gen_pool.c
 * A list of distinct strings in one arena: the sentences, clauses and headings the
 * documents are made of. Adding a string that is already there does nothing. */
typedef struct {
    gen_buf_t arena;          /* the strings, each followed by a NUL */
    uint32_t *offsets;        /* start of string i in arena */
    size_t n;
    size_t cap;
    uint64_t *hashes;         /* open-addressing set of string hashes (0 = empty) */
    size_t hash_cap;
} gen_pool_t;

void gen_pool_add(gen_pool_t *pool, const char *str, size_t nbytes);
/* String i; borrowed, valid until the next gen_pool_add or gen_pool_release. */
const char *gen_pool_get(const gen_pool_t *pool, size_t i);
const char *gen_pool_pick(const gen_pool_t *pool, gen_rng_t *rng);
void gen_pool_release(gen_pool_t *pool);
/* FNV-1a over all strings in order: names the pool in the generator's report. */
uint64_t gen_pool_fingerprint(const gen_pool_t *pool);

/* ================================================================ gen_troff.c
 * Running text out of a manual page's troff source: macros and escapes dropped,
 * filled lines joined, one callback per paragraph (headings and option tags are not
 * paragraphs). The text passed is borrowed for the duration of the call. */
typedef void (*gen_text_cb)(void *ctx, const char *text, size_t nbytes);

void gen_troff_paragraphs(const char *src, size_t nbytes, gen_text_cb cb, void *ctx);

/* ================================================================ gen_text.c
 * The sentence sources: the seed corpus (policy sentences and section headings) and a
 * large body of real Simplified Chinese prose (manual pages), split into sentences and
 * clauses and filtered to mostly-Chinese ones. */
typedef struct {
    gen_pool_t policy;        /* sentences of the seed corpus, ending in 。 */
    gen_pool_t headings;      /* section headings of the seed corpus, enumerator stripped */
    gen_pool_t prose;         /* sentences of the prose body */
    gen_pool_t clauses;       /* clauses (no final punctuation) of both */
    size_t files;             /* files read */
} gen_text_t;

/* Splits a paragraph into sentences (after 。！？；!?) and calls cb for each one that
 * is mostly Chinese (at least 6 CJK characters and half the characters), trimmed,
 * with runs of blanks collapsed and tabs made spaces. */
void gen_text_sentences(const char *para, size_t nbytes, gen_text_cb cb, void *ctx);

/* A leading enumerator: `一、` (GEN_ENUM_SECTION), `(一)` or `（一）`
 * (GEN_ENUM_SUBSECTION), `1.` `28.` `3、` (GEN_ENUM_ITEM), `(1)` (GEN_ENUM_SUBITEM).
 * Returns the number of bytes it takes (0 when there is none) and sets *kind. */
enum { GEN_ENUM_NONE, GEN_ENUM_SECTION, GEN_ENUM_SUBSECTION, GEN_ENUM_ITEM, GEN_ENUM_SUBITEM };
size_t gen_text_enumerator(const char *line, size_t nbytes, int *kind);

/* Adds one seed document (already Simplified, UTF-8) to policy/headings/clauses. */
void gen_text_add_policy(gen_text_t *text, const char *doc, size_t nbytes);
/* Adds one manual page (troff source) to prose/clauses. */
void gen_text_add_troff(gen_text_t *text, const char *src, size_t nbytes);

/* Loads every *.txt under dir (converted with t2s, which may be NULL), and every file
 * under prose_dir (gzip or plain troff), in sorted order. Returns 0, or -1 with a
 * message in err. */
typedef int (*gen_convert_fn)(void *ctx, const char *in, size_t nbytes, gen_buf_t *out);
int gen_text_load(gen_text_t *text, const char *corpus_dir, const char *prose_dir,
                  gen_convert_fn t2s, void *t2s_ctx, char *err, size_t errlen);
void gen_text_release(gen_text_t *text);

/* ================================================================ gen_words.c
 * Word lists for the parts of a policy document that are names, not prose. */
typedef struct {
    const char *name;         /* canonical issuer name, e.g. 广州市人民政府 */
    const char *doc_prefix;   /* document number prefix, e.g. 穗府 */
    int kind;                 /* GEN_ISSUER_* */
} gen_issuer_t;

enum { GEN_ISSUER_GOV, GEN_ISSUER_GOV_OFFICE, GEN_ISSUER_PARTY, GEN_ISSUER_CONGRESS };

extern const gen_issuer_t gen_issuers[];
extern const size_t gen_nissuers;
extern const char *const gen_departments[];     /* canonical: 市科技局 … 各区政府 */
extern const size_t gen_ndepartments;
extern const char *const gen_verbs[];           /* 加快推进 … */
extern const size_t gen_nverbs;
extern const char *const gen_domains[];         /* 知识产权 … */
extern const size_t gen_ndomains;
extern const char *const gen_plans[];           /* 实施方案 … (a document inside a 通知) */
extern const size_t gen_nplans;
extern const char *const gen_aims[];            /* 提升核心竞争能力 … */
extern const size_t gen_naims;

/* Chinese numeral for 1..99 (一 … 九十九) into out (at least 16 bytes). */
void gen_words_numeral(int n, char *out, size_t outlen);

/* ================================================================ gen_doc.c
 * One policy-shaped document: title, metadata lines in the seed corpus's forms,
 * sections, sub-sections, numbered items with department parentheticals, boilerplate.
 * The document is built in Simplified script; gen_corpus converts it afterwards. */
typedef struct {
    unsigned line;            /* 1-based line of the document */
    uint32_t meta;            /* offset in gen_doc_t.meta of "section\tsubsection\tdepts" */
    int number;               /* a `文 号:` label line: the passage is the number alone */
} gen_passage_t;

typedef struct {
    gen_buf_t text;           /* the document (Simplified) */
    gen_buf_t meta;           /* NUL-separated passage metadata strings */
    gen_passage_t *passages;  /* content lines, in order */
    size_t npassages;
    size_t cap;
    char title[512];
    char issuer[256];         /* canonical issuers, `|`-separated */
    char date[16];            /* YYYY-MM-DD, or "" when the document states none */
    char doc_number[64];      /* or "" */
    int year;                 /* 0 when unknown */
    int traditional;          /* the caller should convert it to Traditional script */
    unsigned nlines;          /* lines written so far */
} gen_doc_t;

/* Builds one document from the stream rng into doc (reset first). */
void gen_doc_build(gen_doc_t *doc, const gen_text_t *text, gen_rng_t *rng);
void gen_doc_release(gen_doc_t *doc);

#endif
