/* The searcher handle: the databases it reads, following new revisions, the cache of
 * document records for the current revision, and the counts for /stats. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search_internal.h"
#include "textpack.h"
#include "zhsearch/analyzer.h"
#include "zhsearch/schema.h"

/* Measured with bench/eval_run and the relevance scorer on the judged queries
 * (group=passage, limit 20; nDCG@10 in brackets):
 * - b: passages are single lines, from 10-character headings to 600-character
 *   paragraphs; full length normalization (b 0.75) lifts headings that merely name the
 *   subject over the paragraphs about it. b 0.75 [0.694], 0.5 [0.708], 0.3 [0.709],
 *   0.1 [0.712], 0 [0.724]. b 0 is also what makes the match cheap: with any length
 *   normalization Xapian reads every candidate's length from the document-length list,
 *   a B-tree lookup each (a 460-match word: 980 us of match with b 0.3, 45 us with
 *   b 0, libxapian 1.4.22).
 * - k1 made no difference between 0.5 and 2 (terms rarely repeat within a line).
 * - title boost: with `S` terms on every passage (schemas 1-3) 0.2 [0.712], 0.5 [0.703],
 *   1 [0.679], 0 [0.709]: a little lifts passages of the documents about the query; more
 *   drowns the passage-level evidence. The 0.003 it bought cost a fifth of the indexer's
 *   time and a tenth of the index, so schemas 4-6 wrote none; boosting only the
 *   title-line passage was worse [0.685] (it counts the title twice). Since schema 7
 *   the title line alone carries them (1 MB of 325 on the 108.6 MB bench corpus) and
 *   every passage of a document whose title matches gains title_weight times the title
 *   passage's weight (search.c). That weight is larger than the old one (a title term
 *   is rare among passages, so its idf is high), hence the smaller factors: 0 [0.762],
 *   0.005 [0.763], 0.01 [0.763], 0.02 [0.763], 0.03 [0.763], 0.04 [0.767], 0.05 [0.750],
 *   0.1 [0.749], 0.2 [0.749], 0.3 [0.741], 0.5 [0.740], 1 [0.740]. From 0.005 to 0.04
 *   it breaks ties of equal passages for the document about the query (Traditional
 *   知識產權 0.908 -> 0.926); from 0.042 on, 002's title (2016—2020年) lifts its every
 *   passage over the more relevant ones of 2020年 (0.809 -> 0.635). 0.02 stays clear
 *   of that edge.
 * - relaxed matches: when fewer than relax_below passages match exactly, the passages
 *   holding a word's characters in order within relax_window times its length follow
 *   every exact one (the decider's tier 2). As a fallback for zero exact hits only it
 *   changed nothing [0.724]; below 10 exact passages [0.761], below 20 [0.759, R@20
 *   0.521 against 0.517], always [0.759]; window 2, 3 and 5 alike. The gain is the
 *   Simplified query whose best passages say it in other words (国际科技合作 against
 *   國際科技創新合作: 0.126 -> 0.500). 减税 stays empty: no passage holds 减 and 税.
 *   Relaxed runs ask for each word's two rarest characters, weighted up by the word's
 *   own terms (search_compile.c): 0.762, and half the time. */
const zhs_rank_params_t zhs_rank_defaults = {
    .k1 = 1.2,
    .b = 0,
    .min_normlen = 0.5,
    .title_weight = 0.02,
    .relax_window = 3,
    .relax_below = 20,
    .relax_max_candidates = 20000,
};

static zhs_status_t check_schema(zhs_db_t *db, zhs_error_t *err)
{
    char *v = NULL;
    size_t n = 0;
    zhs_status_t st = zhs_db_get_metadata(db, ZHS_META_SCHEMA, &v, &n, err);
    if (st != ZHS_OK)
        return st;
    /* An empty database (nothing indexed yet) has no schema key: it is servable. */
    if (v && (atoi(v) < ZHS_SCHEMA_OLDEST || atoi(v) > ZHS_SCHEMA_VERSION))
        st = zhs_error_set(err, ZHS_ERR_DB_CORRUPT,
                           "index schema version %s, this program reads versions %d to %d",
                           v, ZHS_SCHEMA_OLDEST, ZHS_SCHEMA_VERSION);
    free(v);
    return st;
}

