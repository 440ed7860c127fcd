/* The document model over the seed corpus and small made-up pages: metadata of every
 * seed file, the outline, which lines are passages (boilerplate and metadata lines are
 * not), GB18030 and Big5 copies giving the same passages, bad encodings, sidecars,
 * loading, and the --explain JSON. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cunit_run.h"
#include "doc_test_util.h"
#include "zhsearch/document.h"

static void assert_issuers(const zhs_document_t *doc, size_t n, const char *const *want)
{
    CU_ASSERT_EQUAL_FATAL(doc->nissuers, n);
    for (size_t i = 0; i < n; i++)
        ZHS_ASSERT_STR(doc->issuers[i], want[i]);
}

/* Asserts the outline: one "level:name" string per section, in order. */
static void assert_outline(const zhs_document_t *doc, size_t n, const char *const *want)
{
    CU_ASSERT_EQUAL(doc->nsections, n);
    for (size_t i = 0; i < n && i < doc->nsections; i++) {
        char got[1024];
        snprintf(got, sizeof got, "%d:%s", doc->sections[i].level, doc->sections[i].name);
        ZHS_ASSERT_STR(got, want[i]);
    }
}

/* Asserts the passages start exactly at the lines listed (in order). */
static void assert_passage_lines(const zhs_document_t *doc, size_t n, const unsigned *want)
{
    CU_ASSERT_EQUAL(doc->npassages, n);
    for (size_t i = 0; i < n && i < doc->npassages; i++) {
        CU_ASSERT_EQUAL(doc->passages[i].line_start, want[i]);
        CU_ASSERT_EQUAL(doc->passages[i].line_end, want[i]);
    }
}

static void assert_no_passage_contains(const zhs_document_t *doc, const char *what)
{
    for (size_t i = 0; i < doc->npassages; i++) {
        if (strstr(doc->passages[i].text, what)) {
            fprintf(stderr, "\n%s line %u contains \"%s\"\n", doc->file,
                    doc->passages[i].line_start, what);
            CU_FAIL("boilerplate kept as a passage");
        }
    }
}

/* ------------------------------------------------------------------ seed metadata */

