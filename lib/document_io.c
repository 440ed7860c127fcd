/* A document's way in and out: loading a file (with its `NAME.meta.json` sidecar),
 * applying a sidecar's metadata overrides, and the JSON that `--explain` prints. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "doc_internal.h"
#include "zhsearch/analyzer.h"
#include "zhsearch/document.h"

/* ------------------------------------------------------------------ loading */

/* Reads a whole file. When optional, a missing file is not an error: *out is NULL. */
static zhs_status_t read_file(const char *path, bool optional, char **out, size_t *nbytes,
                              zhs_error_t *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (optional && errno == ENOENT)
            return ZHS_OK;
        return zhs_error_set(err, ZHS_ERR_IO, "%s: %s", path, strerror(errno));
    }
    size_t cap = 64 * 1024, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *bigger = realloc(buf, cap * 2 + 1);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    bool failed = ferror(f);
    fclose(f);
    if (!buf)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "%s: out of memory", path);
    if (failed) {
        free(buf);
        return zhs_error_set(err, ZHS_ERR_IO, "%s: read error", path);
    }
    buf[n] = '\0';
    *out = buf;
    *nbytes = n;
    return ZHS_OK;
}

/* `dir/ID.meta.json` for `dir/ID.txt`. Caller frees. */
static char *sidecar_path(const char *path, const char *id)
{
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash + 1 - path) : 0;
    static const char ext[] = ".meta.json";
    char *s = malloc(dir + strlen(id) + sizeof ext);
    if (s) {
        memcpy(s, path, dir);
        strcpy(s + dir, id);
        strcat(s + dir, ext);
    }
    return s;
}

zhs_status_t zhs_document_load(const char *path, zhs_document_t **out, zhs_error_t *err)
{
    if (out)
        *out = NULL;
    if (!path || !out)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_document_load: NULL argument");
    char *raw;
    size_t nbytes;
    zhs_status_t st = read_file(path, false, &raw, &nbytes, err);
    if (st != ZHS_OK)
        return st;
    zhs_document_t *doc;
    st = zhs_document_parse(path, raw, nbytes, &doc, err);
    free(raw);
    if (st != ZHS_OK)
        return st;

    char *meta_path = sidecar_path(path, doc->id);
    if (!meta_path) {
        zhs_document_free(doc);
        return zhs_error_set(err, ZHS_ERR_NOMEM, "%s: out of memory", path);
    }
    char *json = NULL;
    zhs_error_t merr = {0};
    st = read_file(meta_path, true, &json, &nbytes, &merr);
    if (st == ZHS_OK && json)       /* no sidecar: nothing to override */
        st = zhs_document_apply_sidecar(doc, json, &merr);
    free(json);
    if (st != ZHS_OK) {
        zhs_error_set(err, st, "%s: %s", meta_path, merr.message);
        zhs_document_free(doc);
        doc = NULL;
    }
    free(meta_path);
    *out = doc;
    return st;
}

/* ------------------------------------------------------------------ sidecar */

/* One optional string field of a sidecar: absent, null (clear it) or a string. */
typedef struct {
    bool present;
    char *value;
} field_t;

static zhs_status_t string_field(const zhs_document_t *doc, json_t *root, const char *key,
                                 field_t *f, zhs_error_t *err)
{
    json_t *v = json_object_get(root, key);
    if (!v)
        return ZHS_OK;
    f->present = true;
    if (json_is_null(v))
        return ZHS_OK;
    if (!json_is_string(v))
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "%s: sidecar: \"%s\" must be a string",
                             doc->file, key);
    if (!(f->value = strdup(json_string_value(v))))
        return zhs_error_set(err, ZHS_ERR_NOMEM, "%s: out of memory", doc->file);
    return ZHS_OK;
}

static zhs_status_t add_sidecar_issuer(const zhs_document_t *doc, json_t *v,
                                       doc_strlist_t *issuers, zhs_error_t *err)
{
    if (!json_is_string(v))
        return zhs_error_set(err, ZHS_ERR_BAD_ARG,
                             "%s: sidecar: \"issuer\" must be a string or an array of strings",
                             doc->file);
    char *norm;
    zhs_status_t st = zhs_normalize_str(json_string_value(v), &norm, err);
    if (st != ZHS_OK)
        return st;
    bool ok = doc_issuer_add(issuers, norm, strlen(norm));
    free(norm);
    return ok ? ZHS_OK : zhs_error_set(err, ZHS_ERR_NOMEM, "%s: out of memory", doc->file);
}

static zhs_status_t issuer_field(const zhs_document_t *doc, json_t *root, bool *present,
                                 doc_strlist_t *issuers, zhs_error_t *err)
{
    json_t *v = json_object_get(root, "issuer");
    if (!v)
        return ZHS_OK;
    *present = true;
    if (json_is_null(v))
        return ZHS_OK;
    if (!json_is_array(v))
        return add_sidecar_issuer(doc, v, issuers, err);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        zhs_status_t st = add_sidecar_issuer(doc, item, issuers, err);
        if (st != ZHS_OK)
            return st;
    }
    return ZHS_OK;
}

/* A sidecar date: `YYYY-MM-DD` (or any form the text parser reads), or just `YYYY`. */
static zhs_status_t parse_sidecar_date(const zhs_document_t *doc, const char *s,
                                       char date[11], int *year, zhs_error_t *err)
{
    size_t n = doc_date_parse(s, 0, date);
    if (n && s[n] == '\0') {
        *year = atoi(date);
        return ZHS_OK;
    }
    date[0] = '\0';
    if (strlen(s) == 4 && strspn(s, "0123456789") == 4) {
        *year = atoi(s);
        return ZHS_OK;
    }
    return zhs_error_set(err, ZHS_ERR_BAD_ARG,
                         "%s: sidecar: \"date\" must be YYYY-MM-DD or YYYY, not \"%s\"",
                         doc->file, s);
}

