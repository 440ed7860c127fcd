/* The on-disk layout of an index: the --db path is a relative symlink to a sibling
 * generation directory `<db>.<N>` holding the Xapian database. Incremental runs write
 * into the current generation (readers see each commit atomically); --rebuild builds
 * `<db>.<N+1>.build` beside it, compacts that into generation N+1 and swaps the link
 * with rename(), so a reader either sees the old index or the new one, and one with
 * the old one open keeps reading it. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "indexer.h"
#include "zhsearch/xapian.h"

/* Attempts at resolving the link when a --rebuild swaps it under us. */
#define MAX_ATTEMPTS 5

/* mkdir -p */
static zhs_status_t make_dirs(const char *dir, zhs_error_t *err)
{
    char *p = xstrdup(dir);
    zhs_status_t st = ZHS_OK;
    for (char *c = p + 1;; c++) {
        if (*c != '/' && *c != '\0')
            continue;
        char saved = *c;
        *c = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            st = zhs_error_set(err, ZHS_ERR_IO, "cannot create directory %s: %s", p,
                               strerror(errno));
        *c = saved;
        if (st != ZHS_OK || saved == '\0')
            break;
    }
    free(p);
    return st;
}

#define BUILD_SUFFIX ".build"

/* N when name is `<base>.<N>` (N a positive decimal; with suffix `<base>.<N><suffix>`),
 * else 0. */
static unsigned gen_of_suffixed(const char *name, const char *base, const char *suffix)
{
    size_t nb = strlen(base);
    if (strncmp(name, base, nb) != 0 || name[nb] != '.' || name[nb + 1] < '1' ||
        name[nb + 1] > '9')
        return 0;
    char *end;
    unsigned long n = strtoul(name + nb + 1, &end, 10);
    return !strcmp(end, suffix) && n < UINT_MAX ? (unsigned)n : 0;
}

static unsigned gen_of(const char *name, const char *base)
{
    return gen_of_suffixed(name, base, "");
}

/* Is dir a Xapian database (or an empty directory), i.e. safe to delete as ours? */
static bool looks_like_generation(const char *dir)
{
    char *probe = xprintf("%s/iamglass", dir);
    bool ok = access(probe, F_OK) == 0;
    free(probe);
    if (ok)
        return true;
    DIR *d = opendir(dir);
    if (!d)
        return false;
    struct dirent *e;
    ok = true;
    while (ok && (e = readdir(d)))
        ok = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    return ok;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);   /* best effort: keep going */
    return 0;
}

static void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Calls fn for every generation directory of db and every build directory of
 * --rebuild (`<db>.<N>.build`); returns the largest N seen. */
static unsigned each_generation(const char *db,
                                void (*fn)(const char *dir, unsigned gen, bool build,
                                           void *ctx),
                                void *ctx)
{
    char *parent = path_dir(db);
    const char *base = path_base(db);
    unsigned max = 0;
    DIR *d = opendir(parent);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        unsigned g = gen_of(e->d_name, base);
        bool build = !g && (g = gen_of_suffixed(e->d_name, base, BUILD_SUFFIX));
        if (!g)
            continue;
        max = g > max ? g : max;
        if (fn) {
            char *dir = xprintf("%s/%s", parent, e->d_name);
            fn(dir, g, build, ctx);
            free(dir);
        }
    }
    if (d)
        closedir(d);
    free(parent);
    return max;
}

/* Removes every generation of db but `keep`, and every build directory, that looks
 * like one of ours and that no writer holds (a concurrent run may be writing it). */
static void remove_other(const char *dir, unsigned gen, bool build, void *ctx)
{
    if ((!build && gen == *(const unsigned *)ctx) || !looks_like_generation(dir))
        return;
    zhs_wdb_t *probe = NULL;
    if (zhs_wdb_open(dir, ZHS_WDB_CREATE_OR_OPEN, &probe, NULL) != ZHS_OK)
        return;
    zhs_wdb_close(probe);
    remove_tree(dir);
}

static void remove_generations_but(const char *db, unsigned keep)
{
    each_generation(db, remove_other, &keep);
}

void layout_release(layout_t *lay)
{
    if (!lay)
        return;
    free(lay->db);
    free(lay->dir);
    free(lay->target);
    memset(lay, 0, sizeof *lay);
}

typedef enum {
    DB_ABSENT,       /* nothing there (or an empty directory, removed) */
    DB_LINK,         /* our symlink: lay filled */
    DB_PLAIN,        /* a plain directory or a foreign link: lay->dir filled */
} db_kind_t;