/* Opens the shards again one by one for their metadata (see search_internal.h). */
static zhs_status_t open_shards(zhs_searcher_t *s, const char *const *paths, size_t npaths,
                                zhs_error_t *err)
{
    if (npaths < 2)
        return ZHS_OK;
    if (!(s->shards = calloc(npaths, sizeof *s->shards)))
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory opening the index");
    zhs_status_t st = ZHS_OK;
    for (; s->nshards < npaths && st == ZHS_OK; s->nshards++)
        st = zhs_db_open(paths[s->nshards], &s->shards[s->nshards], err);
    return st;
}

/* A failure here is not the caller's: the first search builds what is missing and
 * reports what fails then. */
static void warm(zhs_searcher_t *s)
{
    zhs_search_warm(s, NULL);
}

zhs_status_t zhs_searcher_open(const char *const *paths, size_t npaths,
                               zhs_searcher_t **out, zhs_error_t *err)
{
    *out = NULL;
    if (!paths || npaths == 0)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "no database path given");
    zhs_status_t st = zhs_analyzer_init(err);
    if (st != ZHS_OK)
        return st;
    zhs_searcher_t *s = calloc(1, sizeof *s);
    if (!s || !(s->docs = json_object()) || !(s->char_freqs = json_object())) {
        if (s)
            json_decref(s->docs);
        free(s);
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory opening the index");
    }
    s->rank = zhs_rank_defaults;
    st = zhs_db_open(paths[0], &s->db, err);
    for (size_t i = 1; i < npaths && st == ZHS_OK; i++)
        st = zhs_db_add(s->db, paths[i], err);
    if (st == ZHS_OK)
        st = open_shards(s, paths, npaths, err);
    for (size_t i = 0; i < (s->nshards ? s->nshards : 1) && st == ZHS_OK; i++)
        st = check_schema(s->nshards ? s->shards[i] : s->db, err);
    if (st == ZHS_OK)
        st = zhs_db_revision(s->db, &s->revision, err);
    if (st != ZHS_OK) {
        zhs_searcher_close(s);
        return st;
    }
    warm(s);
    *out = s;
    return ZHS_OK;
}

void zhs_searcher_close(zhs_searcher_t *s)
{
    if (!s)
        return;
    zhs_db_close(s->db);
    for (size_t i = 0; i < s->nshards; i++)
        zhs_db_close(s->shards[i]);
    free(s->shards);
    json_decref(s->docs);
    json_decref(s->char_freqs);
    json_decref(s->passage_data);
    zhs_text_cache_clear(&s->texts);
    free(s);
}

static void drop_caches(zhs_searcher_t *s)
{
    json_object_clear(s->docs);
    json_object_clear(s->char_freqs);
    json_object_clear(s->passage_data);
    zhs_text_cache_clear(&s->texts);
    s->ndocs_known = false;
}

zhs_status_t zhs_searcher_refresh(zhs_searcher_t *s, bool *changed, zhs_error_t *err)
{
    bool moved = false;
    if (changed)
        *changed = false;
    zhs_status_t st = zhs_db_reopen(s->db, &moved, err);
    for (size_t i = 0; i < s->nshards && st == ZHS_OK; i++) {
        bool shard_moved = false;
        st = zhs_db_reopen(s->shards[i], &shard_moved, err);
        moved = moved || shard_moved;
    }
    if (st != ZHS_OK)
        return st;
    if (moved) {
        s->moves++;
        drop_caches(s);
        st = zhs_db_revision(s->db, &s->revision, err);
        if (st == ZHS_OK)
            warm(s);
    }
    if (changed)
        *changed = moved;
    return st;
}

uint64_t zhs_searcher_moves(const zhs_searcher_t *s)
{
    return s->moves;
}

zhs_status_t zhs_searcher_reopen(zhs_searcher_t *s, zhs_error_t *err)
{
    drop_caches(s);
    return zhs_searcher_refresh(s, NULL, err);
}

static int count_key(void *ctx, const char *bytes, size_t nbytes)
{
    (void)bytes;
    (void)nbytes;
    (*(uint64_t *)ctx)++;
    return 0;
}

