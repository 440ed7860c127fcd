/* Private to zhsearch-index: the pieces of the program (database layout, source files,
 * the parse thread, progress and summary) and what they hand each other. */
#ifndef ZHS_INDEXER_H
#define ZHS_INDEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <jansson.h>

#include "zhsearch/document.h"
#include "zhsearch/index.h"
#include "zhsearch/status.h"

#define PROGRAM "zhsearch-index"

/* ---- util.c */

/* Prints "out of memory" and exits with status 2. */
void die_nomem(void) __attribute__((noreturn));
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The directory part of path ("." when there is none); caller frees. */
char *path_dir(const char *path);
/* The last component of path (borrowed from path). */
const char *path_base(const char *path);
/* dir + "/" + name; caller frees. */
char *path_join(const char *dir, const char *name);
int64_t mtime_ns(const struct stat *st);
/* The bytes of the file at path in a new NUL-terminated buffer (caller frees); shown
 * names it in messages. */
zhs_status_t read_all(const char *path, const char *shown, char **out, size_t *nout,
                      zhs_error_t *err);

/* ---- thesaurus.c: the synonyms stored in the index */

/* The thesaurus searched for when --synonyms is not given: in the working directory,
 * else under $(pkgdatadir). */
#define THESAURUS_SHIPPED "thesaurus/zh-policy.txt"

/* Stores the thesaurus of --synonyms (option: a file, "none" for no synonyms, NULL
 * for the shipped one; when none is shipped the index keeps what it has) in ix,
 * printing a line when it changed. A status with a message for the user. */
zhs_status_t thesaurus_apply(zhs_index_t *ix, const char *option, zhs_error_t *err);

/* ---- layout.c: the --db path, a symlink to a generation directory `<db>.<N>` */

typedef struct {
    char *db;          /* the --db path as given */
    char *dir;         /* the directory written: a generation, or db itself when plain */
    char *target;      /* what the symlink points to (relative), NULL when plain */
    bool plain;        /* a directory that is not our symlink layout */
    unsigned gen;      /* generation number of dir (0 when plain) */
} layout_t;

/* Is there no index at db yet (nothing, or an empty directory)? Then the first run
 * builds it as --rebuild does (compacted, linked when complete). */
bool layout_absent(const char *db);

/* Resolves the layout of an existing db for an incremental run and opens the index in
 * it: *out_ix is the writer of the current generation. On failure returns a status
 * with a message for the user. */
zhs_status_t layout_open(const char *db, layout_t *lay, zhs_index_t **out_ix,
                         zhs_error_t *err);

/* For --rebuild: opens a NEW generation next to the current one (refused for a plain
 * directory), holding the current generation's write lock meanwhile so no other writer
 * changes what is being replaced. */
typedef struct {
    layout_t cur;      /* current generation (may not exist yet: gen 0) */
    void *cur_lock;    /* zhs_wdb_t of the current generation, or NULL */
    unsigned gen;      /* the new generation */
    char *dir;         /* its directory */
    char *build;       /* where it is built, before compaction into dir */
    char *shard;       /* `<build>/shard`: the second writer's database, or NULL */
    char *target;      /* its symlink target (relative) */
} rebuild_t;

zhs_status_t layout_rebuild_begin(const char *db, rebuild_t *rb, zhs_index_t **out_ix,
                                  zhs_error_t *err);
/* After the new index is committed and closed: compacts it into the new generation,
 * swaps the symlink atomically, releases the lock and removes older generations. */
zhs_status_t layout_rebuild_finish(rebuild_t *rb, zhs_error_t *err);
/* After a failure: removes the half-built generation, releases the lock. */
void layout_rebuild_abort(rebuild_t *rb);

void layout_release(layout_t *lay);

/* ---- sources.c: finding the files to index and reading them */

typedef struct {
    char *path;        /* absolute, directories canonical: the file: key */
    char *shown;       /* as the user named it, for messages */
    char *id;          /* file name without directory and extension */
    struct stat st;
    char *sidecar;     /* absolute path of `<id>.meta.json` beside it, or NULL */
    struct stat sidecar_st;
    int root;          /* index of the PATH argument it came from */
} source_t;

