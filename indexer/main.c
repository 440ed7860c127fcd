/* zhsearch-index: builds or updates the search index from policy documents (see the
 * Indexer section of the API contract). This file owns the command line and the run:
 * which files changed, in what order they are written, when to commit, exit status. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "indexer.h"
#include "zhsearch/analyzer.h"

/* Passages written between two commits of an incremental run: smaller batches show
 * progress to readers sooner and lose less to a crash. */
#define DEFAULT_BATCH 5000
/* ... and of a new index, which nobody reads before it is complete: a commit then only
 * bounds the writer's memory (about 1 KB a passage). Each commit flushes both writers'
 * changes while the second writer waits: on 108.6 MB, 5000 passages 32.6 s, 20000
 * 28.6 s, 50000 28.1 s (96 MB resident), one commit 27.3 s (306 MB). */
#define FRESH_BATCH 50000
/* Passages Xapian buffers before merging them into its tables (within a commit):
 * measured fastest around 500-1000 passages (its default, 10000, takes 25% more CPU
 * and three times the memory). Only set when the user has not. */
#define FLUSH_THRESHOLD "1000"
#define DEFAULT_DB "./data/index"
#define DEFAULT_CORPUS "corpus"
/* Untitled documents (fragment candidates) held back until the titled ones of the run
 * are written, so a fragment finds its parent at once instead of being re-linked. */
#define MAX_DEFERRED 1000

enum { EXIT_OK = 0, EXIT_SOME_FAILED = 1, EXIT_FATAL = 2 };

typedef struct {
    const char *db;
    bool rebuild;
    bool explain;
    size_t batch;
    const char *synonyms;   /* --synonyms: a file, "none", or NULL for the shipped one */
    const char **paths;
    int npaths;
} options_t;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: " PROGRAM " [--db DIR] [--rebuild] [--explain] [--batch N]\n"
            "                      [--synonyms FILE|none] [PATH...]\n"
            "Index policy documents (UTF-8, GB18030/GBK or Big5 text, or pages saved as\n"
            "HTML) for zhsearch-server.\n"
            "\n"
            "PATH is a file (any name) or a directory, searched recursively for *.txt,\n"
            "*.html and *.htm (names starting with '.' are skipped). A sidecar\n"
            "NAME.meta.json next to NAME.txt (or NAME.html) overrides the extracted title,\n"
            "issuer, doc_number, date and url. Without PATH,\n"
            "the shipped corpus is indexed: ./" DEFAULT_CORPUS " if it exists, else\n"
            "%s/" DEFAULT_CORPUS ".\n"
            "\n"
            "  --db DIR     the index (default: $ZHSEARCH_DB, else " DEFAULT_DB "). DIR is a\n"
            "               symlink to a generation directory DIR.N; a missing DIR is built\n"
            "               as by --rebuild. A plain Xapian directory is updated in place.\n"
            "  --rebuild    build a fresh index as DIR.N+1, then switch DIR to it atomically\n"
            "               and delete the old generation (servers keep serving throughout)\n"
            "  --explain    print what would be indexed, as one JSON array with one object\n"
            "               per file (metadata, sections, passages with lines and\n"
            "               departments, fragment links to the files given or to the\n"
            "               index), and leave the index alone\n"
            "  --batch N    commit after every N passages (default %d, and %d when building\n"
            "               a new index)\n"
            "  --synonyms FILE\n"
            "               the thesaurus searches widen rare words with, stored in the\n"
            "               index (Solr synonyms.txt format: `a, b, c` equivalent terms,\n"
            "               `a => b, c` one way); `none` for no synonyms (default: the\n"
            "               shipped ./" THESAURUS_SHIPPED ", else under %s)\n"
            "  --help       show this help and exit\n"
            "\n"
            "Runs are incremental: unchanged files are skipped, changed ones replaced, files\n"
            "gone from an indexed directory removed. A file that cannot be decoded is\n"
            "reported and skipped. A summary line ends every run (on stderr).\n"
            "Exit status: 0 all indexed, 1 some files failed (the rest are indexed),\n"
            "2 usage or fatal error (e.g. the index is locked by another writer).\n",
            ZHS_DATADIR, DEFAULT_BATCH, FRESH_BATCH, ZHS_DATADIR);
}

static void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, PROGRAM ": ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry '" PROGRAM " --help' for more information.\n");
    exit(EXIT_FATAL);
}