static void fragment_000_has_no_metadata_and_two_sections(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("000_ce5235c9c363ba6f.txt");
    ZHS_ASSERT_STR(doc->id, "000_ce5235c9c363ba6f");
    ZHS_ASSERT_STR(doc->file, "000_ce5235c9c363ba6f.txt");
    CU_ASSERT_EQUAL(doc->encoding, ZHS_ENCODING_UTF8);
    CU_ASSERT_PTR_NULL(doc->title);
    CU_ASSERT_PTR_NULL(doc->date);
    CU_ASSERT_EQUAL(doc->year, 0);
    CU_ASSERT_PTR_NULL(doc->doc_number);
    CU_ASSERT_EQUAL(doc->nissuers, 0);
    CU_ASSERT_PTR_NULL(doc->url);
    CU_ASSERT_PTR_NULL(doc->fragment_of);
    static const char *const outline[] = {
        "1:加强知识产权创造、运用和保护,提升核心竞争能力",
        "1:加强组织领导,着力营造大力推进自主创新、加快高新技术产业发展的良好环境"};
    assert_outline(doc, 2, outline);
    static const unsigned lines[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    assert_passage_lines(doc, 11, lines);
    CU_ASSERT_EQUAL(doc->passages[0].section, -1);
    CU_ASSERT_EQUAL(doc->passages[4].section, 0);
    CU_ASSERT_EQUAL(doc->passages[10].section, 1);
    zhs_document_free(doc);
}

static void decision_001_title_date_and_two_issuers(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("001_fd8bcf01d029cd12.txt");
    ZHS_ASSERT_STR(doc->title,
                   "中共广州市委广州市人民政府关于大力推进自主创新加快高新技术产业发展的决定");
    ZHS_ASSERT_STR(doc->date, "2009-11-17");
    CU_ASSERT_EQUAL(doc->year, 2009);
    CU_ASSERT_PTR_NULL(doc->doc_number);
    static const char *const issuers[] = {"中共广州市委", "广州市人民政府"};
    assert_issuers(doc, 2, issuers);
    static const char *const outline[] = {
        "1:大力推进自主创新、加快高新技术产业发展,是推动广州实现科学发展的重大战略举措",
        "1:大力推动企业技术创新,强化企业在推动自主创新和发展高新技术产业中的主体地位",
        "1:加大科技投入力度,健全多元化的创新投融资体系",
        "1:构筑创新人才高地,为自主创新和高新技术产业发展提供智力和人才保障",
        "1:加快创新载体和平台建设,完善区域创新体系",
        "1:提高创新资源配置能力,积极利用海内外创新资源",
        "1:加强知识产权创造、运用和保护,提升核心竞争能力",
        "1:加强组织领导,着力营造大力推进自主创新、加快高新技术产业发展的良好环境"};
    assert_outline(doc, 8, outline);
    /* Title, preamble, then every fourth line from 9 to 189; the counter line (3) and
     * the footer (193-199) are not passages. */
    unsigned lines[48] = {1, 5};
    for (unsigned i = 2; i < 48; i++)
        lines[i] = 9 + 4 * (i - 2);
    assert_passage_lines(doc, 48, lines);
    CU_ASSERT_EQUAL(doc->sections[7].line_start, 177);
    CU_ASSERT_EQUAL(doc->sections[7].line_end, 189);
    zhs_document_free(doc);
}

static void notice_002_metadata_from_labelled_lines(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("002_63669fec260b4861.txt");
    ZHS_ASSERT_STR(doc->title,
                   "广州市人民政府关于印发广州国家自主创新示范区建设实施方案(2016—2020年)的通知");
    ZHS_ASSERT_STR(doc->doc_number, "穗府〔2016〕13号");
    /* The labelled 颁布时间 wins over the signature date 2016年7月30日. */
    ZHS_ASSERT_STR(doc->date, "2016-08-12");
    CU_ASSERT_EQUAL(doc->year, 2016);
    static const char *const issuers[] = {"广州市人民政府"};
    assert_issuers(doc, 1, issuers);
    static const char *const outline[] = {
        "1:指导思想", "1:战略定位", "2:创新驱动发展引领区", "2:珠三角自主创新核心区",
        "2:国际创新要素集聚区", "1:发展目标", "2:自主创新能力明显提升",
        "2:创新创业生态日趋完善", "2:具有国际影响力的创新型产业集群加快形成",
        "2:开放合作协同创新形成新局面", "1:主要任务及分工", "2:加快体制机制和政策创新",
        "2:加强重大创新创业载体建设", "2:全面提升自主创新能力",
        "2:打造具有国际影响力的创新型产业集群", "2:深入推进开放合作协同创新",
        "2:完善创新创业服务支撑体系", "1:实施保障", "2:强化组织领导", "2:加大资金投入",
        "2:提升政府服务", "2:实施监督评价"};
    assert_outline(doc, 22, outline);
    const zhs_section_t *tasks = &doc->sections[10];
    ZHS_ASSERT_STR(tasks->heading, "四、主要任务及分工");
    CU_ASSERT_EQUAL(tasks->parent, -1);
    CU_ASSERT_EQUAL(tasks->line_start, 95);
    CU_ASSERT_EQUAL(tasks->line_end, 323);
    CU_ASSERT_EQUAL(doc->sections[17].line_end, 359);   /* 实施保障: the colophon is not in it */
    CU_ASSERT_EQUAL(doc->sections[21].line_end, 359);
    CU_ASSERT_EQUAL(doc->sections[13].parent, 10);
    CU_ASSERT_EQUAL(doc->sections[13].line_start, 171);
    CU_ASSERT_EQUAL(doc->sections[13].line_end, 211);
    ZHS_ASSERT_STR(doc->sections[13].heading, "(三)全面提升自主创新能力。");
    zhs_document_free(doc);
}

static void notice_002_both_title_lines_are_passages_metadata_lines_are_not(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("002_63669fec260b4861.txt");
    CU_ASSERT_PTR_NOT_NULL(doc_test_passage_at(doc, 1));
    CU_ASSERT_PTR_NOT_NULL(doc_test_passage_at(doc, 5));
    /* 文 号:  穗府〔2016〕13号  颁布时间: …: the number alone, as written, the rest not. */
    const zhs_passage_t *number = doc_test_passage_at(doc, 7);
    CU_ASSERT_PTR_NOT_NULL_FATAL(number);
    ZHS_ASSERT_STR(number->text, "穗府〔2016〕13号");
    CU_ASSERT_EQUAL(number->line_end, 7);
    CU_ASSERT_EQUAL(number->ndepartments, 0);
    CU_ASSERT_PTR_NULL(doc_test_passage_at(doc, 9));    /* 发布单位: … */
    CU_ASSERT_PTR_NOT_NULL(doc_test_passage_at(doc, 21));  /* the signature 广州市人民政府 */
    CU_ASSERT_PTR_NOT_NULL(doc_test_passage_at(doc, 23));  /* and its date */
    CU_ASSERT_PTR_NULL(doc_test_passage_at(doc, 363));  /* colophon: …办公厅秘书处 */
    CU_ASSERT_PTR_NULL(doc_test_passage_at(doc, 365));  /* colophon: 2016年8月12日印发 */
    const zhs_passage_t *ps = doc_test_passage_at(doc, 17);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
    CU_ASSERT(strncmp(ps->text, "《广州国家自主创新示范区建设实施方案", 54) == 0);
    ps = doc_test_passage_at(doc, 179);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
    ZHS_ASSERT_STR(doc->sections[ps->section].name, "主要任务及分工");
    ZHS_ASSERT_STR(doc->sections[ps->subsection].name, "全面提升自主创新能力");
    ps = doc_test_passage_at(doc, 171);     /* a heading's section is itself */
    CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
    CU_ASSERT_EQUAL(ps->subsection, 13);
    CU_ASSERT_EQUAL(ps->section, 10);
    CU_ASSERT_EQUAL(doc->npassages, 90);
    zhs_document_free(doc);
}

static void traditional_003_fragment_sections_are_simplified(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("003_a2da86337d7ff50c.txt");
    CU_ASSERT_PTR_NULL(doc->title);
    CU_ASSERT_PTR_NULL(doc->date);
    CU_ASSERT_EQUAL(doc->year, 0);
    CU_ASSERT_EQUAL(doc->nissuers, 0);
    CU_ASSERT_PTR_NULL(doc->doc_number);
    static const char *const outline[] = {
        "2:高水平创新人才集聚行动", "1:建设科技创新强市主要保障", "2:强化创新政策保障",
        "2:强化科技金融联动保障", "2:强化创新文化生态保障", "2:强化组织领导保障"};
    assert_outline(doc, 6, outline);
    ZHS_ASSERT_STR(doc->sections[0].heading, "(八)高水平創新人才集聚行動。");
    CU_ASSERT_EQUAL(doc->sections[0].parent, -1);
    CU_ASSERT_EQUAL(doc->sections[2].parent, 1);
    CU_ASSERT_EQUAL(doc->sections[5].line_end, 26);
    unsigned lines[26];
    for (unsigned i = 0; i < 26; i++)
        lines[i] = i + 1;
    assert_passage_lines(doc, 26, lines);
    zhs_document_free(doc);
}

static void resolution_004_source_issuer_and_site_chrome_removed(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("004_943963b27e31b63c.txt");
    ZHS_ASSERT_STR(doc->title,
                   "广州市人民代表大会常务委员会关于《广州市知识产权事业发展第十三个五年规划》的决议");
    ZHS_ASSERT_STR(doc->date, "2017-06-30");
    CU_ASSERT_EQUAL(doc->year, 2017);
    CU_ASSERT_PTR_NULL(doc->doc_number);
    static const char *const issuers[] = {"广州市人大常委会"};
    assert_issuers(doc, 1, issuers);
    static const char *const outline[] = {
        "1:科学部署,完善知识产权战略布局", "1:着眼运用,提高知识产权创造和转化水平",
        "1:严格保护,构建多元化的知识产权保护机制", "1:强化统筹措施,推动《规划》任务落地实施"};
    assert_outline(doc, 4, outline);
    static const unsigned lines[] = {5, 9, 11, 13, 15, 17, 19, 21, 23};
    assert_passage_lines(doc, 9, lines);
    zhs_document_free(doc);
}

static void no_seed_passage_is_boilerplate(void)
{
    static const char *const files[] = {
        "000_ce5235c9c363ba6f.txt", "001_fd8bcf01d029cd12.txt", "002_63669fec260b4861.txt",
        "003_a2da86337d7ff50c.txt", "004_943963b27e31b63c.txt"};
    static const char *const chrome[] = {
        "点击数", "发布时间", "发布者", "ICP", "公网安备", "首页 >", "欢迎您", "字体:",
        "友情链接", "版权所有", "总访问量", "地址:", "电话:", "E-Mail", "主办单位", "文 号",
        "颁布时间", "发布单位", "来源:"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        zhs_document_t *doc = doc_test_parse_corpus(files[f]);
        for (size_t c = 0; c < sizeof chrome / sizeof chrome[0]; c++)
            assert_no_passage_contains(doc, chrome[c]);
        for (size_t i = 0; i < doc->npassages; i++) {
            const char *t = doc->passages[i].text;
            CU_ASSERT(t[0] != '\0' && t[0] != ' ' && strncmp(t, "\xC2\xA0", 2) != 0);
        }
        zhs_document_free(doc);
    }
}

/* ------------------------------------------------------------------ made-up pages */

static void page_chrome_of_many_kinds_is_dropped(void)
{
    static const char page[] =
        "您现在的位置：首页 › 政务公开 › 政策文件\n"   /* 1 */
        "欢迎访问广州市科技局网站\n"                 /* 2 */
        "广州市科学技术局关于印发某某办法的通知\n"   /* 3 */
        "發布時間：2019-03-05 瀏覽次數：12\n"        /* 4 */
        "【字体：大 中 小】 【打印】 【关闭】\n"     /* 5 */
        "一、总则\n"                                 /* 6 */
        "为规范管理，制定本办法。\n"                 /* 7 */
        "本办法文本版权所有 © 归编者，可自由转载。\n" /* 8: prose, not a footer */
        "(三)quit选项通知服务器关闭窗口并且退出。\n"  /* 9: prose that names a control */
        "打印本页 关闭窗口\n"                        /* 10 */
        "Copyright © 2019 广州市科学技术局 版权所有\n" /* 11 */
        "粤ICP备12345678号\n"                        /* 12 */
        "联系电话：020-12345678 传真：020-87654321\n" /* 13 */
        "通讯地址：广州市越秀区某路1号\n"            /* 14 */
        "E-mail：office@example.cn\n";               /* 15 */
    zhs_document_t *doc = doc_test_parse_text("page.txt", page);
    static const unsigned lines[] = {3, 6, 7, 8, 9};
    assert_passage_lines(doc, 5, lines);
    ZHS_ASSERT_STR(doc->title, "广州市科学技术局关于印发某某办法的通知");
    ZHS_ASSERT_STR(doc->date, "2019-03-05");
    static const char *const issuers[] = {"广州市科学技术局"};
    assert_issuers(doc, 1, issuers);
    zhs_document_free(doc);
}

static void issued_line_date_beats_signature_date(void)
{
    zhs_document_t *doc = doc_test_parse_text(
        "dates.txt", "某某办法\n正文内容。\n广州市人民政府\n2016年7月30日\n"
                     "广州市人民政府办公厅秘书处\n2016年8月12日印发\n");
    ZHS_ASSERT_STR(doc->date, "2016-08-12");
    CU_ASSERT_EQUAL(doc->year, 2016);
    static const unsigned lines[] = {1, 2, 3, 4};     /* the colophon is not content */
    assert_passage_lines(doc, 4, lines);
    zhs_document_free(doc);

    doc = doc_test_parse_text("dates.txt", "正文内容。\n2016年7月30日\n");
    ZHS_ASSERT_STR(doc->date, "2016-07-30");
    zhs_document_free(doc);

    /* A year inside a sentence is not a publication date. */
    doc = doc_test_parse_text("dates.txt", "2019年,引进培养2个团队。\n");
    CU_ASSERT_PTR_NULL(doc->date);
    CU_ASSERT_EQUAL(doc->year, 0);
    zhs_document_free(doc);
}

static void title_names_each_issuer_once(void)
{
    zhs_document_t *doc = doc_test_parse_text(
        "joint.txt", "中共广州市委办公厅 广州市人民政府办公厅关于加强某某工作的意见\n"
                     "中共广州市委办公厅 广州市人民政府办公厅关于加强某某工作的意见\n"
                     "穗办〔2019〕5号\n正文。\n");
    ZHS_ASSERT_STR(doc->title, "中共广州市委办公厅 广州市人民政府办公厅关于加强某某工作的意见");
    static const char *const issuers[] = {"中共广州市委办公厅", "广州市人民政府办公厅"};
    assert_issuers(doc, 2, issuers);
    ZHS_ASSERT_STR(doc->doc_number, "穗办〔2019〕5号");
    CU_ASSERT_EQUAL(doc->npassages, 4);
    zhs_document_free(doc);
}

/* A label line's document number is a passage, cut from the line as written (full-width
 * digits, Traditional 號), so that searching the number finds the document; it is
 * never the title. A label value that is no number adds nothing. */
static void a_label_lines_document_number_is_a_passage(void)
{
    zhs_document_t *doc = doc_test_parse_text(
        "numbered.txt", "發文字號：穗府〔２０１９〕５號　發布日期：2019-05-01\n"
                        "廣州市人民政府關於加強某某工作的意見\n正文。\n");
    ZHS_ASSERT_STR(doc->doc_number, "穗府〔2019〕5号");
    ZHS_ASSERT_STR(doc->title, "廣州市人民政府關於加強某某工作的意見");
    static const unsigned lines[] = {1, 2, 3};
    assert_passage_lines(doc, 3, lines);
    ZHS_ASSERT_STR(doc->passages[0].text, "穗府〔２０１９〕５號");
    zhs_document_free(doc);

    doc = doc_test_parse_text("unnumbered.txt", "文号：无　发布日期：2019-05-01\n某某办法\n正文。\n");
    static const unsigned two[] = {2, 3};
    assert_passage_lines(doc, 2, two);
    zhs_document_free(doc);
}

static void full_width_and_traditional_headings_are_recognized(void)
{
    zhs_document_t *doc = doc_test_parse_text(
        "trad.txt", "第一章 總則\n（一）組織領導。\n1．加強領導。\n（二）資金保障\n");
    static const char *const outline[] = {"1:总则", "2:组织领导", "2:资金保障"};
    assert_outline(doc, 3, outline);
    CU_ASSERT_EQUAL(doc->sections[1].parent, 0);
    CU_ASSERT_EQUAL(doc->sections[1].line_end, 3);
    CU_ASSERT_EQUAL(doc->passages[2].subsection, 1);
    zhs_document_free(doc);
}

/* ------------------------------------------------------------------ encodings */

static void assert_same_passages(const zhs_document_t *a, const zhs_document_t *b)
{
    CU_ASSERT_EQUAL_FATAL(a->npassages, b->npassages);
    for (size_t i = 0; i < a->npassages; i++) {
        ZHS_ASSERT_STR(a->passages[i].text, b->passages[i].text);
        CU_ASSERT_EQUAL(a->passages[i].line_start, b->passages[i].line_start);
        CU_ASSERT_EQUAL(a->passages[i].line_end, b->passages[i].line_end);
        CU_ASSERT_EQUAL(a->passages[i].section, b->passages[i].section);
        CU_ASSERT_EQUAL(a->passages[i].ndepartments, b->passages[i].ndepartments);
    }
    CU_ASSERT_EQUAL(a->nsections, b->nsections);
    CU_ASSERT_EQUAL(a->text_nbytes, b->text_nbytes);
}

static void reencoded_copy_gives_the_same_passages(const char *name, const char *encoding,
                                                   zhs_encoding_t expected)
{
    size_t n, enc_n;
    char *raw = doc_test_read_corpus(name, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
    char *encoded = doc_test_encode(raw, n, encoding, &enc_n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(encoded);
    zhs_document_t *orig = doc_test_parse_corpus(name), *copy = NULL;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL_FATAL(zhs_document_parse(name, encoded, enc_n, &copy, &err), ZHS_OK);
    CU_ASSERT_EQUAL(copy->encoding, expected);
    assert_same_passages(orig, copy);
    ZHS_ASSERT_STR(copy->text, orig->text);
    zhs_document_free(copy);
    zhs_document_free(orig);
    free(encoded);
    free(raw);
}

static void gb18030_copy_of_002_gives_the_same_passages(void)
{
    reencoded_copy_gives_the_same_passages("002_63669fec260b4861.txt", "GB18030",
                                           ZHS_ENCODING_GB18030);
}

static void big5_copy_of_003_gives_the_same_passages(void)
{
    reencoded_copy_gives_the_same_passages("003_a2da86337d7ff50c.txt", "BIG5",
                                           ZHS_ENCODING_BIG5);
}

static void corrupt_file_fails_with_bad_encoding_and_offset(void)
{
    size_t n;
    char *raw = doc_test_read_corpus("004_943963b27e31b63c.txt", &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
    /* Keep the first line (`欢迎您,下午好`, two NBSPs and LF: 24 bytes) and overwrite
     * the rest with bytes no encoding accepts (0x80 and 0xFF never start a character).
     * UTF-8 gets furthest: to byte 24. */
    for (size_t i = 24; i < n; i++)
        raw[i] = (char)((i % 2) ? 0x80 : 0xFF);
    zhs_document_t *doc = (zhs_document_t *)1;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_document_parse("004.txt", raw, n, &doc, &err), ZHS_ERR_BAD_ENCODING);
    CU_ASSERT_PTR_NULL(doc);
    CU_ASSERT_EQUAL(err.offset, 24);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "004.txt"));
    free(raw);
}

/* ------------------------------------------------------------------ sidecars, loading */

static void sidecar_overrides_metadata(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("001_fd8bcf01d029cd12.txt");
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_document_apply_sidecar(
                        doc,
                        "{\"title\": \"新标题\", \"issuer\": [\"廣州市財政局\", \"广州市科技局\"],"
                        " \"doc_number\": \"穗府〔2009〕1号\", \"date\": \"2009-12-01\","
                        " \"url\": \"https://www.example.org/a.html\", \"ignored\": 1}",
                        &err),
                    ZHS_OK);
    ZHS_ASSERT_STR(doc->title, "新标题");
    static const char *const issuers[] = {"广州市财政局", "广州市科技局"};
    assert_issuers(doc, 2, issuers);
    ZHS_ASSERT_STR(doc->doc_number, "穗府〔2009〕1号");
    ZHS_ASSERT_STR(doc->date, "2009-12-01");
    CU_ASSERT_EQUAL(doc->year, 2009);
    ZHS_ASSERT_STR(doc->url, "https://www.example.org/a.html");

    CU_ASSERT_EQUAL(zhs_document_apply_sidecar(doc, "{\"date\": \"2010\", \"issuer\": \"某局\"}",
                                               &err),
                    ZHS_OK);
    CU_ASSERT_PTR_NULL(doc->date);
    CU_ASSERT_EQUAL(doc->year, 2010);
    static const char *const one[] = {"某局"};
    assert_issuers(doc, 1, one);
    ZHS_ASSERT_STR(doc->title, "新标题");          /* absent keys keep their value */

    CU_ASSERT_EQUAL(zhs_document_apply_sidecar(doc, "{\"date\": null, \"title\": null}", &err),
                    ZHS_OK);
    CU_ASSERT_PTR_NULL(doc->date);
    CU_ASSERT_EQUAL(doc->year, 0);
    CU_ASSERT_PTR_NULL(doc->title);
    zhs_document_free(doc);
}