/* Looks at what db is. */
static zhs_status_t inspect(const char *db, layout_t *lay, db_kind_t *kind, zhs_error_t *err)
{
    memset(lay, 0, sizeof *lay);
    lay->db = xstrdup(db);
    struct stat st;
    if (lstat(db, &st) != 0) {
        if (errno != ENOENT)
            return zhs_error_set(err, ZHS_ERR_IO, "cannot inspect %s: %s", db, strerror(errno));
        *kind = DB_ABSENT;
        return ZHS_OK;
    }
    if (S_ISLNK(st.st_mode)) {
        char buf[PATH_MAX];
        ssize_t n = readlink(db, buf, sizeof buf - 1);
        if (n < 0)
            return zhs_error_set(err, ZHS_ERR_IO, "cannot read link %s: %s", db, strerror(errno));
        buf[n] = '\0';
        char *parent = path_dir(db);
        lay->dir = buf[0] == '/' ? xstrdup(buf) : xprintf("%s/%s", parent, buf);
        free(parent);
        lay->gen = strchr(buf, '/') ? 0 : gen_of(buf, path_base(db));
        if (lay->gen) {
            lay->target = xstrdup(buf);
            *kind = DB_LINK;
        } else {
            lay->plain = true;
            *kind = DB_PLAIN;
        }
        return ZHS_OK;
    }
    if (!S_ISDIR(st.st_mode))
        return zhs_error_set(err, ZHS_ERR_BAD_ARG,
                             "%s exists and is neither a directory nor an index link", db);
    if (rmdir(db) == 0) {   /* an empty directory: take it over */
        *kind = DB_ABSENT;
        return ZHS_OK;
    }
    if (!looks_like_generation(db))
        return zhs_error_set(err, ZHS_ERR_BAD_ARG,
                             "%s is a directory that holds no Xapian database: refusing to "
                             "write into it",
                             db);
    lay->dir = xstrdup(db);
    lay->plain = true;
    *kind = DB_PLAIN;
    return ZHS_OK;
}

/* Does db (still) link to target? */
static bool links_to(const char *db, const char *target)
{
    char buf[PATH_MAX];
    ssize_t n = readlink(db, buf, sizeof buf - 1);
    if (n < 0)
        return false;
    buf[n] = '\0';
    return !strcmp(buf, target);
}

static zhs_status_t fsync_path_dir(const char *path)
{
    char *parent = path_dir(path);
    int fd = open(parent, O_RDONLY | O_DIRECTORY);
    free(parent);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    return ZHS_OK;
}

bool layout_absent(const char *db)
{
    struct stat st;
    if (lstat(db, &st) != 0)
        return errno == ENOENT;
    if (!S_ISDIR(st.st_mode))
        return false;
    DIR *d = opendir(db);
    if (!d)
        return false;
    struct dirent *e;
    bool empty = true;
    while (empty && (e = readdir(d)))
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    return empty;
}

zhs_status_t layout_open(const char *db, layout_t *lay, zhs_index_t **out_ix,
                         zhs_error_t *err)
{
    *out_ix = NULL;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        db_kind_t kind;
        zhs_status_t st = inspect(db, lay, &kind, err);
        if (st != ZHS_OK)
            return st;
        if (kind == DB_ABSENT)   /* removed since layout_absent() said otherwise */
            return zhs_error_set(err, ZHS_ERR_DB_MISSING, "%s disappeared", db);
        st = zhs_index_open(lay->dir, ZHS_INDEX_CREATE_OR_OPEN, out_ix, err);
        if (st != ZHS_OK)
            return st;
        /* A --rebuild may have swapped the link between readlink() and the lock. */
        if (kind == DB_PLAIN || links_to(db, lay->target))
            return ZHS_OK;
        zhs_index_close(*out_ix);
        *out_ix = NULL;
        layout_release(lay);
    }
    return zhs_error_set(err, ZHS_ERR_DB_LOCKED, "%s keeps changing under us: another "
                         "zhsearch-index --rebuild is running",
                         db);
}

