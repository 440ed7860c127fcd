/* The benchmark corpus generator: troff to text, sentence splitting and filtering,
 * enumerators, what the seed corpus contributes, and bench/gen_corpus itself (same seed,
 * byte-identical corpus; the manifest describes the files it wrote, and the document
 * parser reads in them what the manifest says). */
#include "config.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "../bench/bench_util.h"
#include "../bench/gen.h"
#include "cunit_run.h"
#include "zhsearch/document.h"

#define GEN_CORPUS ZHS_TEST_BUILDDIR "/bench/gen_corpus"
#define SEEDS ZHS_TEST_SRCDIR "/corpus"
#define PROSE ZHS_TEST_SRCDIR "/tests/data/gen_prose"

/* ---------------------------------------------------------------- helpers */

typedef struct {
    char items[16][256];
    int n;
} collected_t;

static void collect_cb(void *ctx, const char *text, size_t nbytes)
{
    collected_t *c = ctx;
    if (c->n < 16)
        snprintf(c->items[c->n], sizeof c->items[0], "%.*s", (int)nbytes, text);
    c->n++;
}

/* Runs split over input and asserts it yields exactly expected[0..n). */
static void assert_collected(void (*split)(const char *, size_t, gen_text_cb, void *),
                             const char *input, size_t nbytes, const char *const *expected, int n)
{
    collected_t c = {0};
    split(input, nbytes, collect_cb, &c);
    CU_ASSERT_EQUAL_FATAL(c.n, n);
    for (int i = 0; i < n; i++)
        ZHS_ASSERT_STR(c.items[i], expected[i]);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Appends every file under dir, in byte order of names, as "path\n<content>" to out;
 * returns the number of files. */
static int read_tree(const char *dir, const char *rel, gen_buf_t *out)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, by_name), files = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (name[0] != '.') {
            char path[4096], sub[4096];
            snprintf(path, sizeof path, "%s/%s", dir, name);
            snprintf(sub, sizeof sub, "%s/%s", rel, name);
            FILE *f = fopen(path, "rb");
            if (names[i]->d_type == DT_DIR || !f) {
                files += read_tree(path, sub, out);
            } else {
                char chunk[65536];
                size_t got;
                gen_buf_addf(out, "%s\n", sub);
                while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
                    gen_buf_add(out, chunk, got);
                files++;
            }
            if (f)
                fclose(f);
        }
        free(names[i]);
    }
    free(names);
    return files;
}

static char workdir[4096];

static int make_workdir(void)
{
    snprintf(workdir, sizeof workdir, "%s/tests/gen-corpus-XXXXXX", ZHS_TEST_BUILDDIR);
    return mkdtemp(workdir) ? 0 : -1;
}

static int remove_workdir(void)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", workdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Runs gen_corpus --docs 20 into workdir/name and workdir/name.tsv; returns its status. */
static int generate(const char *name, int seed)
{
    gen_buf_t cmd = {0};
    gen_buf_addf(&cmd, "'%s' --quiet --docs 20 --seed %d --out '%s/%s' --manifest '%s/%s.tsv' "
                 "--corpus '%s' --prose '%s'", GEN_CORPUS, seed, workdir, name, workdir, name,
                 SEEDS, PROSE);
    int rc = system(cmd.data);
    gen_buf_release(&cmd);
    return rc;
}

static void read_generated(const char *name, gen_buf_t *tree, gen_buf_t *manifest, int *files)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", workdir, name);
    *files = read_tree(path, "", tree);
    snprintf(path, sizeof path, "%s/%s.tsv", workdir, name);
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t got;
    while (f && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        gen_buf_add(manifest, chunk, got);
    if (f)
        fclose(f);
}

/* ---------------------------------------------------------------- text */

static void troff_keeps_prose_and_drops_macros_tags_and_escapes(void)
{
    static const char src[] =
        ".\\\" a comment\n"
        ".TH X 1\n"
        ".SH 描述\n"
        ".PP\n"
        "本程序读取指定的文件，\n"
        "并把其中的内容整理成段落。\n"
        ".TP\n"
        "\\fB\\-q\\fP, \\fB\\-\\-quiet\\fP\n"
        "安静模式下只输出错误。\n"
        ".SH 示例\n"
        ".nf\n"
        "zhdemo \\-q a.txt\n"
        "b.txt\n"
        ".fi\n"
        "在\n"
        ".B zhdemo\n"
        "运行期间\\(em服务不受影响。\n";
    static const char *const expected[] = {
        "本程序读取指定的文件，并把其中的内容整理成段落。", "安静模式下只输出错误。",
        "zhdemo -q a.txt", "b.txt", "在zhdemo运行期间—服务不受影响。",
    };
    assert_collected(gen_troff_paragraphs, src, sizeof src - 1, expected, 5);
}