static void bad_sidecar_is_refused_and_changes_nothing(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("002_63669fec260b4861.txt");
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_document_apply_sidecar(doc, "{\"title\": \"x\",", &err), ZHS_ERR_BAD_ARG);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "002_63669fec260b4861.txt"));
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_document_apply_sidecar(doc, "{\"title\": \"x\", \"date\": 2016}", &err),
                    ZHS_ERR_BAD_ARG);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "\"date\""));
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_document_apply_sidecar(doc, "{\"date\": \"next week\"}", &err),
                    ZHS_ERR_BAD_ARG);
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_document_apply_sidecar(doc, "[1]", &err), ZHS_ERR_BAD_ARG);
    CU_ASSERT(strncmp(doc->title, "广州市人民政府关于印发", 33) == 0);
    ZHS_ASSERT_STR(doc->date, "2016-08-12");
    zhs_document_free(doc);
}

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void load_reads_the_file_and_its_sidecar(void)
{
    char dir[1024], path[1100], meta[1100];
    snprintf(dir, sizeof dir, "%s/tests/doc-load-XXXXXX", ZHS_TEST_BUILDDIR);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    size_t n;
    char *raw = doc_test_read_corpus("004_943963b27e31b63c.txt", &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
    snprintf(path, sizeof path, "%s/004.txt", dir);
    snprintf(meta, sizeof meta, "%s/004.meta.json", dir);
    write_file(path, raw, n);
    free(raw);

    zhs_document_t *doc = NULL;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL_FATAL(zhs_document_load(path, &doc, &err), ZHS_OK);
    ZHS_ASSERT_STR(doc->id, "004");
    ZHS_ASSERT_STR(doc->file, "004.txt");
    CU_ASSERT_PTR_NULL(doc->url);
    zhs_document_free(doc);

    static const char sidecar[] = "{\"url\": \"https://www.example.org/004\", \"doc_number\": \"X1\"}";
    write_file(meta, sidecar, sizeof sidecar - 1);
    CU_ASSERT_EQUAL_FATAL(zhs_document_load(path, &doc, &err), ZHS_OK);
    ZHS_ASSERT_STR(doc->url, "https://www.example.org/004");
    ZHS_ASSERT_STR(doc->doc_number, "X1");
    ZHS_ASSERT_STR(doc->date, "2017-06-30");
    zhs_document_free(doc);

    write_file(meta, "{", 1);
    CU_ASSERT_EQUAL(zhs_document_load(path, &doc, &err), ZHS_ERR_BAD_ARG);
    CU_ASSERT_PTR_NULL(doc);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "004.meta.json"));

    unlink(meta);
    unlink(path);
    rmdir(dir);
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_document_load(path, &doc, &err), ZHS_ERR_IO);
    CU_ASSERT_PTR_NULL(doc);
}

