/* The document model: turns a file's bytes into a zhs_document_t (decode, sort lines
 * into passages, boilerplate and metadata, build the outline, hand departments down
 * to the passages a parenthetical covers), and frees it. Loading, sidecars and JSON
 * are in document_io.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "zhsearch/analyzer.h"
#include "zhsearch/document.h"

/* The title is looked for among the first content lines, before the first heading. */
#define TITLE_SEARCH_LINES 10

const char *zhs_role_name(zhs_role_t role)
{
    switch (role) {
    case ZHS_ROLE_LEAD: return "lead";
    case ZHS_ROLE_PARTNER: return "partner";
    case ZHS_ROLE_RESPONSIBLE: return "responsible";
    }
    return "unknown";
}

/* What the parser keeps per content line while it builds the document. */
typedef struct {
    char *norm;              /* normalized text, owned */
    int item;                /* passage index opening the numbered item, -1 if none */
    doc_deptlist_t depts;    /* the passage's own departments */
    bool number;             /* the document number of a label line, not text */
} work_t;

typedef struct {
    zhs_document_t *doc;
    work_t *work;            /* one per passage */
    size_t sections_cap;
    doc_meta_t meta;
    doc_strlist_t title_issuers;
    zhs_error_t *err;
} parser_t;

static zhs_status_t nomem(parser_t *p)
{
    return zhs_error_set(p->err, ZHS_ERR_NOMEM, "%s: out of memory", p->doc->file);
}

static zhs_status_t set_names(zhs_document_t *doc, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t id_len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    doc->file = strdup(base);
    doc->id = doc_strndup(base, id_len);
    return doc->file && doc->id ? ZHS_OK : ZHS_ERR_NOMEM;
}

static zhs_status_t add_section(parser_t *p, const char *text, size_t nbytes,
                                const char *norm, int level, int parent, unsigned line)
{
    zhs_document_t *doc = p->doc;
    if (doc->nsections == p->sections_cap) {
        size_t cap = p->sections_cap ? p->sections_cap * 2 : 8;
        zhs_section_t *s = realloc(doc->sections, cap * sizeof *s);
        if (!s)
            return nomem(p);
        doc->sections = s;
        p->sections_cap = cap;
    }
    zhs_section_t *s = &doc->sections[doc->nsections];
    *s = (zhs_section_t){.heading = doc_strndup(text, nbytes),
                         .name = doc_heading_name(norm),
                         .level = level,
                         .parent = parent,
                         .line_start = line,
                         .line_end = line};
    doc->nsections++;
    return s->heading && s->name ? ZHS_OK : nomem(p);
}

/* Places a content line: its outline position, whether it is a heading, an item. */
static zhs_status_t add_passage(parser_t *p, const char *text, size_t nbytes, char *norm,
                                unsigned line, int *section, int *subsection, int *item)
{
    zhs_document_t *doc = p->doc;
    size_t i = doc->npassages;
    size_t enum_nbytes;
    int level = doc_heading_level(norm, &enum_nbytes);
    zhs_status_t st = ZHS_OK;
    if (level == 1) {
        st = add_section(p, text, nbytes, norm, 1, -1, line);
        *section = (int)doc->nsections - 1;
        *subsection = -1;
        *item = -1;
    } else if (level == 2) {
        st = add_section(p, text, nbytes, norm, 2, *section, line);
        *subsection = (int)doc->nsections - 1;
        *item = -1;
    } else if (doc_is_item(norm)) {
        *item = (int)i;
    }
    zhs_passage_t *ps = &doc->passages[i];
    *ps = (zhs_passage_t){.text = doc_strndup(text, nbytes),
                          .offset = (size_t)(text - doc->text),
                          .line_start = line,
                          .line_end = line,
                          .section = *section,
                          .subsection = *subsection};
    p->work[i] = (work_t){.norm = norm, .item = *item};
    doc->npassages++;
    if (st != ZHS_OK)
        return st;
    if (!ps->text || !doc_departments_find(norm, &p->work[i].depts))
        return nomem(p);
    return ZHS_OK;
}

static size_t count_lines(const char *text)
{
    size_t n = 1;
    for (const char *s = text; (s = strchr(s, '\n')) != NULL; s++)
        n++;
    return n;
}

