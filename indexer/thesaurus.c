/* The thesaurus a run stores in the index: the file of --synonyms, else the shipped
 * one. Read whole (a thesaurus is small) and handed to zhs_index_set_thesaurus, which
 * changes nothing when the index already has the same text. */
#include "config.h"

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

/* The thesaurus at path, refused unread when it is too big to be one. */
static zhs_status_t read_thesaurus(const char *path, char **out, size_t *nbytes,
                                   zhs_error_t *err)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && sb.st_size > (off_t)THESAURUS_MAX_BYTES)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "the thesaurus %s is over %u MB", path,
                             THESAURUS_MAX_BYTES >> 20);
    char *shown = xprintf("the thesaurus %s", path);
    zhs_status_t st = read_all(path, shown, out, nbytes, err);
    free(shown);
    return st;
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
    zhs_status_t st = path ? read_thesaurus(path, &text, &nbytes, err) : ZHS_OK;
    if (st == ZHS_OK)
        st = zhs_index_set_thesaurus(ix, text, nbytes, path ? path_base(path) : "none",
                                     &changed, &nentries, err);
    free(text);
    if (st == ZHS_OK && changed)
        fprintf(stderr, PROGRAM ": synonyms from %s: %zu entries\n", path ? path : "none",
                nentries);
    return st;
}
