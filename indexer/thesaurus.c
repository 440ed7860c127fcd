/* The thesaurus a run stores in the index: the file of --synonyms, else the shipped
 * one. Read whole (a thesaurus is small) and handed to zhs_index_set_thesaurus, which
 * changes nothing when the index already has the same text. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "indexer.h"

/* Far above any real thesaurus: a bigger file is a wrong path, not synonyms. */
#define THESAURUS_MAX_BYTES (16u << 20)

static const char *shipped_thesaurus(void)
{
    static const char *const candidates[] = {THESAURUS_SHIPPED,
                                             ZHS_DATADIR "/" THESAURUS_SHIPPED};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
        if (access(candidates[i], R_OK) == 0)
            return candidates[i];
    return NULL;
}

static zhs_status_t read_whole(const char *path, char **out, size_t *nbytes, zhs_error_t *err)
{
    *out = NULL;
    *nbytes = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return zhs_error_set(err, ZHS_ERR_IO, "cannot open the thesaurus %s: %s", path,
                             strerror(errno));
    char *buf = malloc(THESAURUS_MAX_BYTES + 1);
    if (!buf)
        die_nomem();
    size_t n = fread(buf, 1, THESAURUS_MAX_BYTES + 1, f);
    zhs_status_t st = ZHS_OK;
    if (ferror(f))
        st = zhs_error_set(err, ZHS_ERR_IO, "cannot read the thesaurus %s: %s", path,
                           strerror(errno));
    else if (n > THESAURUS_MAX_BYTES)
        st = zhs_error_set(err, ZHS_ERR_BAD_ARG, "the thesaurus %s is over %u MB", path,
                           THESAURUS_MAX_BYTES >> 20);
    fclose(f);
    if (st != ZHS_OK) {
        free(buf);
        return st;
    }
    *out = buf;
    *nbytes = n;
    return ZHS_OK;
}

zhs_status_t thesaurus_apply(zhs_index_t *ix, const char *option, zhs_error_t *err)
{
    bool none = option && strcmp(option, "none") == 0;
    const char *path = none ? NULL : option ? option : shipped_thesaurus();
    if (!path && !none)
        return ZHS_OK;   /* nothing shipped here: the index keeps its synonyms */
    char *text = NULL;
    size_t nbytes = 0, nentries = 0;
    bool changed = false;
    zhs_status_t st = path ? read_whole(path, &text, &nbytes, err) : ZHS_OK;
    if (st == ZHS_OK)
        st = zhs_index_set_thesaurus(ix, text, nbytes, path ? path_base(path) : "none",
                                     &changed, &nentries, err);
    free(text);
    if (st == ZHS_OK && changed)
        fprintf(stderr, PROGRAM ": synonyms from %s: %zu entries\n", path ? path : "none",
                nentries);
    return st;
}