/* A label line that gave the document its number (`文号:穗府〔2016〕13号 颁布时间:…`):
 * the number as written there becomes a passage of its own, so that searching for it
 * finds the document, as it does where the number stands on a line of its own. */
static zhs_status_t add_number_passage(parser_t *p, const char *text, size_t nbytes,
                                       const char *norm, unsigned line, int *section,
                                       int *subsection, int *item)
{
    const char *number = p->meta.doc_number;
    const char *at = number && doc_is_doc_number(number) ? strstr(norm, number) : NULL;
    if (!at)
        return ZHS_OK;
    /* The line's own normalization maps the number back to the bytes it was written in. */
    zhs_normalized_t n;
    zhs_status_t st = zhs_normalize(text, nbytes, ZHS_NORM_OFFSETS, &n, p->err);
    if (st != ZHS_OK)
        return st;
    size_t from = (size_t)(at - norm), len = strlen(number);
    if (from + len > n.nbytes) {    /* norm came from the same normalizer: never */
        zhs_normalized_release(&n);
        return ZHS_OK;
    }
    size_t start = n.src_start[from], end = n.src_end[from + len - 1];
    zhs_normalized_release(&n);
    char *own = strdup(number);
    if (!own)
        return nomem(p);
    size_t i = p->doc->npassages;
    st = add_passage(p, text + start, end - start, own, line, section, subsection, item);
    if (p->doc->npassages > i)
        p->work[i].number = true;
    return st;
}

/* Sorts every line into passage, metadata or boilerplate. */
static zhs_status_t read_lines(parser_t *p)
{
    zhs_document_t *doc = p->doc;
    size_t max = count_lines(doc->text);
    doc->passages = calloc(max, sizeof *doc->passages);
    p->work = calloc(max, sizeof *p->work);
    if (!doc->passages || !p->work)
        return nomem(p);
    int section = -1, subsection = -1, item = -1;
    unsigned line = 0;
    for (const char *s = doc->text; s; ) {
        const char *nl = strchr(s, '\n');
        size_t nbytes = nl ? (size_t)(nl - s) : strlen(s);
        const char *text = doc_trim(s, &nbytes);
        line++;
        s = nl ? nl + 1 : NULL;
        if (nbytes == 0)
            continue;
        char *raw = doc_strndup(text, nbytes), *norm = NULL;
        zhs_status_t st = raw ? zhs_normalize_str(raw, &norm, p->err) : nomem(p);
        free(raw);
        if (st != ZHS_OK)
            return st;
        switch (doc_line_classify(norm)) {
        case DOC_LINE_METADATA: {
            bool numbered = p->meta.doc_number != NULL;
            st = doc_meta_read_labels(&p->meta, norm) ? ZHS_OK : nomem(p);
            if (st == ZHS_OK && !numbered)
                st = add_number_passage(p, text, nbytes, norm, line, &section, &subsection,
                                        &item);
            free(norm);
            break;
        }
        case DOC_LINE_BOILERPLATE:
            free(norm);
            break;
        case DOC_LINE_CONTENT:
            if (!doc_meta_read_content(&p->meta, norm)) {
                free(norm);
                return nomem(p);
            }
            if (doc_is_colophon(norm)) {    /* read for its date, not a passage */
                free(norm);
                break;
            }
            st = add_passage(p, text, nbytes, norm, line, &section, &subsection, &item);
            break;
        }
        if (st != ZHS_OK)
            return st;
    }
    return ZHS_OK;
}

static zhs_status_t find_title(parser_t *p)
{
    zhs_document_t *doc = p->doc;
    for (size_t i = 0; i < doc->npassages && i < TITLE_SEARCH_LINES; i++) {
        if (doc->passages[i].section >= 0 || doc->passages[i].subsection >= 0 ||
            p->work[i].item >= 0)
            break;
        if (p->work[i].number)
            continue;
        if (doc_is_title(p->work[i].norm)) {
            if (!(doc->title = strdup(doc->passages[i].text)) ||
                !doc_title_issuers(p->work[i].norm, &p->title_issuers))
                return nomem(p);
            break;
        }
    }
    return ZHS_OK;
}