/* ------------------------------------------------------------------ JSON */

static void explain_json_has_metadata_outline_and_passages(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("002_63669fec260b4861.txt");
    char *text = zhs_document_to_json(doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    ZHS_ASSERT_STR(json_string_value(json_object_get(j, "id")), "002_63669fec260b4861");
    ZHS_ASSERT_STR(json_string_value(json_object_get(j, "file")), "002_63669fec260b4861.txt");
    ZHS_ASSERT_STR(json_string_value(json_object_get(j, "encoding")), "utf-8");
    ZHS_ASSERT_STR(json_string_value(json_object_get(j, "doc_number")), "穗府〔2016〕13号");
    ZHS_ASSERT_STR(json_string_value(json_object_get(j, "date")), "2016-08-12");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "year")), 2016);
    ZHS_ASSERT_STR(json_string_value(json_array_get(json_object_get(j, "issuer"), 0)),
                   "广州市人民政府");
    CU_ASSERT(json_is_null(json_object_get(j, "url")));
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "npassages")), 90);

    json_t *outline = json_object_get(j, "outline");
    CU_ASSERT_EQUAL(json_array_size(outline), 22);
    json_t *tasks = json_array_get(outline, 10);
    ZHS_ASSERT_STR(json_string_value(json_object_get(tasks, "heading")), "四、主要任务及分工");
    ZHS_ASSERT_STR(json_string_value(json_object_get(tasks, "name")), "主要任务及分工");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(tasks, "level")), 1);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(tasks, "line_start")), 95);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(tasks, "line_end")), 323);

    json_t *passages = json_object_get(j, "passages");
    CU_ASSERT_EQUAL(json_array_size(passages), 90);
    json_t *first = json_array_get(passages, 0);
    CU_ASSERT(json_is_null(json_object_get(first, "section")));
    json_t *p = NULL;
    size_t i;
    json_t *it;
    json_array_foreach(passages, i, it)
        if (json_integer_value(json_object_get(it, "line_start")) == 107)
            p = it;
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(p, "line_end")), 107);
    ZHS_ASSERT_STR(json_string_value(json_object_get(p, "section")), "主要任务及分工");
    ZHS_ASSERT_STR(json_string_value(json_object_get(p, "subsection")), "加快体制机制和政策创新");
    json_t *lead = json_array_get(json_object_get(p, "departments"), 0);
    ZHS_ASSERT_STR(json_string_value(json_object_get(lead, "name")), "市科技创新委");
    ZHS_ASSERT_STR(json_string_value(json_object_get(lead, "role")), "lead");
    CU_ASSERT_EQUAL(json_array_size(json_object_get(p, "departments")), 11);
    CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_object_get(p, "text")), "1+9"));
    json_decref(j);
    free(text);
    zhs_document_free(doc);
}

