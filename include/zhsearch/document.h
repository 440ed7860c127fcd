/* Understanding one policy document: decoding, boilerplate removal, metadata (title,
 * issuers, document number, date), the section tree, passages with line ranges, and the
 * departments responsible for each passage.
 *
 * Ownership: zhs_document_parse returns a document the caller frees with
 * zhs_document_free; every string and array inside it is owned by the document. */
#ifndef ZHSEARCH_DOCUMENT_H
#define ZHSEARCH_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "zhsearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ZHS_ENCODING_UTF8 = 0,
    ZHS_ENCODING_GB18030,      /* also covers GBK and GB2312 */
    ZHS_ENCODING_BIG5,
} zhs_encoding_t;

/* Name for JSON and logs: "utf-8", "gb18030", "big5". */
const char *zhs_encoding_name(zhs_encoding_t enc);

/* The bytes of a file its encoding does not accept (a stray byte, a character cut by a
 * truncated download), each run of them read as one U+FFFD. */
typedef struct {
    size_t nbytes;     /* 0: none */
    size_t first;      /* offset of the first of them in the file */
} zhs_damage_t;

/* At most this share of a file's bytes (ZHS_DAMAGE_MAX_PER_MILLE per thousand), or a
 * character cut at its very end, may be damaged for it to be read anyway. */
#define ZHS_DAMAGE_MAX_PER_MILLE 10

/* Detects the encoding of raw[0..nbytes) and decodes it to UTF-8 (a UTF-8 BOM is
 * dropped; CRLF and CR line ends become LF). Valid UTF-8 is UTF-8; otherwise, when both
 * GB18030 and Big5 accept the bytes, the reading with the larger share of common
 * characters wins. When none accepts every byte, the reading that refuses the fewest
 * is taken if they are few (see ZHS_DAMAGE_MAX_PER_MILLE), each run of refused bytes
 * read as U+FFFD and told in *damage (may be NULL; zeroed otherwise). *out: new
 * NUL-terminated string, caller frees with free(). Fails with ZHS_ERR_BAD_ENCODING,
 * err->offset the byte offset of the first byte no supported encoding accepts (where
 * the decoder that got furthest stopped); a NUL byte is refused the same way (not a
 * text file). */
zhs_status_t zhs_decode(const char *raw, size_t nbytes, char **out, size_t *out_nbytes,
                        zhs_encoding_t *enc, zhs_damage_t *damage, zhs_error_t *err);

/* Does decoded text look like an HTML page (`<!DOCTYPE html` or `<html` first, case
 * and leading white space aside)? zhs_document_parse reads such a file through
 * zhs_html_to_text, whatever its name. */
bool zhs_html_sniff(const char *text, size_t nbytes);

/* The text of an HTML page (UTF-8): one line per block (paragraph, heading, list item,
 * table row, <br>), cells of a row separated by a space, runs of ASCII white space one
 * space, entities decoded; head, scripts and styles left out. *out: new string, caller
 * frees with free(). */
zhs_status_t zhs_html_to_text(const char *html, size_t nbytes, char **out,
                              size_t *out_nbytes, zhs_error_t *err);

typedef enum {
    ZHS_ROLE_LEAD = 0,
    ZHS_ROLE_PARTNER,
    ZHS_ROLE_RESPONSIBLE,      /* `責任單位:` lists: responsible, no lead named */
} zhs_role_t;

/* "lead", "partner", "responsible". */
const char *zhs_role_name(zhs_role_t role);

typedef struct {
    char *name;                /* canonical: Simplified, `市` restored: `市财政局` */
    zhs_role_t role;
} zhs_department_t;

typedef struct {
    char *text;                /* the passage as in the decoded file (original script),
                                  leading/trailing blanks trimmed */
    size_t offset;             /* where text stands in the document's text (bytes) */
    unsigned line_start;       /* 1-based lines of the decoded file, inclusive */
    unsigned line_end;
    int section;               /* index into zhs_document_t.sections, -1 if none */
    int subsection;            /* index into zhs_document_t.sections, -1 if none */
    zhs_department_t *departments;
    size_t ndepartments;
} zhs_passage_t;

typedef struct {
    char *heading;             /* the heading line as written: `四、主要任务及分工` */
    char *name;                /* enumerator stripped, normalized (Simplified):
                                  `主要任务及分工` (the section facet value) */
    int level;                 /* 1 = section `一、`, 2 = sub-section `(一)` */
    int parent;                /* index of the enclosing section, -1 for level 1 */
    unsigned line_start;       /* heading line */
    unsigned line_end;         /* last passage line before the next heading of the same
                                  or higher level (or the end of the document) */
} zhs_section_t;

typedef struct {
    char *id;                  /* file name without directory and extension */
    char *file;                /* file name without directory */
    zhs_encoding_t encoding;
    zhs_damage_t damage;       /* bytes the encoding did not accept (see zhs_decode) */
    char *text;                /* the whole decoded UTF-8 text */
    size_t text_nbytes;

    char *title;               /* the title line as written (original script), NULL
                                  when the document states none */
    char **issuers;            /* canonical issuer names */
    size_t nissuers;
    char *doc_number;          /* `穗府〔2016〕13号` (normalized), or NULL */
    char *date;                /* `YYYY-MM-DD`, or NULL when unknown */
    int year;                  /* 0 when unknown */
    char *url;                 /* from a sidecar, or NULL */
    char *fragment_of;         /* id of the document this one is a fragment of, or NULL;
                                  set by the indexer, not by zhs_document_parse */

    zhs_section_t *sections;
    size_t nsections;
    zhs_passage_t *passages;   /* every non-blank content line in file order: the title
                                  line and headings are passages too (a heading's
                                  section/subsection is itself); boilerplate (navigation,
                                  counters, `发布时间:` lines, footers) is not */
    size_t npassages;
} zhs_document_t;

/* Parses raw file bytes. path is used for the id/file names and messages only; a
 * sidecar is NOT read here (see zhs_document_apply_sidecar). On failure *out is NULL. */
zhs_status_t zhs_document_parse(const char *path, const char *raw, size_t nbytes,
                                zhs_document_t **out, zhs_error_t *err);

/* Reads the file at path and parses it; also applies `ID.meta.json` beside it when
 * present (ID: the file name without extension). ZHS_ERR_IO when the file cannot be
 * read; a malformed sidecar fails the load with ZHS_ERR_BAD_ARG. */
zhs_status_t zhs_document_load(const char *path, zhs_document_t **out, zhs_error_t *err);

/* Overrides metadata from a sidecar's JSON text (keys title, issuer (string or array),
 * doc_number, date (`YYYY-MM-DD`, or `YYYY` for a year alone), url; null clears a
 * field; other keys are ignored). ZHS_ERR_BAD_ARG with a message on malformed JSON or
 * a value of the wrong type; the document is then unchanged. */
zhs_status_t zhs_document_apply_sidecar(zhs_document_t *doc, const char *json,
                                        zhs_error_t *err);

/* The document as JSON text (what `zhsearch-index --explain` prints for it). Caller
 * frees with free(). */
char *zhs_document_to_json(const zhs_document_t *doc);

void zhs_document_free(zhs_document_t *doc);

#ifdef __cplusplus
}
#endif

#endif