static void sentences_split_after_terminators_and_keep_mostly_chinese_ones(void)
{
    static const char para[] = "第一句话在这里结束了。  Second? 第二句  话也在这里结束！短句。"
                               "，前面有逗号的第三句话在这里。ASCII only text here.";
    static const char *const expected[] = {
        "第一句话在这里结束了。", "第二句 话也在这里结束！", "前面有逗号的第三句话在这里。",
    };
    assert_collected(gen_text_sentences, para, sizeof para - 1, expected, 3);
}

static void sentences_with_invalid_utf8_are_skipped(void)
{
    static const char para[] = "这一句话里面有\xff坏掉的字节。下一句话是完整的句子。";
    static const char *const expected[] = {"下一句话是完整的句子。"};
    assert_collected(gen_text_sentences, para, sizeof para - 1, expected, 1);
}

static void enumerators_are_recognised_with_their_kind(void)
{
    static const struct {
        const char *line;
        size_t nbytes;
        int kind;
    } cases[] = {
        {"一、指导思想", 6, GEN_ENUM_SECTION},
        {"十二、附则", 9, GEN_ENUM_SECTION},
        {"(一)创新驱动", 5, GEN_ENUM_SUBSECTION},
        {"（十二）保障", 12, GEN_ENUM_SUBSECTION},
        {"28.支持企业", 3, GEN_ENUM_ITEM},
        {"3、加强", 4, GEN_ENUM_ITEM},
        {"(1)发展目标", 3, GEN_ENUM_SUBITEM},
        {"2016年", 0, GEN_ENUM_NONE},
        {"3.5亿元", 0, GEN_ENUM_NONE},
        {"十分重要", 0, GEN_ENUM_NONE},
        {"(本部分工作)", 0, GEN_ENUM_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int kind = -1;
        size_t n = gen_text_enumerator(cases[i].line, strlen(cases[i].line), &kind);
        CU_ASSERT_EQUAL(n, cases[i].nbytes);
        CU_ASSERT_EQUAL(kind, cases[i].kind);
    }
}

static void seed_documents_give_headings_and_sentences_without_departments(void)
{
    static const char doc[] =
        "七、加强知识产权创造、运用和保护,提升核心竞争能力\n"
        "28.支持企业组建技术联盟。引导和鼓励企业组建多种形式的技术联盟。"
        "(本部分工作由市科技局牵头,市经贸委等部门参与)\n"
        "点击数:3587 发布时间:2009/11/17 15:05:57 发布者:admin 以及很多别的中文字\n"
        "  (一)创新驱动发展引领区。加快体制机制改革创新,建成开放的创新创业生态。\n";
    gen_text_t text = {0};
    gen_text_add_policy(&text, doc, sizeof doc - 1);
    CU_ASSERT_EQUAL_FATAL(text.headings.n, 2);
    ZHS_ASSERT_STR(gen_pool_get(&text.headings, 0), "加强知识产权创造、运用和保护,提升核心竞争能力");
    ZHS_ASSERT_STR(gen_pool_get(&text.headings, 1), "创新驱动发展引领区");
    CU_ASSERT_EQUAL_FATAL(text.policy.n, 3);
    ZHS_ASSERT_STR(gen_pool_get(&text.policy, 0), "支持企业组建技术联盟。");
    ZHS_ASSERT_STR(gen_pool_get(&text.policy, 1), "引导和鼓励企业组建多种形式的技术联盟。");
    ZHS_ASSERT_STR(gen_pool_get(&text.policy, 2), "加快体制机制改革创新,建成开放的创新创业生态。");
    gen_text_release(&text);
}

static void pools_keep_each_string_once(void)
{
    gen_pool_t pool = {0};
    gen_pool_add(&pool, "甲乙", 6);
    gen_pool_add(&pool, "丙丁", 6);
    gen_pool_add(&pool, "甲乙", 6);
    CU_ASSERT_EQUAL(pool.n, 2);
    ZHS_ASSERT_STR(gen_pool_get(&pool, 1), "丙丁");
    gen_pool_release(&pool);
    gen_pool_release(NULL);
}

static void chinese_numerals_up_to_ninety_nine(void)
{
    char out[16];
    static const struct {
        int n;
        const char *s;
    } cases[] = {{1, "一"}, {10, "十"}, {12, "十二"}, {20, "二十"}, {36, "三十六"}, {100, "100"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gen_words_numeral(cases[i].n, out, sizeof out);
        ZHS_ASSERT_STR(out, cases[i].s);
    }
}

/* ---------------------------------------------------------------- the program */

static int program_init(void)
{
    if (make_workdir() != 0 || generate("a", 1) != 0 || generate("b", 1) != 0 ||
        generate("c", 2) != 0)
        return 1;
    return 0;
}

static int program_clean(void)
{
    return remove_workdir();
}

static void same_seed_writes_a_byte_identical_corpus(void)
{
    gen_buf_t ta = {0}, ma = {0}, tb = {0}, mb = {0};
    int fa, fb;
    read_generated("a", &ta, &ma, &fa);
    read_generated("b", &tb, &mb, &fb);
    CU_ASSERT_EQUAL(fa, 20);
    CU_ASSERT_EQUAL(fb, 20);
    CU_ASSERT_TRUE(ta.len > 20 * 1000);
    CU_ASSERT_TRUE(ta.len == tb.len && memcmp(ta.data, tb.data, ta.len) == 0);
    CU_ASSERT_TRUE(ma.len > 0 && ma.len == mb.len && memcmp(ma.data, mb.data, ma.len) == 0);
    gen_buf_release(&ta);
    gen_buf_release(&ma);
    gen_buf_release(&tb);
    gen_buf_release(&mb);
}

static void another_seed_writes_another_corpus(void)
{
    gen_buf_t ta = {0}, ma = {0}, tc = {0}, mc = {0};
    int fa, fc;
    read_generated("a", &ta, &ma, &fa);
    read_generated("c", &tc, &mc, &fc);
    CU_ASSERT_EQUAL(fc, 20);
    CU_ASSERT_FALSE(ta.len == tc.len && memcmp(ta.data, tc.data, ta.len) == 0);
    gen_buf_release(&ta);
    gen_buf_release(&ma);
    gen_buf_release(&tc);
    gen_buf_release(&mc);
}

/* Line `line` (1-based) of file, blanks trimmed like the manifest trims them. */
static int file_line(const char *path, unsigned line, char *out, size_t outlen)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len = -1;
    for (unsigned i = 0; i < line && (len = getline(&buf, &cap, f)) >= 0; i++)
        ;
    fclose(f);
    if (len < 0) {
        free(buf);
        return -1;
    }
    char *s = buf, *e = buf + len;
    while (e > s && (e[-1] == '\n' || e[-1] == ' '))
        e--;
    for (;;) {
        if (*s == ' ')
            s++;
        else if (strncmp(s, "\u00a0", 2) == 0)
            s += 2;
        else if (strncmp(s, "\u3000", 3) == 0)
            s += 3;
        else
            break;
    }
    snprintf(out, outlen, "%.*s", (int)(e - s), s);
    free(buf);
    return 0;
}

static FILE *open_manifest(const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.tsv", workdir, name);
    return fopen(path, "r");
}

static void manifest_passages_are_the_lines_of_the_files(void)
{
    FILE *f = open_manifest("a");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char *line = NULL, file[256] = "", path[4400];
    size_t cap = 0;
    int docs = 0, passages = 0, mismatches = 0, with_departments = 0, numbers = 0;
    bench_row_t row;
    while (bench_manifest_next(f, &line, &cap, &row)) {
        CU_ASSERT_EQUAL(row.nfields, BENCH_MANIFEST_FIELDS);
        if (strcmp(row.field[0], "D") == 0) {
            docs++;
            snprintf(file, sizeof file, "%s", row.field[2]);
        } else {
            ZHS_ASSERT_STR(row.field[0], "P");
            passages++;
            with_departments += row.field[7][0] != '\0';
            char expected[65536];
            snprintf(path, sizeof path, "%s/a/0000/%s", workdir, file);
            if (file_line(path, (unsigned)atoi(row.field[2]), expected, sizeof expected) != 0) {
                mismatches++;
                continue;
            }
            /* A `文 号:` label line's passage is its number alone. */
            bool number = strncmp(expected, "文 ", strlen("文 ")) == 0 && row.field[8][0] &&
                          !strchr(row.field[8], ' ') && strstr(expected, row.field[8]);
            numbers += number;
            if (!number && strcmp(expected, row.field[8]) != 0)
                mismatches++;
        }
    }
    free(line);
    fclose(f);
    CU_ASSERT_EQUAL(docs, 20);
    CU_ASSERT_TRUE(passages > 20 * 5);
    CU_ASSERT_TRUE(with_departments > 0);
    CU_ASSERT_TRUE(numbers > 0);
    CU_ASSERT_EQUAL(mismatches, 0);
}

/* "name:role|name:role" of a parsed passage, as the manifest writes it. */
static void departments_string(const zhs_passage_t *p, gen_buf_t *out)
{
    out->len = 0;
    gen_buf_adds(out, "");
    for (size_t i = 0; i < p->ndepartments; i++)
        gen_buf_addf(out, "%s%s:%s", i ? "|" : "", p->departments[i].name,
                     zhs_role_name(p->departments[i].role));
}

static const char *section_name(const zhs_document_t *doc, int i)
{
    return i >= 0 ? doc->sections[i].name : "";
}

/* Compares one passage row of the manifest with the parsed document; returns the
 * number of fields that differ (0 when they all agree). */
static int passage_differs(const zhs_document_t *doc, const bench_row_t *row)
{
    unsigned line = (unsigned)atoi(row->field[2]);
    for (size_t i = 0; i < doc->npassages; i++) {
        const zhs_passage_t *p = &doc->passages[i];
        if (line < p->line_start || line > p->line_end)
            continue;
        gen_buf_t depts = {0};
        departments_string(p, &depts);
        int differs = strcmp(depts.data, row->field[7]) != 0;
        differs += strcmp(section_name(doc, p->section), row->field[5]) != 0;
        differs += strcmp(section_name(doc, p->subsection), row->field[6]) != 0;
        differs += strcmp(p->text, row->field[8]) != 0;
        gen_buf_release(&depts);
        return differs;
    }
    return 1;
}

/* The document parser (what `zhsearch-index --explain` prints) reads in every generated
 * document the title, date, issuers, document number, passages, sections and
 * departments the generator meant. */
static void document_parser_reads_what_the_generator_wrote(void)
{
    FILE *f = open_manifest("a");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char *line = NULL, path[4400];
    size_t cap = 0, passages = 0;
    int docs = 0, differ = 0;
    zhs_document_t *doc = NULL;
    bench_row_t row;
    while (bench_manifest_next(f, &line, &cap, &row)) {
        if (row.field[0][0] == 'P') {
            passages++;
            differ += !doc || passage_differs(doc, &row) != 0;
            continue;
        }
        if (doc)
            CU_ASSERT_EQUAL(doc->npassages, passages);
        zhs_document_free(doc);
        doc = NULL;
        passages = 0;
        snprintf(path, sizeof path, "%s/a/0000/%s", workdir, row.field[2]);
        zhs_error_t err = {0};
        CU_ASSERT_EQUAL_FATAL(zhs_document_load(path, &doc, &err), ZHS_OK);
        docs++;
        if (strcmp(row.field[8], "simplified") == 0)
            ZHS_ASSERT_STR(doc->title, row.field[7]);
        ZHS_ASSERT_STR(doc->date ? doc->date : "", row.field[4]);
        CU_ASSERT_EQUAL(doc->year, atoi(row.field[3]));
        ZHS_ASSERT_STR(doc->doc_number ? doc->doc_number : "", row.field[6]);
        gen_buf_t issuers = {0};
        gen_buf_adds(&issuers, "");
        for (size_t i = 0; i < doc->nissuers; i++)
            gen_buf_addf(&issuers, "%s%s", i ? "|" : "", doc->issuers[i]);
        ZHS_ASSERT_STR(issuers.data, row.field[5]);
        gen_buf_release(&issuers);
    }
    if (doc)
        CU_ASSERT_EQUAL(doc->npassages, passages);
    zhs_document_free(doc);
    free(line);
    fclose(f);
    CU_ASSERT_EQUAL(docs, 20);
    CU_ASSERT_EQUAL(differ, 0);
}

/* `zhsearch-index --explain` over the generated directory finds, for every document,
 * the title, date and the departments of every passage that the manifest gives. */
static void indexer_explain_finds_title_date_and_departments(void)
{
    gen_buf_t cmd = {0};
    gen_buf_addf(&cmd, "'%s/indexer/zhsearch-index' --explain '%s/a'", ZHS_TEST_BUILDDIR, workdir);
    FILE *out = popen(cmd.data, "r");
    gen_buf_release(&cmd);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    json_error_t jerr;
    json_t *docs = json_loadf(out, 0, &jerr);
    CU_ASSERT_EQUAL(pclose(out), 0);
    CU_ASSERT_TRUE_FATAL(json_is_array(docs));
    CU_ASSERT_EQUAL(json_array_size(docs), 20);

    FILE *f = open_manifest("a");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char *line = NULL;
    size_t cap = 0;
    int found = 0, departments = 0, differ = 0;
    json_t *doc = NULL;
    gen_buf_t depts = {0};
    bench_row_t row;
    while (bench_manifest_next(f, &line, &cap, &row)) {
        if (row.field[0][0] == 'D') {
            doc = NULL;
            for (size_t i = 0; i < json_array_size(docs); i++) {
                json_t *d = json_array_get(docs, i);
                if (strcmp(json_string_value(json_object_get(d, "file")), row.field[2]) == 0)
                    doc = d;
            }
            CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
            found++;
            if (strcmp(row.field[8], "simplified") == 0)
                ZHS_ASSERT_STR(json_string_value(json_object_get(doc, "title")), row.field[7]);
            json_t *date = json_object_get(doc, "date");
            ZHS_ASSERT_STR(json_is_string(date) ? json_string_value(date) : "", row.field[4]);
            continue;
        }
        json_t *passages = json_object_get(doc, "passages"), *match = NULL;
        for (size_t i = 0; i < json_array_size(passages); i++) {
            json_t *p = json_array_get(passages, i);
            if (json_integer_value(json_object_get(p, "line_start")) == atoi(row.field[2]))
                match = p;
        }
        depts.len = 0;
        gen_buf_adds(&depts, "");
        json_t *list = json_object_get(match, "departments");
        for (size_t i = 0; i < json_array_size(list); i++) {
            json_t *d = json_array_get(list, i);
            gen_buf_addf(&depts, "%s%s:%s", i ? "|" : "", json_string_value(json_object_get(d, "name")),
                         json_string_value(json_object_get(d, "role")));
        }
        departments += row.field[7][0] != '\0';
        differ += !match || strcmp(depts.data, row.field[7]) != 0;
    }
    free(line);
    fclose(f);
    gen_buf_release(&depts);
    json_decref(docs);
    CU_ASSERT_EQUAL(found, 20);
    CU_ASSERT_TRUE(departments > 0);
    CU_ASSERT_EQUAL(differ, 0);
}

static void missing_prose_is_a_clear_error(void)
{
    gen_buf_t cmd = {0};
    gen_buf_addf(&cmd, "'%s' --quiet --docs 1 --out '%s/x' --corpus '%s' --prose '%s/none' "
                 "2>'%s/err.txt'", GEN_CORPUS, workdir, SEEDS, workdir, workdir);
    int rc = system(cmd.data);
    gen_buf_release(&cmd);
    CU_ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
    char path[4200], msg[1024] = "";
    snprintf(path, sizeof path, "%s/err.txt", workdir);
    FILE *f = fopen(path, "r");
    if (f) {
        if (!fgets(msg, sizeof msg, f))
            msg[0] = '\0';
        fclose(f);
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "install manpages-zh"));
}