static void free_accepts_null(void)
{
    zhs_document_free(NULL);
    CU_ASSERT_PTR_NULL(zhs_document_to_json(NULL));
}

/* ------------------------------------------------------------------ HTML pages */

static char *html_text(const char *html)
{
    char *text = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(zhs_html_to_text(html, strlen(html), &text, &n, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(text ? strlen(text) : 0, n);
    return text;
}

static void html_blocks_become_lines_and_inline_tags_do_not(void)
{
    char *t = html_text("<html><body><h1>广州市人民政府关于<b>加强</b>管理的通知</h1>"
                        "<div><p>一、总则</p><p>第一段<br>第二行</p></div>\n\n"
                        "<ul><li>1.甲</li><li>2.乙</li></ul>"
                        "<table><tr><td>单位</td><td>市科技局</td></tr></table></body></html>");
    ZHS_ASSERT_STR(t, "广州市人民政府关于加强管理的通知\n一、总则\n第一段\n第二行\n1.甲\n2.乙\n"
                      "单位 市科技局\n");
    free(t);
}

static void html_head_scripts_and_styles_are_left_out_entities_decoded(void)
{
    char *t = html_text("<!DOCTYPE html><html><head><title>站点标题</title>"
                        "<style>p { color: red }</style></head><body>"
                        "<script>document.write('<p>脚本</p>');</script>"
                        "<p>  A&amp;B&nbsp;C  &lt;D&gt;\n  E  </p><pre>甲\n  乙</pre></body></html>");
    ZHS_ASSERT_STR(t, "A&B\xC2\xA0" "C <D> E\n甲\n  乙\n");
    free(t);
}

static void html_is_recognized_by_its_first_tag(void)
{
    CU_ASSERT_TRUE(zhs_html_sniff("  \n<!doctype HTML><p>x", 22));
    CU_ASSERT_TRUE(zhs_html_sniff("<HTML lang=zh>", 14));
    CU_ASSERT_FALSE(zhs_html_sniff("标题\n<p>正文</p>", strlen("标题\n<p>正文</p>")));
    CU_ASSERT_FALSE(zhs_html_sniff("<htm", 4));
    /* A text file keeps its angle brackets. */
    zhs_document_t *doc = doc_test_parse_text("a.txt", "甲<p>乙</p>\n");
    ZHS_ASSERT_STR(doc->passages[0].text, "甲<p>乙</p>");
    zhs_document_free(doc);
}

/* The seed as a page: each line a <p> (escaped), a head and a script around it. Same
 * metadata and passages; the page's blank lines are gone, so the line numbers are the
 * page text's. */
static void html_copy_of_002_gives_the_same_passages(void)
{
    size_t n;
    char *raw = doc_test_read_corpus("002_63669fec260b4861.txt", &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
    char *page = NULL;
    size_t npage = 0;
    FILE *f = open_memstream(&page, &npage);
    fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>首页 - 政务公开</title>"
          "<script>var nav = \"<p>首页 &gt; 政务公开</p>\";</script></head><body>\n", f);
    for (char *line = raw, *end; *line; line = end + (*end == '\n')) {
        end = line + strcspn(line, "\n");
        fputs("<p>", f);
        for (char *c = line; c < end; c++)
            fputs(*c == '<' ? "&lt;" : *c == '>' ? "&gt;" : *c == '&' ? "&amp;" : (char[]){*c, 0}, f);
        fputs("</p>\n", f);
    }
    fputs("</body></html>\n", f);
    fclose(f);
    zhs_document_t *orig = doc_test_parse_corpus("002_63669fec260b4861.txt"), *copy = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_document_parse("002_63669fec260b4861.html", page, npage, &copy,
                                             NULL), ZHS_OK);
    ZHS_ASSERT_STR(copy->id, orig->id);
    ZHS_ASSERT_STR(copy->title, orig->title);
    ZHS_ASSERT_STR(copy->date, orig->date);
    ZHS_ASSERT_STR(copy->doc_number, orig->doc_number);
    CU_ASSERT_EQUAL(copy->nsections, orig->nsections);
    CU_ASSERT_EQUAL_FATAL(copy->npassages, orig->npassages);
    for (size_t i = 0; i < orig->npassages; i++) {
        const zhs_passage_t *a = &orig->passages[i], *b = &copy->passages[i];
        char want[4096];
        snprintf(want, sizeof want, "%s", a->text + strspn(a->text, " "));
        ZHS_ASSERT_STR(b->text, want);
        CU_ASSERT_EQUAL(b->section, a->section);
        CU_ASSERT_EQUAL(b->subsection, a->subsection);
        CU_ASSERT_EQUAL_FATAL(b->ndepartments, a->ndepartments);
        for (size_t k = 0; k < a->ndepartments; k++)
            ZHS_ASSERT_STR(b->departments[k].name, a->departments[k].name);
    }
    zhs_document_free(copy);
    zhs_document_free(orig);
    free(page);
    free(raw);
}

static CU_TestInfo seed_tests[] = {
    {"fragment 000 has no metadata and two sections",
     fragment_000_has_no_metadata_and_two_sections},
    {"decision 001: title, date and two issuers", decision_001_title_date_and_two_issuers},
    {"notice 002: metadata from labelled lines", notice_002_metadata_from_labelled_lines},
    {"notice 002: both title lines are passages, metadata lines are not",
     notice_002_both_title_lines_are_passages_metadata_lines_are_not},
    {"Traditional 003 fragment: sections are simplified",
     traditional_003_fragment_sections_are_simplified},
    {"resolution 004: source issuer, site chrome removed",
     resolution_004_source_issuer_and_site_chrome_removed},
    {"no seed passage is boilerplate", no_seed_passage_is_boilerplate},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo page_tests[] = {
    {"page chrome of many kinds is dropped", page_chrome_of_many_kinds_is_dropped},
    {"issued-line date beats signature date; the colophon is no passage",
     issued_line_date_beats_signature_date},
    {"title names each issuer once", title_names_each_issuer_once},
    {"a label line's document number is a passage", a_label_lines_document_number_is_a_passage},
    {"full-width and Traditional headings are recognized",
     full_width_and_traditional_headings_are_recognized},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo encoding_tests[] = {
    {"GB18030 copy of 002 gives the same passages", gb18030_copy_of_002_gives_the_same_passages},
    {"Big5 copy of 003 gives the same passages", big5_copy_of_003_gives_the_same_passages},
    {"corrupt file fails with bad encoding and offset",
     corrupt_file_fails_with_bad_encoding_and_offset},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo html_tests[] = {
    {"HTML blocks become lines and inline tags do not",
     html_blocks_become_lines_and_inline_tags_do_not},
    {"HTML head, scripts and styles are left out, entities decoded",
     html_head_scripts_and_styles_are_left_out_entities_decoded},
    {"HTML is recognized by its first tag", html_is_recognized_by_its_first_tag},
    {"HTML copy of 002 gives the same passages", html_copy_of_002_gives_the_same_passages},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo io_tests[] = {
    {"sidecar overrides metadata", sidecar_overrides_metadata},
    {"bad sidecar is refused and changes nothing", bad_sidecar_is_refused_and_changes_nothing},
    {"load reads the file and its sidecar", load_reads_the_file_and_its_sidecar},
    {"explain JSON has metadata, outline and passages",
     explain_json_has_metadata_outline_and_passages},
    {"free accepts NULL", free_accepts_null},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"seed files", NULL, NULL, NULL, NULL, seed_tests},
    {"made-up pages", NULL, NULL, NULL, NULL, page_tests},
    {"encodings", NULL, NULL, NULL, NULL, encoding_tests},
    {"HTML pages", NULL, NULL, NULL, NULL, html_tests},
    {"sidecars, loading, JSON", NULL, NULL, NULL, NULL, io_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