static bool is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static void parse_args(int argc, char **argv, options_t *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},   {"rebuild", no_argument, NULL, 'r'},
        {"explain", no_argument, NULL, 'e'},    {"batch", required_argument, NULL, 'b'},
        {"synonyms", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    const char *env = getenv("ZHSEARCH_DB");
    o->db = env && *env ? env : DEFAULT_DB;
    o->batch = 0;    /* the default of the run's kind */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (!*optarg)
                usage_error("--db needs a directory%s", "");
            o->db = optarg;
            break;
        case 'r':
            o->rebuild = true;
            break;
        case 'e':
            o->explain = true;
            break;
        case 'b': {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(optarg, &end, 10);
            if (errno || *end || n == 0 || optarg[0] == '-')
                usage_error("--batch needs a positive number, not '%s'", optarg);
            o->batch = (size_t)n;
            break;
        }
        case 's':
            if (!*optarg)
                usage_error("--synonyms needs a file, or none%s", "");
            o->synonyms = optarg;
            break;
        case 'h':
            usage(stdout);
            exit(EXIT_OK);
        case ':':
            usage_error("%s needs a value", argv[optind - 1]);
            break;
        default:
            usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (o->rebuild && o->explain)
        usage_error("--rebuild and --explain exclude each other%s", "");
    o->paths = (const char **)argv + optind;
    o->npaths = argc - optind;
    if (o->npaths == 0) {
        static const char *shipped[1];
        shipped[0] = is_dir(DEFAULT_CORPUS) ? DEFAULT_CORPUS : ZHS_DATADIR "/" DEFAULT_CORPUS;
        if (!is_dir(shipped[0]))
            usage_error("no PATH given and no shipped corpus (./%s) here", DEFAULT_CORPUS);
        o->paths = shipped;
        o->npaths = 1;
    }
    for (int i = 0; i < o->npaths; i++) {
        struct stat sb;
        if (stat(o->paths[i], &sb) != 0) {
            fprintf(stderr, PROGRAM ": %s: %s\n", o->paths[i], strerror(errno));
            exit(EXIT_FATAL);
        }
    }
}

/* ------------------------------------------------------------ sources */

/* Every PATH's files, each once; *dir_roots: the canonical directories among them. */
static void collect_sources(const options_t *o, source_list_t *list, json_t *dir_roots)
{
    for (int i = 0; i < o->npaths; i++) {
        zhs_error_t err = {0};
        char *root = NULL;
        if (sources_add(list, o->paths[i], i, &root, &err) != ZHS_OK) {
            fprintf(stderr, PROGRAM ": %s\n", err.message);
            exit(EXIT_FATAL);
        }
        if (root)
            json_array_append_new(dir_roots, json_string(root));
        free(root);
    }
    /* The same file named twice (directly and in a directory) is indexed once. */
    json_t *seen = json_object();
    size_t kept = 0;
    for (size_t i = 0; i < list->n; i++) {
        source_t *s = &list->v[i];
        if (json_object_get(seen, s->path)) {
            free(s->path);
            free(s->shown);
            free(s->id);
            free(s->sidecar);
            continue;
        }
        json_object_set_new(seen, s->path, json_true());
        list->v[kept++] = *s;
    }
    list->n = kept;
    json_decref(seen);
}

/* The file's failure, once under its shown name: the library's message names the file
 * by its path first, which is left out. */
static void report_failure(report_t *r, const source_t *src, const zhs_error_t *err)
{
    const char *msg = err->message;
    size_t n = strlen(src->path);
    if (strncmp(msg, src->path, n) == 0 && strncmp(msg + n, ": ", 2) == 0)
        msg += n + 2;
    report_file(r, src->shown, "%s; skipped", msg);
    r->failed++;
}

/* A document read in spite of a few bytes its encoding does not accept: said, not
 * failed (its text is there, each damaged run a U+FFFD). */
static void report_damage(report_t *r, const char *shown, const zhs_document_t *doc)
{
    if (doc->damage.nbytes)
        report_file(r, shown, "%zu %s not %s (the first at byte offset %zu): read as U+FFFD",
                    doc->damage.nbytes, doc->damage.nbytes == 1 ? "byte is" : "bytes are",
                    zhs_encoding_name(doc->encoding), doc->damage.first);
}

/* ------------------------------------------------------------ --explain */

