/* Source files: walking the PATH arguments for documents (`*.txt`, `*.html`, `*.htm`),
 * finding each one's `<id>.meta.json` sidecar, reading and hashing the bytes, parsing. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <xxhash.h>

#include "indexer.h"

#define SIDECAR_SUFFIX ".meta.json"

/* Extensions of the documents a directory walk picks up (the document parser reads a
 * page's text out of its HTML). */
static const char *const doc_extensions[] = {".txt", ".html", ".htm"};

static bool ends_with(const char *s, const char *suffix, bool nocase)
{
    size_t ns = strlen(s), nx = strlen(suffix);
    if (ns < nx)
        return false;
    return nocase ? !strcasecmp(s + ns - nx, suffix) : !strcmp(s + ns - nx, suffix);
}

static bool is_document_name(const char *name)
{
    if (name[0] == '.' || ends_with(name, SIDECAR_SUFFIX, true))
        return false;
    for (size_t i = 0; i < sizeof doc_extensions / sizeof doc_extensions[0]; i++)
        if (ends_with(name, doc_extensions[i], true))
            return true;
    return false;
}

/* The id: the file name without directory and (last) extension. */
static char *id_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    const char *dot = strrchr(name, '.');
    size_t n = dot && dot != name ? (size_t)(dot - name) : strlen(name);
    return xstrndup(name, n);
}

static void add_source(source_list_t *list, char *path, char *shown, const struct stat *st,
                       int root)
{
    if (list->n == list->cap) {
        size_t ncap = list->cap ? list->cap * 2 : 64;
        source_t *nv = realloc(list->v, ncap * sizeof *nv);
        if (!nv)
            die_nomem();
        list->v = nv;
        list->cap = ncap;
    }
    source_t *s = &list->v[list->n++];
    memset(s, 0, sizeof *s);
    s->path = path;
    s->shown = shown;
    s->id = id_of(path);
    s->st = *st;
    s->root = root;
    /* `dir/<id>.meta.json` */
    char *dir = path_dir(path);
    char *name = xprintf("%s%s", s->id, SIDECAR_SUFFIX);
    s->sidecar = path_join(dir, name);
    free(dir);
    free(name);
    if (stat(s->sidecar, &s->sidecar_st) != 0 || !S_ISREG(s->sidecar_st.st_mode)) {
        free(s->sidecar);
        s->sidecar = NULL;
    }
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static zhs_status_t walk(source_list_t *list, const char *dir, const char *shown, int root,
                         zhs_error_t *err)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, by_name);
    if (n < 0)
        return zhs_error_set(err, ZHS_ERR_IO, "cannot read directory %s: %s", shown,
                             strerror(errno));
    zhs_status_t st = ZHS_OK;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (st == ZHS_OK && name[0] != '.') {
            char *path = path_join(dir, name), *pshown = path_join(shown, name);
            struct stat lst, sb;
            bool ok = lstat(path, &lst) == 0 && stat(path, &sb) == 0;
            if (ok && S_ISDIR(sb.st_mode) && !S_ISLNK(lst.st_mode)) {
                st = walk(list, path, pshown, root, err);
            } else if (ok && S_ISREG(sb.st_mode) && is_document_name(name)) {
                add_source(list, path, pshown, &sb, root);
                path = pshown = NULL;   /* now owned by the list */
            }
            free(path);
            free(pshown);
        }
        free(names[i]);
    }
    free(names);
    return st;
}

zhs_status_t sources_add(source_list_t *list, const char *path, int root, char **root_dir,
                         zhs_error_t *err)
{
    if (root_dir)
        *root_dir = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return zhs_error_set(err, ZHS_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode)) {
        char *canon = realpath(path, NULL);
        if (!canon)
            return zhs_error_set(err, ZHS_ERR_IO, "cannot resolve %s: %s", path,
                                 strerror(errno));
        zhs_status_t st = walk(list, canon, path, root, err);
        if (root_dir && st == ZHS_OK)
            *root_dir = canon;
        else
            free(canon);
        return st;
    }
    if (!S_ISREG(sb.st_mode))
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "%s is neither a file nor a directory", path);
    if (ends_with(path, SIDECAR_SUFFIX, true))
        return ZHS_OK;   /* a sidecar is applied to its document, never indexed */
    /* The directory is made canonical, the name kept: the file: key of a file is the
     * same whether it is named directly or found in a directory walk. */
    char *dir = path_dir(path);
    char *canon = realpath(dir, NULL);
    free(dir);
    if (!canon)
        return zhs_error_set(err, ZHS_ERR_IO, "cannot resolve the directory of %s: %s", path,
                             strerror(errno));
    char *full = path_join(canon, path_base(path));
    free(canon);
    add_source(list, full, xstrdup(path), &sb, root);
    return ZHS_OK;
}

void sources_release(source_list_t *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->n; i++) {
        free(list->v[i].path);
        free(list->v[i].shown);
        free(list->v[i].id);
        free(list->v[i].sidecar);
    }
    free(list->v);
    memset(list, 0, sizeof *list);
}

zhs_status_t source_read(const source_t *src, char **raw, size_t *nraw, char **sidecar_json,
                         uint64_t *hash, zhs_error_t *err)
{
    *sidecar_json = NULL;
    zhs_status_t st = read_all(src->path, src->shown, raw, nraw, err);
    size_t nside = 0;
    if (st == ZHS_OK && src->sidecar)
        st = read_all(src->sidecar, src->sidecar, sidecar_json, &nside, err);
    if (st != ZHS_OK) {
        free(*raw);
        *raw = NULL;
        return st;
    }
    XXH3_state_t *h = XXH3_createState();
    if (!h) {
        free(*raw);
        free(*sidecar_json);
        *raw = *sidecar_json = NULL;
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    }
    XXH3_64bits_reset(h);
    XXH3_64bits_update(h, *raw, *nraw);
    if (*sidecar_json) {
        /* A marker byte, so that "no sidecar" and "empty sidecar" differ. */
        XXH3_64bits_update(h, "\0", 1);
        XXH3_64bits_update(h, *sidecar_json, nside);
    }
    *hash = XXH3_64bits_digest(h);
    XXH3_freeState(h);
    return ZHS_OK;
}

zhs_status_t source_parse(const source_t *src, const char *raw, size_t nraw,
                          const char *sidecar_json, zhs_document_t **out, zhs_error_t *err)
{
    zhs_status_t st = zhs_document_parse(src->path, raw, nraw, out, err);
    if (st == ZHS_OK && sidecar_json) {
        st = zhs_document_apply_sidecar(*out, sidecar_json, err);
        if (st != ZHS_OK) {
            zhs_document_free(*out);
            *out = NULL;
        }
    }
    return st;
}
