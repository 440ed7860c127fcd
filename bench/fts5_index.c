/* fts5_index: the peer of `zhsearch-index --rebuild`. Loads the passages of a
 * gen_corpus manifest (one row per passage, as zhsearch indexes them) into a fresh
 * SQLite FTS5 table with the trigram tokenizer, in one transaction, merges it
 * ('optimize') and prints what that took. The year, section, issuers and departments
 * ride along as UNINDEXED columns so that fts5_query can filter and count facets.
 *
 *   fts5_index --db FILE MANIFEST
 *
 * Prints one line: `fts5_index: passages=N text_bytes=B seconds=S db_bytes=D`. */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench_util.h"

static int fail(sqlite3 *db, const char *what)
{
    fprintf(stderr, "fts5_index: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return 2;
}

/* "市科技局:lead|市财政局:partner" -> "市科技局|市财政局" in place. */
static char *department_names(char *s)
{
    char *w = s;
    for (char *r = s; *r;) {
        if (*r == ':') {
            while (*r && *r != '|')
                r++;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return s;
}

int main(int argc, char **argv)
{
    if (argc != 4 || strcmp(argv[1], "--db") != 0) {
        fprintf(stderr, "usage: fts5_index --db FILE MANIFEST\n");
        return 2;
    }
    const char *path = argv[2];
    FILE *manifest = fopen(argv[3], "r");
    if (!manifest) {
        perror(argv[3]);
        return 2;
    }
    unlink(path);
    double t0 = bench_now();
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return fail(db, "open");
    /* A bulk load into a new file: no journal, no fsync, a large cache; the same
     * shortcuts a rebuild into a fresh directory may take. */
    if (sqlite3_exec(db,
                     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;"
                     "CREATE VIRTUAL TABLE p USING fts5(text, doc UNINDEXED, line UNINDEXED,"
                     " year UNINDEXED, issuer UNINDEXED, section UNINDEXED, depts UNINDEXED,"
                     " tokenize='trigram');"
                     "BEGIN;",
                     NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "create");
    sqlite3_stmt *insert;
    if (sqlite3_prepare_v2(db, "INSERT INTO p VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &insert,
                           NULL) != SQLITE_OK)
        return fail(db, "prepare");
    char *line = NULL;
    size_t cap = 0, passages = 0, text_bytes = 0;
    bench_row_t row;
    while (bench_manifest_next(manifest, &line, &cap, &row)) {
        if (strcmp(row.field[0], "P") != 0 || row.nfields != BENCH_MANIFEST_FIELDS)
            continue;
        sqlite3_bind_text(insert, 1, row.field[8], -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 2, row.field[1], -1, SQLITE_STATIC);
        sqlite3_bind_int(insert, 3, atoi(row.field[2]));
        sqlite3_bind_int(insert, 4, atoi(row.field[3]));
        sqlite3_bind_text(insert, 5, row.field[4], -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 6, row.field[5], -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 7, department_names(row.field[7]), -1, SQLITE_STATIC);
        if (sqlite3_step(insert) != SQLITE_DONE)
            return fail(db, "insert");
        sqlite3_reset(insert);
        passages++;
        text_bytes += strlen(row.field[8]);
    }
    free(line);
    fclose(manifest);
    sqlite3_finalize(insert);
    if (sqlite3_exec(db, "COMMIT; INSERT INTO p(p) VALUES('optimize');", NULL, NULL, NULL) !=
        SQLITE_OK)
        return fail(db, "commit");
    if (sqlite3_close(db) != SQLITE_OK)
        return fail(db, "close");
    double secs = bench_now() - t0;
    struct stat st;
    long long db_bytes = stat(path, &st) == 0 ? (long long)st.st_size : -1;
    printf("fts5_index: passages=%zu text_bytes=%zu seconds=%.2f db_bytes=%lld\n", passages,
           text_bytes, secs, db_bytes);
    return 0;
}