static int run_explain(const options_t *o)
{
    zhs_error_t err = {0};
    if (zhs_analyzer_init(&err) != ZHS_OK) {
        fprintf(stderr, PROGRAM ": %s\n", err.message);
        return EXIT_FATAL;
    }
    source_list_t list = {0};
    json_t *roots = json_array();
    collect_sources(o, &list, roots);
    json_decref(roots);
    report_t r;
    report_init(&r, false);
    zhs_document_t **docs = calloc(list.n ? list.n : 1, sizeof *docs);
    if (!docs)
        die_nomem();
    size_t ndocs = 0;
    for (size_t i = 0; i < list.n; i++) {
        job_t job = {.src = &list.v[i]};
        job_run(&job);
        if (job.outcome != JOB_PARSED) {
            report_failure(&r, &list.v[i], &job.err);
            continue;
        }
        report_damage(&r, list.v[i].shown, job.doc);
        docs[ndocs++] = job.doc;
        r.added++;
        r.passages += job.doc->npassages;
        r.bytes += job.nbytes;
    }
    json_t *records = NULL;
    if (explain_records(o->db, docs, ndocs, &records, &err) != ZHS_OK) {
        fprintf(stderr, PROGRAM ": --explain: %s\n", err.message);
        return EXIT_FATAL;
    }
    fputs("[", stdout);
    for (size_t i = 0; i < ndocs; i++) {
        char *json = explain_document(docs[i], json_object_get(records, docs[i]->id));
        printf("%s\n%s", i ? "," : "", json);
        free(json);
        zhs_document_free(docs[i]);
    }
    puts("\n]");
    fflush(stdout);
    json_decref(records);
    free(docs);
    sources_release(&list);
    report_summary(&r, true);
    return r.failed ? EXIT_SOME_FAILED : EXIT_OK;
}

/* ------------------------------------------------------------ indexing */

typedef struct {
    const options_t *o;
    zhs_index_t *ix;
    report_t r;
    json_t *states;     /* path -> {"id", "size", "mtime", "hash", "sidecar_size", ...} */
    json_t *owners;     /* document id -> path */
    size_t since_commit;
    size_t batch;          /* passages between two commits */
    job_t *deferred;    /* parsed untitled documents, written last */
    size_t ndeferred;
} run_t;

static int load_state(void *ctx, const zhs_file_state_t *st)
{
    run_t *run = ctx;
    json_t *j = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "id", st->id, "size",
                          (json_int_t)st->size, "mtime", (json_int_t)st->mtime_ns, "hash",
                          (json_int_t)st->hash, "sidecar_size", (json_int_t)st->sidecar_size,
                          "sidecar_mtime", (json_int_t)st->sidecar_mtime_ns);
    if (!j)
        die_nomem();
    json_object_set_new(run->states, st->path, j);
    json_object_set_new(run->owners, st->id, json_string(st->path));
    return 0;
}

static json_int_t state_int(json_t *state, const char *key)
{
    return json_integer_value(json_object_get(state, key));
}

/* Is src exactly as recorded (size, mtime, sidecar)? Then it is not even read. */
static bool unchanged(json_t *state, const source_t *src)
{
    if (!state || state_int(state, "size") != (json_int_t)src->st.st_size ||
        state_int(state, "mtime") != mtime_ns(&src->st))
        return false;
    if (!src->sidecar)
        return state_int(state, "sidecar_size") < 0;
    return state_int(state, "sidecar_size") == (json_int_t)src->sidecar_st.st_size &&
           state_int(state, "sidecar_mtime") == mtime_ns(&src->sidecar_st);
}

static void fatal(run_t *run, const char *what, const zhs_error_t *err)
{
    report_clear_progress(&run->r);
    fprintf(stderr, PROGRAM ": %s: %s (%s)\n", what, err->message, zhs_status_str(err->status));
}

static zhs_status_t record_state(run_t *run, const source_t *src, uint64_t hash,
                                 zhs_error_t *err)
{
    zhs_file_state_t fs = {
        .path = src->path,
        .id = src->id,
        .size = (uint64_t)src->st.st_size,
        .mtime_ns = mtime_ns(&src->st),
        .hash = hash,
        .sidecar_size = src->sidecar ? (int64_t)src->sidecar_st.st_size : -1,
        .sidecar_mtime_ns = src->sidecar ? mtime_ns(&src->sidecar_st) : 0,
    };
    zhs_status_t st = zhs_index_set_file(run->ix, &fs, err);
    if (st == ZHS_OK)
        json_object_set_new(run->owners, src->id, json_string(src->path));
    return st;
}