/* Each section's line_end is the last passage line inside it. */
static void close_sections(zhs_document_t *doc)
{
    for (size_t i = 0; i < doc->npassages; i++) {
        const zhs_passage_t *ps = &doc->passages[i];
        if (ps->section >= 0)
            doc->sections[ps->section].line_end = ps->line_end;
        if (ps->subsection >= 0)
            doc->sections[ps->subsection].line_end = ps->line_end;
    }
}

static bool copy_depts(doc_deptlist_t *to, const doc_deptlist_t *from)
{
    for (size_t i = 0; i < from->n; i++)
        if (!doc_deptlist_add(to, from->items[i].name, strlen(from->items[i].name),
                              from->items[i].role))
            return false;
    return true;
}

/* Which unit a passage belongs to, for handing departments down. */
typedef enum { UNIT_ITEM, UNIT_SUBSECTION, UNIT_SECTION } unit_t;

static int unit_of(const parser_t *p, size_t i, unit_t unit)
{
    const zhs_passage_t *ps = &p->doc->passages[i];
    return unit == UNIT_ITEM ? p->work[i].item
           : unit == UNIT_SUBSECTION ? ps->subsection
                                     : ps->section;
}

/* A parenthetical that closes a unit covers the unit: when exactly one passage of the
 * unit names departments and its parenthetical ends it, the passages of the unit
 * before it (the heading, earlier paragraphs) get the same departments. Passages
 * after it (a stray `专栏四.`) are not covered. Sections and sub-sections qualify
 * only when nothing inside them is a smaller unit. */
static bool hand_down_closing(parser_t *p, unit_t unit)
{
    size_t n = p->doc->npassages;
    for (size_t first = 0; first < n;) {
        int u = unit_of(p, first, unit);
        size_t last = first, owner = first, owners = 0;
        while (last + 1 < n && unit_of(p, last + 1, unit) == u)
            last++;
        bool nested = false;
        for (size_t i = first; i <= last; i++) {
            if (p->work[i].depts.n > 0) {
                owner = i;
                owners++;
            }
            nested |= unit != UNIT_ITEM && p->work[i].item >= 0;
            nested |= unit == UNIT_SECTION && p->doc->passages[i].subsection >= 0;
        }
        if (u >= 0 && !nested && owners == 1 && p->work[owner].depts.closes) {
            for (size_t i = first; i < owner; i++)
                if (!copy_depts(&p->work[i].depts, &p->work[owner].depts))
                    return false;
        }
        first = last + 1;
    }
    return true;
}

/* `(本部分工作由…)` covers its section when it closes it: when a section holds exactly
 * one such note and it ends the section's last passage, every passage of the section
 * still without departments gets its departments. (A note in the middle of a section
 * covers its own item, as every item of the 2009 decision shows.) */
static bool hand_down_section_scope(parser_t *p)
{
    zhs_document_t *doc = p->doc;
    for (size_t s = 0; s < doc->nsections; s++) {
        if (doc->sections[s].level != 1)
            continue;
        const doc_deptlist_t *scope = NULL, *last = NULL;
        size_t count = 0;
        for (size_t i = 0; i < doc->npassages; i++) {
            if (doc->passages[i].section != (int)s)
                continue;
            last = &p->work[i].depts;
            if (last->whole_section) {
                scope = last;
                count++;
            }
        }
        if (count != 1 || scope != last || !scope->closes)
            continue;
        /* Only passages without departments grow, so scope stays put. */
        for (size_t i = 0; i < doc->npassages; i++)
            if (doc->passages[i].section == (int)s && p->work[i].depts.n == 0 &&
                !copy_depts(&p->work[i].depts, scope))
                return false;
    }
    return true;
}

static zhs_status_t assign_departments(parser_t *p)
{
    if (!hand_down_closing(p, UNIT_ITEM) || !hand_down_closing(p, UNIT_SUBSECTION) ||
        !hand_down_closing(p, UNIT_SECTION) || !hand_down_section_scope(p))
        return nomem(p);
    for (size_t i = 0; i < p->doc->npassages; i++) {
        zhs_passage_t *ps = &p->doc->passages[i];
        ps->departments = p->work[i].depts.items;
        ps->ndepartments = p->work[i].depts.n;
        memset(&p->work[i].depts, 0, sizeof p->work[i].depts);
    }
    return ZHS_OK;
}

