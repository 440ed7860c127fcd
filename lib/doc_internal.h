/* Internal to libzhsearch: the pieces of document understanding that document.c puts
 * together (boilerplate.c, metadata.c, sections.c, departments.c, textutil.c). Not
 * installed; names start with `doc_` so they are not exported (only `zhs_` is).
 *
 * Every function here reads NORMALIZED text (zhs_normalize_str: NFKC, Simplified,
 * Latin lower case), so `（`, `：`, `，` arrive as `(`, `:`, `,` and `責任單位` as
 * `责任单位`. */
#ifndef ZHSEARCH_DOC_INTERNAL_H
#define ZHSEARCH_DOC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zhsearch/document.h"
#include "zhsearch/status.h"

/* ------------------------------------------------------------------ textutil.c */

/* Decodes the UTF-8 character at s (valid UTF-8 assumed), storing its length. */
uint32_t doc_utf8_next(const char *s, size_t *len);

/* Length of the blank (ASCII space/tab, NBSP, U+3000, U+2000..U+200B, U+FEFF) at s,
 * 0 if s does not start with one. */
size_t doc_blank_len(const char *s);

/* Trims blanks at both ends of s[0..*nbytes): returns the new start, updates *nbytes. */
const char *doc_trim(const char *s, size_t *nbytes);

/* Number of characters (code points) of a NUL-terminated string. */
size_t doc_nchars(const char *s);

bool doc_starts_with(const char *s, const char *prefix);
bool doc_ends_with(const char *s, const char *suffix);
/* s starts with one of the NULL-terminated list; returns its length or 0. */
size_t doc_starts_with_any(const char *s, const char *const *list);
/* s contains one of the NULL-terminated list. */
bool doc_contains_any(const char *s, const char *const *list);

/* Calls fn for each non-empty piece of s[0..nbytes) between separators (any of the
 * NULL-terminated seps); stops and returns false when fn does. */
bool doc_split_each(const char *s, size_t nbytes, const char *const *seps,
                    bool (*fn)(void *ctx, const char *piece, size_t nbytes), void *ctx);

/* New string s[0..n) (NUL-terminated); NULL when out of memory. */
char *doc_strndup(const char *s, size_t n);

/* A growable list of strings owning its items. */
typedef struct {
    char **items;
    size_t n, cap;
} doc_strlist_t;

/* Appends a copy of s[0..n) unless an equal string is already there. false: no memory. */
bool doc_strlist_add(doc_strlist_t *l, const char *s, size_t n);
void doc_strlist_release(doc_strlist_t *l);

/* ------------------------------------------------------------------ boilerplate.c */

typedef enum {
    DOC_LINE_CONTENT = 0,    /* a passage */
    DOC_LINE_BOILERPLATE,    /* site chrome: navigation, counters, footers */
    DOC_LINE_METADATA,       /* `发布时间:`/`文号:`… label lines: read, not a passage */
} doc_line_kind_t;

doc_line_kind_t doc_line_classify(const char *norm);

/* One `label:value` pair of a label line. label is the canonical label (a constant
 * string); value points into the line (not NUL-terminated), blanks trimmed. */
typedef struct {
    const char *label;
    const char *value;
    size_t value_nbytes;
} doc_label_t;

/* Splits a line made only of `label:value` pairs with known labels (`时间:2017-06-30
 * 来源:广州市人大常委会 字体:`). Returns the number of pairs (at most max), 0 when the
 * line does not start with a known label. */
size_t doc_labels_split(const char *norm, doc_label_t *out, size_t max);

/* ------------------------------------------------------------------ metadata.c */

/* What the metadata lines and the title say, gathered line by line. */
typedef struct {
    char date[11];           /* YYYY-MM-DD or "" */
    int date_rank;           /* lower is better: labelled publication date first */
    char *doc_number;
    doc_strlist_t issuers_label;   /* `发布单位:` */
    doc_strlist_t issuers_source;  /* `来源:` */
} doc_meta_t;

void doc_meta_release(doc_meta_t *m);

/* Reads a metadata label line. false: out of memory. */
bool doc_meta_read_labels(doc_meta_t *m, const char *norm);

/* Is norm a document number and nothing else (`穗府〔2016〕13号`)? */
bool doc_is_doc_number(const char *norm);

/* Reads a content line for unlabelled dates (`2016年8月12日印发`, a line holding only
 * a date, `(2017年6月30日…会议通过)`) and a line holding only a document number. */
bool doc_meta_read_content(doc_meta_t *m, const char *norm);

/* Is the line part of the printing colophon that ends a notice: `2016年8月12日印发`
 * or `广州市人民政府办公厅秘书处`? (Read for its date; not a passage.) */
bool doc_is_colophon(const char *norm);

/* Parses the first date in s (`2009/11/17`, `2016-08-12`, `2016年8月12日`) starting
 * within the first `within` bytes; writes YYYY-MM-DD to out. Returns the byte length
 * from s to the end of the date, 0 when none. */
size_t doc_date_parse(const char *s, size_t within, char out[11]);

/* Is this (normalized) line the document's own title (`…关于…的通知`)? */
bool doc_is_title(const char *norm);

/* Adds the issuers named before `关于` in a normalized title (`中共广州市委广州市人民
 * 政府关于…` -> 中共广州市委, 广州市人民政府). false: out of memory. */
bool doc_title_issuers(const char *norm_title, doc_strlist_t *out);

/* Canonical issuer name of s[0..n) (`广州市人民代表大会常务委员会` -> `广州市人大常委会`)
 * appended to out. false: out of memory. */
bool doc_issuer_add(doc_strlist_t *out, const char *s, size_t n);

/* ------------------------------------------------------------------ sections.c */

/* Heading level of a normalized line: 1 for `一、…` (and `第一章`/`第一部分`), 2 for
 * `(一)…`, 0 otherwise. *enum_nbytes: bytes of the enumerator and the blanks after it. */
int doc_heading_level(const char *norm, size_t *enum_nbytes);

/* The facet name of a heading: enumerator stripped, cut at the first `。` (a heading
 * that runs on into its paragraph), trailing punctuation removed. Caller frees. */
char *doc_heading_name(const char *norm);

/* Does the line open a numbered item (`1.`, `28.`, `3、`)? */
bool doc_is_item(const char *norm);

/* ------------------------------------------------------------------ departments.c */

typedef struct {
    zhs_department_t *items;
    size_t n, cap;
    bool closes;         /* the last department parenthetical ends the passage */
    bool whole_section;  /* one of them is `(本部分工作由…)` */
} doc_deptlist_t;

/* Finds the department parentheticals of a normalized passage and appends their
 * departments (canonical, deduplicated by name: lead > responsible > partner).
 * false: out of memory. */
bool doc_departments_find(const char *norm, doc_deptlist_t *out);

/* Appends a copy of d unless its name is there (then the stronger role wins). */
bool doc_deptlist_add(doc_deptlist_t *l, const char *name, size_t n, zhs_role_t role);
void doc_deptlist_release(doc_deptlist_t *l);

#endif