/* Files gone from an indexed directory: their documents go too. */
static zhs_status_t remove_vanished(run_t *run, json_t *dir_roots, json_t *seen,
                                    zhs_error_t *err)
{
    const char *path;
    json_t *state;
    void *tmp;
    json_object_foreach_safe(run->states, tmp, path, state) {
        if (json_object_get(seen, path))
            continue;
        bool under = false;
        size_t i;
        json_t *root;
        json_array_foreach(dir_roots, i, root) {
            const char *r = json_string_value(root);
            size_t n = strlen(r);
            under |= !strncmp(path, r, n) && (path[n] == '/' || (n == 1 && r[0] == '/'));
        }
        if (!under)
            continue;
        const char *id = json_string_value(json_object_get(state, "id"));
        const char *owner = json_string_value(json_object_get(run->owners, id));
        zhs_index_put_info_t info;
        zhs_status_t st = ZHS_OK;
        if (owner && !strcmp(owner, path)) {
            st = zhs_index_remove(run->ix, id, &info, err);
            if (st == ZHS_OK) {
                run->r.passages += info.nrelinked_passages;
                json_object_del(run->owners, id);
            }
        }
        if (st == ZHS_OK)
            st = zhs_index_remove_file(run->ix, path, err);
        if (st != ZHS_OK)
            return st;
        run->r.removed++;
        json_object_del(run->states, path);
    }
    return ZHS_OK;
}

/* A parsed document: takes its id over from a vanished file if need be, puts it. */
static zhs_status_t write_document(run_t *run, job_t *job, zhs_error_t *err)
{
    const source_t *src = job->src;
    const char *owner = json_string_value(json_object_get(run->owners, src->id));
    if (owner && strcmp(owner, src->path)) {
        struct stat sb;
        if (stat(owner, &sb) == 0) {
            zhs_error_t dup = {0};
            zhs_error_set(&dup, ZHS_ERR_BAD_ARG, "document id %s is already indexed from %s",
                          src->id, owner);
            report_failure(&run->r, src, &dup);
            return ZHS_OK;
        }
        zhs_status_t st = zhs_index_remove_file(run->ix, owner, err);
        if (st != ZHS_OK)
            return st;
    }
    zhs_index_put_info_t info;
    zhs_error_t perr = {0};
    zhs_status_t st = zhs_index_put(run->ix, job->doc, &info, &perr);
    if (st == ZHS_ERR_BAD_ARG) {   /* refused, nothing changed: this file fails */
        report_failure(&run->r, src, &perr);
        return ZHS_OK;
    }
    if (st != ZHS_OK) {
        *err = perr;
        return st;
    }
    report_damage(&run->r, src->shown, job->doc);
    st = record_state(run, src, job->hash, err);
    if (st != ZHS_OK)
        return st;
    if (job->known)
        run->r.updated++;
    else
        run->r.added++;
    size_t written = info.npassages + info.nrelinked_passages;
    run->r.passages += written;
    run->since_commit += written;
    return ZHS_OK;
}

static zhs_status_t handle(run_t *run, job_t *job, zhs_error_t *err)
{
    zhs_status_t st = ZHS_OK;
    switch (job->outcome) {
    case JOB_FAILED:
        report_failure(&run->r, job->src, &job->err);
        break;
    case JOB_SAME:   /* touched, not changed: remember the new mtime */
        st = record_state(run, job->src, job->hash, err);
        run->r.unchanged++;
        break;
    case JOB_PARSED:
        st = write_document(run, job, err);
        break;
    }
    run->r.bytes += job->nbytes;
    run->r.done_files++;
    run->r.done_bytes += (uint64_t)job->src->st.st_size;
    report_progress(&run->r, false);
    if (st == ZHS_OK && run->since_commit >= run->batch) {
        st = zhs_index_commit(run->ix, err);
        run->since_commit = 0;
    }
    return st;
}