static zhs_status_t finish_metadata(parser_t *p)
{
    zhs_document_t *doc = p->doc;
    doc_meta_t *m = &p->meta;
    /* Issuers: `发布单位:` first, then the title, then `来源:` (a source line may name
     * a newspaper rather than the issuing body). */
    doc_strlist_t *from = m->issuers_label.n ? &m->issuers_label
                          : p->title_issuers.n ? &p->title_issuers
                                               : &m->issuers_source;
    doc->issuers = from->items;
    doc->nissuers = from->n;
    memset(from, 0, sizeof *from);
    doc->doc_number = m->doc_number;
    m->doc_number = NULL;
    if (m->date[0]) {
        if (!(doc->date = strdup(m->date)))
            return nomem(p);
        doc->year = atoi(m->date);
    }
    return ZHS_OK;
}

static void parser_release(parser_t *p)
{
    if (p->work) {
        for (size_t i = 0; i < p->doc->npassages; i++) {
            free(p->work[i].norm);
            doc_deptlist_release(&p->work[i].depts);
        }
        free(p->work);
    }
    doc_meta_release(&p->meta);
    doc_strlist_release(&p->title_issuers);
}

zhs_status_t zhs_document_parse(const char *path, const char *raw, size_t nbytes,
                                zhs_document_t **out, zhs_error_t *err)
{
    if (out)
        *out = NULL;
    if (!path || !raw || !out)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_document_parse: NULL argument");
    zhs_status_t st = zhs_analyzer_init(err);
    if (st != ZHS_OK)
        return st;
    zhs_document_t *doc = calloc(1, sizeof *doc);
    if (!doc || set_names(doc, path) != ZHS_OK) {
        zhs_document_free(doc);
        return zhs_error_set(err, ZHS_ERR_NOMEM, "%s: out of memory", path);
    }
    zhs_error_t derr = {0};
    st = zhs_decode(raw, nbytes, &doc->text, &doc->text_nbytes, &doc->encoding, &doc->damage,
                    &derr);
    if (st != ZHS_OK) {
        zhs_error_set_at(err, st, derr.offset, "%s: %s", path, derr.message);
        zhs_document_free(doc);
        return st;
    }
    /* A page saved as HTML: its text is the document (and its line numbers are the
     * text's). */
    if (zhs_html_sniff(doc->text, doc->text_nbytes)) {
        char *text = NULL;
        size_t ntext = 0;
        st = zhs_html_to_text(doc->text, doc->text_nbytes, &text, &ntext, &derr);
        if (st != ZHS_OK) {
            zhs_error_set(err, st, "%s: %s", path, derr.message);
            zhs_document_free(doc);
            return st;
        }
        free(doc->text);
        doc->text = text;
        doc->text_nbytes = ntext;
    }
    parser_t p = {.doc = doc, .meta = {.date_rank = 0}, .err = err};
    st = read_lines(&p);
    if (st == ZHS_OK)
        st = find_title(&p);
    if (st == ZHS_OK)
        st = assign_departments(&p);
    if (st == ZHS_OK)
        st = finish_metadata(&p);
    close_sections(doc);
    parser_release(&p);
    if (st != ZHS_OK) {
        zhs_document_free(doc);
        return st;
    }
    *out = doc;
    return ZHS_OK;
}

void zhs_document_free(zhs_document_t *doc)
{
    if (!doc)
        return;
    free(doc->id);
    free(doc->file);
    free(doc->text);
    free(doc->title);
    for (size_t i = 0; i < doc->nissuers; i++)
        free(doc->issuers[i]);
    free(doc->issuers);
    free(doc->doc_number);
    free(doc->date);
    free(doc->url);
    free(doc->fragment_of);
    for (size_t i = 0; i < doc->nsections; i++) {
        free(doc->sections[i].heading);
        free(doc->sections[i].name);
    }
    free(doc->sections);
    for (size_t i = 0; i < doc->npassages; i++) {
        zhs_passage_t *ps = &doc->passages[i];
        free(ps->text);
        for (size_t k = 0; k < ps->ndepartments; k++)
            free(ps->departments[k].name);
        free(ps->departments);
    }
    free(doc->passages);
    free(doc);
}
