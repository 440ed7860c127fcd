/* The index's synonym table, filled from a thesaurus (thesaurus.h) and kept with the
 * text it came from, so that a run given the same thesaurus changes nothing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "index_internal.h"
#include "thesaurus.h"
#include "zhsearch/schema.h"

static zhs_status_t add_pair(void *ctx, const char *word_key, const char *synonym,
                             zhs_error_t *err)
{
    return zhs_wdb_add_synonym(ctx, word_key, strlen(word_key), synonym, strlen(synonym),
                               err);
}

zhs_status_t zhs_index_set_thesaurus(zhs_index_t *ix, const char *text, size_t nbytes,
                                     const char *name, bool *changed, size_t *nentries,
                                     zhs_error_t *err)
{
    if (changed)
        *changed = false;
    zhs_status_t st = ix_check_usable(ix, err);
    if (st != ZHS_OK)
        return st;
    if (!text && nbytes)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_index_set_thesaurus: text is NULL");
    /* Checked whole first: a bad line changes nothing. */
    st = zhs_thesaurus_parse(text, nbytes, name, NULL, NULL, nentries, err);
    if (st != ZHS_OK)
        return st;
    char *stored = NULL;
    size_t nstored = 0;
    st = zhs_wdb_get_metadata(ix->wdb, ZHS_META_THESAURUS, &stored, &nstored, err);
    bool same = st == ZHS_OK && nstored == nbytes && (!nbytes || !memcmp(stored, text, nbytes));
    free(stored);
    if (st != ZHS_OK || same)
        return st;
    st = zhs_wdb_clear_synonyms(ix->wdb, err);
    if (st == ZHS_OK)
        st = zhs_thesaurus_parse(text, nbytes, name, add_pair, ix->wdb, NULL, err);
    if (st == ZHS_OK)
        st = zhs_wdb_set_metadata(ix->wdb, ZHS_META_THESAURUS, text, nbytes, err);
    if (st == ZHS_OK && changed)
        *changed = true;
    return ix_poison_on_failure(ix, st);
}