static CU_TestInfo text_tests[] = {
    {"troff keeps prose and drops macros, tags and escapes",
     troff_keeps_prose_and_drops_macros_tags_and_escapes},
    {"sentences split after terminators and keep mostly-Chinese ones",
     sentences_split_after_terminators_and_keep_mostly_chinese_ones},
    {"sentences with invalid UTF-8 are skipped", sentences_with_invalid_utf8_are_skipped},
    {"enumerators are recognised with their kind", enumerators_are_recognised_with_their_kind},
    {"seed documents give headings and sentences without departments",
     seed_documents_give_headings_and_sentences_without_departments},
    {"pools keep each string once", pools_keep_each_string_once},
    {"Chinese numerals up to ninety-nine", chinese_numerals_up_to_ninety_nine},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo program_tests[] = {
    {"same seed writes a byte-identical corpus", same_seed_writes_a_byte_identical_corpus},
    {"another seed writes another corpus", another_seed_writes_another_corpus},
    {"manifest passages are the lines of the files", manifest_passages_are_the_lines_of_the_files},
    {"document parser reads what the generator wrote",
     document_parser_reads_what_the_generator_wrote},
    {"indexer --explain finds title, date and departments",
     indexer_explain_finds_title_date_and_departments},
    {"missing prose is a clear error", missing_prose_is_a_clear_error},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"gen_text", NULL, NULL, NULL, NULL, text_tests},
    {"gen_corpus", program_init, program_clean, NULL, NULL, program_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