zhs_status_t layout_rebuild_begin(const char *db, rebuild_t *rb, zhs_index_t **out_ix,
                                  zhs_error_t *err)
{
    memset(rb, 0, sizeof *rb);
    *out_ix = NULL;
    db_kind_t kind;
    zhs_status_t st = inspect(db, &rb->cur, &kind, err);
    if (st != ZHS_OK)
        return st;
    if (kind == DB_PLAIN)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG,
                             "%s is not an index link made by " PROGRAM " (a plain directory "
                             "or a link elsewhere): --rebuild cannot swap it atomically; "
                             "index into it without --rebuild, or use a new --db path",
                             db);
    char *parent = path_dir(db);
    st = make_dirs(parent, err);
    free(parent);
    if (st != ZHS_OK)
        return st;
    struct stat sb;
    if (kind == DB_LINK && stat(rb->cur.dir, &sb) == 0) {
        /* Holding the current generation's lock keeps incremental runs (and other
         * rebuilds) out until the swap. */
        zhs_wdb_t *lock = NULL;
        st = zhs_wdb_open(rb->cur.dir, ZHS_WDB_CREATE_OR_OPEN, &lock, err);
        if (st != ZHS_OK)
            return st;
        rb->cur_lock = lock;
        if (!links_to(db, rb->cur.target))
            return zhs_error_set(err, ZHS_ERR_DB_LOCKED,
                                 "%s changed under us: another " PROGRAM " --rebuild ran", db);
    }
    remove_generations_but(db, rb->cur.gen);   /* leftovers of killed rebuilds */
    unsigned max = each_generation(db, NULL, NULL);
    rb->gen = (max > rb->cur.gen ? max : rb->cur.gen) + 1;
    rb->target = xprintf("%s.%u", path_base(db), rb->gen);
    char *parent2 = path_dir(db);
    rb->dir = xprintf("%s/%s", parent2, rb->target);
    rb->build = xprintf("%s%s", rb->dir, BUILD_SUFFIX);
    free(parent2);
    st = zhs_index_open(rb->build, ZHS_INDEX_OVERWRITE, out_ix, err);
    /* With a second core, a second thread writes part of the passages into a shard
     * inside the build directory (zhs_index_add_shard) and the compaction merges the
     * two: Xapian's inverter and B-tree writes, three quarters of the work, then run on
     * both cores. An incremental run keeps one writer: it changes the generation in
     * place, which must stay one database. */
    if (st == ZHS_OK && sysconf(_SC_NPROCESSORS_ONLN) > 1) {
        rb->shard = xprintf("%s/shard", rb->build);
        st = zhs_index_add_shard(*out_ix, rb->shard, err);
        if (st != ZHS_OK) {
            zhs_index_close(*out_ix);
            *out_ix = NULL;
        }
    }
    return st;
}

static void release_lock(rebuild_t *rb)
{
    zhs_wdb_close(rb->cur_lock);
    rb->cur_lock = NULL;
}

static void rebuild_release(rebuild_t *rb)
{
    release_lock(rb);
    layout_release(&rb->cur);
    free(rb->dir);
    free(rb->build);
    free(rb->shard);
    free(rb->target);
    rb->dir = rb->build = rb->shard = rb->target = NULL;
}

zhs_status_t layout_rebuild_finish(rebuild_t *rb, zhs_error_t *err)
{
    /* The index was written block by block; its compacted copy is the generation. */
    const char *srcs[2] = {rb->build, rb->shard};
    zhs_status_t st = zhs_db_compact_many(srcs, rb->shard ? 2 : 1, rb->dir, err);
    if (st != ZHS_OK) {
        layout_rebuild_abort(rb);
        return st;
    }
    remove_tree(rb->build);
    const char *db = rb->cur.db;
    char *tmp = xprintf("%s.tmp.%ld", db, (long)getpid());
    unlink(tmp);
    if (symlink(rb->target, tmp) != 0)
        st = zhs_error_set(err, ZHS_ERR_IO, "cannot create the link %s: %s", tmp,
                           strerror(errno));
    else if (rename(tmp, db) != 0) {
        st = zhs_error_set(err, ZHS_ERR_IO, "cannot replace %s: %s", db, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    if (st != ZHS_OK) {
        layout_rebuild_abort(rb);
        return st;
    }
    fsync_path_dir(db);
    release_lock(rb);
    /* Readers with the old generation open keep their open files; new ones follow the
     * link to the new generation. */
    remove_generations_but(db, rb->gen);
    rebuild_release(rb);
    return ZHS_OK;
}

void layout_rebuild_abort(rebuild_t *rb)
{
    if (rb->build)
        remove_tree(rb->build);
    if (rb->dir)
        remove_tree(rb->dir);
    rebuild_release(rb);
}