/* Plans (which files to read) and writes; returns a status for a fatal error. */
static zhs_status_t index_sources(run_t *run, source_list_t *list, json_t *dir_roots,
                                  zhs_error_t *err)
{
    json_t *seen = json_object();
    job_t *jobs = calloc(list->n ? list->n : 1, sizeof *jobs);
    if (!seen || !jobs)
        die_nomem();
    size_t njobs = 0;
    for (size_t i = 0; i < list->n; i++) {
        source_t *src = &list->v[i];
        json_object_set_new(seen, src->path, json_true());
        json_t *state = json_object_get(run->states, src->path);
        if (unchanged(state, src)) {
            run->r.unchanged++;
            continue;
        }
        job_t *job = &jobs[njobs++];
        job->src = src;
        job->known = state != NULL;
        job->known_hash = (uint64_t)state_int(state, "hash");
        run->r.total_bytes += (uint64_t)src->st.st_size;
    }
    run->r.total_files = njobs;
    zhs_status_t st = remove_vanished(run, dir_roots, seen, err);
    json_decref(seen);
    pipeline_t *p = NULL;
    if (st == ZHS_OK && njobs)
        st = pipeline_start(jobs, njobs, &p, err);
    job_t *job;
    run->deferred = calloc(MAX_DEFERRED, sizeof *run->deferred);
    if (!run->deferred)
        die_nomem();
    while (st == ZHS_OK && p && (job = pipeline_next(p))) {
        if (job->outcome == JOB_PARSED && !job->doc->title && run->ndeferred < MAX_DEFERRED) {
            run->deferred[run->ndeferred++] = *job;
            job->doc = NULL;
            continue;
        }
        st = handle(run, job, err);
        zhs_document_free(job->doc);
        job->doc = NULL;
    }
    pipeline_stop(p);
    for (size_t i = 0; i < run->ndeferred; i++) {
        if (st == ZHS_OK)
            st = handle(run, &run->deferred[i], err);
        zhs_document_free(run->deferred[i].doc);
    }
    free(run->deferred);
    free(jobs);
    if (st == ZHS_OK)
        st = zhs_index_commit(run->ix, err);
    if (st == ZHS_OK)
        st = zhs_index_deleted(run->ix, &run->r.deleted, err);
    return st;
}

static int run_index(const options_t *o)
{
    run_t run = {.o = o};
    report_init(&run.r, isatty(STDERR_FILENO));
    zhs_error_t err = {0};
    layout_t lay = {0};
    rebuild_t rb = {0};
    /* A new index is built as by --rebuild: compacted, and linked once complete. */
    bool fresh = o->rebuild || layout_absent(o->db);
    run.batch = o->batch ? o->batch : fresh ? FRESH_BATCH : DEFAULT_BATCH;
    zhs_status_t st = fresh ? layout_rebuild_begin(o->db, &rb, &run.ix, &err)
                            : layout_open(o->db, &lay, &run.ix, &err);
    if (st != ZHS_OK) {
        if (st == ZHS_ERR_DB_LOCKED)
            fprintf(stderr, PROGRAM ": the index %s is locked by another writer (is another "
                    PROGRAM " running?): %s\n", o->db, err.message);
        else
            fprintf(stderr, PROGRAM ": cannot open the index %s: %s\n", o->db, err.message);
        if (fresh)
            layout_rebuild_abort(&rb);
        layout_release(&lay);
        return EXIT_FATAL;
    }
    run.states = json_object();
    run.owners = json_object();
    json_t *dir_roots = json_array();
    if (!run.states || !run.owners || !dir_roots)
        die_nomem();
    st = thesaurus_apply(run.ix, o->synonyms, &err);
    if (st == ZHS_OK)
        st = zhs_index_files(run.ix, load_state, &run, &err);
    source_list_t list = {0};
    collect_sources(o, &list, dir_roots);
    if (st == ZHS_OK)
        st = index_sources(&run, &list, dir_roots, &err);
    if (st != ZHS_OK)
        fatal(&run, "indexing stopped, the index keeps its last commit", &err);
    zhs_index_close(run.ix);
    if (fresh && st != ZHS_OK)
        layout_rebuild_abort(&rb);
    else if (fresh && (st = layout_rebuild_finish(&rb, &err)) != ZHS_OK)
        fatal(&run, "the new index was built but not switched to", &err);
    layout_release(&lay);
    sources_release(&list);
    json_decref(dir_roots);
    json_decref(run.states);
    json_decref(run.owners);
    report_summary(&run.r, false);
    if (st != ZHS_OK)
        return EXIT_FATAL;
    return run.r.failed ? EXIT_SOME_FAILED : EXIT_OK;
}

int main(int argc, char **argv)
{
    options_t o;
    parse_args(argc, argv, &o);
    setenv("XAPIAN_FLUSH_THRESHOLD", FLUSH_THRESHOLD, 0);
    return o.explain ? run_explain(&o) : run_index(&o);
}