zhs_status_t zhs_searcher_stats(zhs_searcher_t *s, zhs_index_stats_t *out,
                                zhs_error_t *err)
{
    memset(out, 0, sizeof *out);
    zhs_status_t st = ZHS_OK;
    if (!s->ndocs_known) {
        uint64_t n = 0;
        for (size_t i = 0; i < (s->nshards ? s->nshards : 1) && st == ZHS_OK; i++)
            st = zhs_db_metadata_keys(s->nshards ? s->shards[i] : s->db, ZHS_META_DOC,
                                      count_key, &n, err);
        if (st != ZHS_OK)
            return st;
        s->ndocs = n;
        s->ndocs_known = true;
    }
    out->documents = s->ndocs;
    out->revision = s->revision;
    st = zhs_db_doccount(s->db, &out->passages, err);
    if (st == ZHS_OK)
        st = zhs_db_deleted(s->db, &out->deleted, err);
    return st == ZHS_OK ? zhs_db_synonym_words(s->db, &out->synonym_words, err) : st;
}

zhs_status_t zhs_searcher_char_freq(zhs_searcher_t *s, const char *ch, size_t nbytes,
                                    uint64_t *out, zhs_error_t *err)
{
    char key[8];
    if (nbytes == 0 || nbytes >= sizeof key)
        return zhs_db_prefix_freq(s->db, ch, nbytes, out, err);
    memcpy(key, ch, nbytes);
    key[nbytes] = '\0';
    json_t *known = json_object_get(s->char_freqs, key);
    if (known) {
        *out = (uint64_t)json_integer_value(known);
        return ZHS_OK;
    }
    zhs_status_t st = zhs_db_prefix_freq(s->db, ch, nbytes, out, err);
    /* Not remembered when out of memory: counted again next time. */
    if (st == ZHS_OK)
        json_object_set_new(s->char_freqs, key, json_integer((json_int_t)*out));
    return st;
}

zhs_status_t zhs_searcher_metadata(zhs_searcher_t *s, const char *key, char **out,
                                   size_t *out_nbytes, zhs_error_t *err)
{
    *out = NULL;
    if (!s->nshards)
        return zhs_db_get_metadata(s->db, key, out, out_nbytes, err);
    zhs_status_t st = ZHS_OK;
    for (size_t i = 0; i < s->nshards && st == ZHS_OK && !*out; i++)
        st = zhs_db_get_metadata(s->shards[i], key, out, out_nbytes, err);
    return st;
}

zhs_status_t zhs_searcher_metadata_of(zhs_searcher_t *s, const char *prefix, const char *id,
                                      char **out, size_t *out_nbytes, zhs_error_t *err)
{
    char *key = NULL;
    *out = NULL;
    if (asprintf(&key, "%s%s", prefix, id) < 0)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory reading %s%s", prefix, id);
    zhs_status_t st = zhs_searcher_metadata(s, key, out, out_nbytes, err);
    free(key);
    return st;
}

zhs_status_t zhs_searcher_doc_record(zhs_searcher_t *s, const char *id, json_t **rec,
                                     zhs_error_t *err)
{
    *rec = id ? json_object_get(s->docs, id) : NULL;
    if (*rec || !id)
        return ZHS_OK;
    char *v = NULL;
    size_t n = 0;
    zhs_status_t st = zhs_searcher_metadata_of(s, ZHS_META_DOC, id, &v, &n, err);
    if (st != ZHS_OK || !v)
        return st;
    json_t *j = NULL;
    zhs_json_unpack(v, n, &j, NULL);
    free(v);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        return zhs_error_set(err, ZHS_ERR_DB_CORRUPT, "document record of %s is not a JSON "
                             "object", id);
    }
    if (json_object_set_new(s->docs, id, j) != 0)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory caching a document record");
    *rec = j;
    return ZHS_OK;
}

zhs_status_t zhs_searcher_synonyms(void *searcher, const char *key, zhs_synonym_add_fn add,
                                   void *add_ctx, zhs_error_t *err)
{
    zhs_searcher_t *s = searcher;
    return zhs_db_synonyms(s->db, key, strlen(key), add, add_ctx, err);
}

static bool lists(const json_t *list, const char *text)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
        if (strcmp(json_string_value(v), text) == 0)
            return true;
    return false;
}

/* Each synonym once: two words of a query may share one. */
static int add_synonyms(const zhs_qnode_t *n, json_t *list)
{
    if (n->synonym && n->norm)
        return lists(list, n->norm) ? 0 : json_array_append_new(list, json_string(n->norm));
    for (size_t i = 0; i < n->nkids; i++)
        if (add_synonyms(n->kids[i], list))
            return -1;
    return 0;
}

void zhs_synonyms_json(const zhs_qnode_t *wide, json_t *query)
{
    json_t *list = json_array();
    if (list && add_synonyms(wide, list) == 0)
        json_object_set(query, "synonyms", list);
    json_decref(list);
}
