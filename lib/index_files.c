/* The `file:` metadata: the state of each indexed source file (size, mtime, content
 * hash, sidecar), which incremental indexing compares and lists. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "index_internal.h"
#include "zhsearch/schema.h"

/* The key of a path: `file:<path>`, or `file:#<hash>` when that is too long. */
static char *file_key(const char *path)
{
    char *key = ix_concat(ZHS_META_FILE, path);
    if (key && strlen(key) > IX_MAX_KEY_BYTES) {
        char hashed[32];
        snprintf(hashed, sizeof hashed, "#%016" PRIx64, XXH3_64bits(path, strlen(path)));
        free(key);
        key = ix_concat(ZHS_META_FILE, hashed);
    }
    return key;
}

zhs_status_t zhs_index_set_file(zhs_index_t *ix, const zhs_file_state_t *st,
                                zhs_error_t *err)
{
    if (!ix || !ix->wdb || !st || !st->path || !st->id)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_index_set_file: missing argument");
    char hash[20];
    snprintf(hash, sizeof hash, "%016" PRIx64, st->hash);
    json_t *sidecar = st->sidecar_size < 0
                          ? json_null()
                          : json_pack("{s:I, s:I}", "size", (json_int_t)st->sidecar_size,
                                      "mtime", (json_int_t)st->sidecar_mtime_ns);
    json_t *j = json_pack("{s:s, s:s, s:I, s:I, s:s, s:o}", "path", st->path, "id", st->id,
                          "size", (json_int_t)st->size, "mtime", (json_int_t)st->mtime_ns,
                          "hash", hash, "sidecar", sidecar);
    char *value = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    char *key = file_key(st->path);
    zhs_status_t status = value && key
                              ? zhs_wdb_set_metadata(ix->wdb, key, value, strlen(value), err)
                              : zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    free(key);
    free(value);
    if (status != ZHS_OK)
        ix->poisoned = true;
    return status;
}

zhs_status_t zhs_index_remove_file(zhs_index_t *ix, const char *path, zhs_error_t *err)
{
    if (!ix || !ix->wdb || !path)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_index_remove_file: missing argument");
    char *key = file_key(path);
    zhs_status_t st = key ? zhs_wdb_set_metadata(ix->wdb, key, "", 0, err)
                          : zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    free(key);
    if (st != ZHS_OK)
        ix->poisoned = true;
    return st;
}

static int collect_key(void *ctx, const char *bytes, size_t nbytes)
{
    return json_array_append_new(ctx, json_stringn(bytes, nbytes)) != 0;
}

/* Parses one record; false when it is not a file state this program wrote. */
static bool parse_state(json_t *j, zhs_file_state_t *st)
{
    memset(st, 0, sizeof *st);
    st->path = json_string_value(json_object_get(j, "path"));
    st->id = json_string_value(json_object_get(j, "id"));
    const char *hash = json_string_value(json_object_get(j, "hash"));
    if (!st->path || !st->id || !hash || sscanf(hash, "%" SCNx64, &st->hash) != 1)
        return false;
    st->size = (uint64_t)json_integer_value(json_object_get(j, "size"));
    st->mtime_ns = json_integer_value(json_object_get(j, "mtime"));
    json_t *sidecar = json_object_get(j, "sidecar");
    st->sidecar_size = json_is_object(sidecar)
                           ? json_integer_value(json_object_get(sidecar, "size"))
                           : -1;
    st->sidecar_mtime_ns = json_integer_value(json_object_get(sidecar, "mtime"));
    return true;
}

zhs_status_t zhs_index_files(zhs_index_t *ix, zhs_file_state_fn fn, void *ctx,
                             zhs_error_t *err)
{
    if (!ix || !ix->wdb || !fn)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_index_files: missing argument");
    json_t *keys = json_array();
    if (!keys)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    zhs_status_t st = zhs_wdb_metadata_keys(ix->wdb, ZHS_META_FILE, collect_key, keys, err);
    for (size_t i = 0; st == ZHS_OK && i < json_array_size(keys); i++) {
        const char *key = json_string_value(json_array_get(keys, i));
        char *value = NULL;
        size_t n = 0;
        st = zhs_wdb_get_metadata(ix->wdb, key, &value, &n, err);
        bool present = value != NULL;
        json_t *j = present ? json_loadb(value, n, 0, NULL) : NULL;
        free(value);
        zhs_file_state_t fs;
        if (st == ZHS_OK && present && !(j && parse_state(j, &fs)))
            st = zhs_error_set(err, ZHS_ERR_DB_CORRUPT, "metadata %s is not a file state",
                               key);
        bool stop = st == ZHS_OK && j && fn(ctx, &fs) != 0;
        json_decref(j);
        if (stop)
            break;
    }
    json_decref(keys);
    return st;
}