typedef struct {
    source_t *v;
    size_t n, cap;
} source_list_t;

/* Adds the files under path (a file, or a directory walked recursively for `*.txt`,
 * hidden names skipped) to list, in byte order of their paths.
 * ZHS_ERR_IO with a message when path cannot be read. *root_dir (may be NULL) receives
 * the canonical directory when path is a directory (caller frees), else NULL. */
zhs_status_t sources_add(source_list_t *list, const char *path, int root, char **root_dir,
                         zhs_error_t *err);
void sources_release(source_list_t *list);

/* Reads a source (file and sidecar): bytes into *raw / *sidecar_json (caller frees;
 * sidecar NULL when there is none) and the hash of both. */
zhs_status_t source_read(const source_t *src, char **raw, size_t *nraw, char **sidecar_json,
                         uint64_t *hash, zhs_error_t *err);

/* Parses raw bytes of src and applies the sidecar; *out caller frees with
 * zhs_document_free. */
zhs_status_t source_parse(const source_t *src, const char *raw, size_t nraw,
                          const char *sidecar_json, zhs_document_t **out, zhs_error_t *err);

/* ---- explain.c: --explain's output */

/* Indexes docs, after the documents of the index at db (NULL or absent: none) they may
 * be fragments of, into a scratch index (removed again) and returns its `doc:` records
 * by document id (*out, caller frees): the fragment links and inherited fields a run
 * over the same files into db would record. */
zhs_status_t explain_records(const char *db, zhs_document_t *const *docs, size_t n,
                             json_t **out, zhs_error_t *err);
/* The document as --explain prints it: zhs_document_to_json with fragment_of and the
 * fields inherited from the parent taken from rec (may be NULL), and "inherited"
 * listing them. Caller frees. */
char *explain_document(const zhs_document_t *doc, json_t *rec);

/* ---- pipeline.c: reading, hashing and parsing in a second thread */

typedef enum {
    JOB_FAILED = 0,    /* err says why */
    JOB_SAME,          /* content hash equals the recorded one: only the mtime moved */
    JOB_PARSED,        /* doc holds the new document */
} job_outcome_t;

typedef struct {
    const source_t *src;
    bool known;        /* a file state exists ... */
    uint64_t known_hash; /* ... with this hash */
    /* results */
    job_outcome_t outcome;
    uint64_t hash;
    size_t nbytes;     /* file bytes read */
    zhs_document_t *doc;
    zhs_error_t err;
} job_t;

typedef struct pipeline pipeline_t;

/* Starts processing jobs[0..n) in order in a second thread (at most a few ahead of the
 * consumer). */
zhs_status_t pipeline_start(job_t *jobs, size_t n, pipeline_t **out, zhs_error_t *err);
/* The next finished job, in order, or NULL after the last. */
job_t *pipeline_next(pipeline_t *p);
/* Stops the thread (early or at the end) and frees the pipeline; jobs not yet taken are
 * left with their doc freed. */
void pipeline_stop(pipeline_t *p);
/* Runs one job in the calling thread. */
void job_run(job_t *job);

/* ---- report.c: progress bar and summary */

typedef struct {
    size_t added, updated, unchanged, removed, failed;
    size_t passages;
    uint64_t deleted;    /* deleted passages the index keeps until a rebuild */
    uint64_t bytes;            /* bytes of the files read */
    double start;              /* monotonic seconds */
    /* progress */
    bool tty;
    size_t done_files, total_files;
    uint64_t done_bytes, total_bytes;
    double last_draw;
} report_t;

double report_now(void);
void report_init(report_t *r, bool tty);
void report_progress(report_t *r, bool force);
void report_clear_progress(report_t *r);
/* A message about one file on stderr (clearing the progress bar first). */
void report_file(report_t *r, const char *shown, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void report_summary(report_t *r, bool explain);

#endif