zhs_status_t zhs_document_apply_sidecar(zhs_document_t *doc, const char *json,
                                        zhs_error_t *err)
{
    if (!doc || !json)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_document_apply_sidecar: NULL argument");
    json_error_t jerr;
    json_t *root = json_loads(json, 0, &jerr);
    if (!root)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "%s: sidecar: %s (line %d, column %d)",
                             doc->file, jerr.text, jerr.line, jerr.column);
    field_t title = {0}, number = {0}, date = {0}, url = {0};
    bool issuers_present = false;
    doc_strlist_t issuers = {0};
    char new_date[11] = "";
    int new_year = 0;
    zhs_status_t st = json_is_object(root) ? ZHS_OK
                      : zhs_error_set(err, ZHS_ERR_BAD_ARG,
                                      "%s: sidecar: not a JSON object", doc->file);
    /* Everything is checked before anything changes: a bad sidecar leaves the
     * document as it was. */
    if (st == ZHS_OK)
        st = string_field(doc, root, "title", &title, err);
    if (st == ZHS_OK)
        st = string_field(doc, root, "doc_number", &number, err);
    if (st == ZHS_OK)
        st = string_field(doc, root, "date", &date, err);
    if (st == ZHS_OK)
        st = string_field(doc, root, "url", &url, err);
    if (st == ZHS_OK)
        st = issuer_field(doc, root, &issuers_present, &issuers, err);
    if (st == ZHS_OK && date.value)
        st = parse_sidecar_date(doc, date.value, new_date, &new_year, err);
    json_decref(root);
    if (st != ZHS_OK) {
        free(title.value);
        free(number.value);
        free(date.value);
        free(url.value);
        doc_strlist_release(&issuers);
        return st;
    }
    /* The date is stored in its canonical form, not as the sidecar wrote it. */
    free(date.value);
    date.value = NULL;
    if (new_date[0] && !(date.value = strdup(new_date))) {
        free(title.value);
        free(number.value);
        free(url.value);
        doc_strlist_release(&issuers);
        return zhs_error_set(err, ZHS_ERR_NOMEM, "%s: out of memory", doc->file);
    }
    field_t *fields[] = {&title, &number, &date, &url};
    char **slots[] = {&doc->title, &doc->doc_number, &doc->date, &doc->url};
    for (size_t i = 0; i < 4; i++) {
        if (fields[i]->present) {
            free(*slots[i]);
            *slots[i] = fields[i]->value;
        }
    }
    if (date.present)
        doc->year = new_year;
    if (issuers_present) {
        for (size_t i = 0; i < doc->nissuers; i++)
            free(doc->issuers[i]);
        free(doc->issuers);
        doc->issuers = issuers.items;
        doc->nissuers = issuers.n;
    }
    return ZHS_OK;
}

/* ------------------------------------------------------------------ JSON */

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *section_name(const zhs_document_t *doc, int index)
{
    return index >= 0 ? json_string(doc->sections[index].name) : json_null();
}

static json_t *outline_json(const zhs_document_t *doc)
{
    json_t *a = json_array();
    for (size_t i = 0; i < doc->nsections; i++) {
        const zhs_section_t *s = &doc->sections[i];
        json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:i, s:I, s:I}",
                                           "heading", s->heading, "name", s->name,
                                           "level", s->level, "parent", s->parent,
                                           "line_start", (json_int_t)s->line_start,
                                           "line_end", (json_int_t)s->line_end));
    }
    return a;
}

static json_t *passage_json(const zhs_document_t *doc, const zhs_passage_t *ps)
{
    json_t *depts = json_array();
    for (size_t k = 0; k < ps->ndepartments; k++)
        json_array_append_new(depts, json_pack("{s:s, s:s}", "name", ps->departments[k].name,
                                               "role", zhs_role_name(ps->departments[k].role)));
    return json_pack("{s:I, s:I, s:s, s:o, s:o, s:o}",
                     "line_start", (json_int_t)ps->line_start,
                     "line_end", (json_int_t)ps->line_end, "text", ps->text,
                     "section", section_name(doc, ps->section),
                     "subsection", section_name(doc, ps->subsection),
                     "departments", depts);
}

char *zhs_document_to_json(const zhs_document_t *doc)
{
    if (!doc)
        return NULL;
    json_t *issuers = json_array();
    for (size_t i = 0; i < doc->nissuers; i++)
        json_array_append_new(issuers, json_string(doc->issuers[i]));
    json_t *passages = json_array();
    for (size_t i = 0; i < doc->npassages; i++)
        json_array_append_new(passages, passage_json(doc, &doc->passages[i]));
    json_t *root = json_pack(
        "{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o}",
        "id", doc->id, "file", doc->file, "encoding", zhs_encoding_name(doc->encoding),
        "title", string_or_null(doc->title), "issuer", issuers,
        "doc_number", string_or_null(doc->doc_number), "date", string_or_null(doc->date),
        "year", doc->year ? json_integer(doc->year) : json_null(),
        "url", string_or_null(doc->url), "fragment_of", string_or_null(doc->fragment_of),
        "npassages", (json_int_t)doc->npassages, "outline", outline_json(doc),
        "passages", passages);
    if (!root)
        return NULL;
    if (doc->damage.nbytes)
        json_object_set_new(root, "damaged", json_pack("{s:I, s:I}", "bytes",
                                                       (json_int_t)doc->damage.nbytes, "first",
                                                       (json_int_t)doc->damage.first));
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return s;
}
