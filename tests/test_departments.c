/* Departments of passages: the parenthetical forms (`牵头/配合/参与/负责`, `責任單位:`,
 * `牵头单位:…;配合单位:…`), canonical names (`市` restored, Simplified, distributive
 * suffixes expanded, `等部门` and generic entries dropped), and which passages a
 * parenthetical covers (its item, its sub-section, `本部分` its section). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"
#include "doc_test_util.h"
#include "zhsearch/document.h"

/* Asserts the passage's departments are exactly `name/role` (role l, p or r), in order.
 * The list ends with NULL. */
static void assert_depts(const zhs_passage_t *ps, unsigned line, ...)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
    char got[2048] = "", want[2048] = "";
    for (size_t i = 0; i < ps->ndepartments; i++) {
        size_t n = strlen(got);
        snprintf(got + n, sizeof got - n, "%s%s/%c", i ? " " : "", ps->departments[i].name,
                 zhs_role_name(ps->departments[i].role)[0]);
    }
    va_list ap;
    va_start(ap, line);
    const char *d;
    for (int i = 0; (d = va_arg(ap, const char *)) != NULL; i++) {
        size_t n = strlen(want);
        snprintf(want + n, sizeof want - n, "%s%s", i ? " " : "", d);
    }
    va_end(ap);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "\nline %u: departments \"%s\", expected \"%s\"\n", line, got, want);
    CU_ASSERT_STRING_EQUAL(got, want);
}

#define ASSERT_DEPTS(doc, line, ...) \
    assert_depts(doc_test_passage_at((doc), (line)), (line), __VA_ARGS__, NULL)
#define ASSERT_NO_DEPTS(doc, line) assert_depts(doc_test_passage_at((doc), (line)), (line), NULL)

/* The departments of the item in a one-item document `一、任务\n1.做某事。PAREN`. */
static zhs_document_t *one_item(const char *paren)
{
    char text[2048];
    snprintf(text, sizeof text, "一、任务\n1.做某事。%s\n", paren);
    return doc_test_parse_text("synthetic.txt", text);
}

static void lead_and_partners_with_etc_departments(void)
{
    zhs_document_t *doc = one_item("(本部分工作由市财政局牵头,市发改委、市科技局等部门参与)");
    ASSERT_DEPTS(doc, 2, "市财政局/l", "市发改委/p", "市科技局/p");
    zhs_document_free(doc);
}

static void dropped_city_prefix_is_restored(void)
{
    zhs_document_t *doc = one_item(
        "(市科技创新委牵头,市工业和信息化委、国资委,广州高新区管委会、各区政府配合)");
    ASSERT_DEPTS(doc, 2, "市科技创新委/l", "市工业和信息化委/p", "市国资委/p",
                 "广州高新区管委会/p", "各区政府/p");
    zhs_document_free(doc);
}

static void distributive_suffix_is_expanded(void)
{
    zhs_document_t *doc = one_item("(广州高新区管委会牵头,白云、越秀、天河、南沙区政府配合)");
    ASSERT_DEPTS(doc, 2, "广州高新区管委会/l", "白云区政府/p", "越秀区政府/p", "天河区政府/p",
                 "南沙区政府/p");
    zhs_document_free(doc);
}

static void traditional_responsible_list_is_simplified(void)
{
    zhs_document_t *doc = one_item("(責任單位:市科技局、財政局、港澳辦,南沙區政府)");
    ASSERT_DEPTS(doc, 2, "市科技局/r", "市财政局/r", "市港澳办/r", "南沙区政府/r");
    zhs_document_free(doc);
}

static void several_leads_and_etc_partners(void)
{
    zhs_document_t *doc = one_item(
        "(市工商局、科技创新委、财政局、政务办牵头,广州高新区管委会、各区政府等配合)");
    ASSERT_DEPTS(doc, 2, "市工商局/l", "市科技创新委/l", "市财政局/l", "市政务办/l",
                 "广州高新区管委会/p", "各区政府/p");
    zhs_document_free(doc);
}

static void labelled_lead_and_partner_lists(void)
{
    zhs_document_t *doc = one_item("（牵头单位：市科技局；配合单位：财政局、各区政府）");
    ASSERT_DEPTS(doc, 2, "市科技局/l", "市财政局/p", "各区政府/p");
    zhs_document_free(doc);
}

static void unclosed_parenthesis_before_the_note_is_skipped(void)
{
    zhs_document_t *doc = one_item(
        "(很罕见!(本部分工作由市信息办牵头,市人力资源社会保障局等部门参与)");
    ASSERT_DEPTS(doc, 2, "市信息办/l", "市人力资源社会保障局/p");
    zhs_document_free(doc);
}

static void courts_get_the_city_prefix_group_offices_do_not(void)
{
    zhs_document_t *doc = one_item("(领导小组办公室、市科技局牵头,中级人民法院配合)");
    ASSERT_DEPTS(doc, 2, "领导小组办公室/l", "市科技局/l", "市中级人民法院/p");
    zhs_document_free(doc);
}

static void market_bureau_gets_its_own_city_prefix(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("003_a2da86337d7ff50c.txt");
    ASSERT_DEPTS(doc, 3, "市科技局/r", "市委外办/r", "市商务局/r", "市市场监管局/r");
    ASSERT_DEPTS(doc, 23, "市市场监管局/r", "广州知识产权法院/r", "市委宣传部/r");
    zhs_document_free(doc);
}

static void two_parentheticals_in_one_line_both_count(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("003_a2da86337d7ff50c.txt");
    ASSERT_DEPTS(doc, 4, "市科技局/r", "市财政局/r", "市港澳办/r", "南沙区政府/r",
                 "市发展改革委/r", "市工业和信息化局/r", "白云区政府/r");
    ASSERT_DEPTS(doc, 13, "市委组织部/r", "市人力资源社会保障局/r", "市科技局/r", "团市委/r",
                 "市科协/r");
    zhs_document_free(doc);
}

static void corpus_examples_come_out_exactly(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("002_63669fec260b4861.txt");
    ASSERT_DEPTS(doc, 179, "市科技创新委/l", "市工业和信息化委/p", "市国资委/p",
                 "广州高新区管委会/p", "各区政府/p");
    ASSERT_DEPTS(doc, 151, "广州高新区管委会/l", "白云区政府/p", "越秀区政府/p", "天河区政府/p",
                 "南沙区政府/p");
    ASSERT_DEPTS(doc, 351, "市工商局/l", "市科技创新委/l", "市财政局/l", "市政务办/l",
                 "广州高新区管委会/p", "各区政府/p");
    ASSERT_DEPTS(doc, 159, "市科技创新委/l", "市发展改革委/p", "市国土规划委/p",
                 "市住房城乡建设委/p", "市城市更新局/p", "广州高新区管委会/p", "各区政府/p");
    ASSERT_DEPTS(doc, 295, "市金融局/l", "市科技创新委/l", "市发展改革委/p", "市财政局/p",
                 "市知识产权局/p", "市国税局/p", "市地税局/p", "广州高新区管委会/p", "团市委/p",
                 "番禺区政府/p");
    ASSERT_DEPTS(doc, 143, "市科技创新委/l", "市国土规划委/l", "市住房城乡建设委/l",
                 "广州高新区管委会/l", "各区政府/p");
    zhs_document_free(doc);

    doc = doc_test_parse_corpus("001_fd8bcf01d029cd12.txt");
    ASSERT_DEPTS(doc, 77, "市财政局/l", "市发改委/p", "市科技局/p");
    ASSERT_DEPTS(doc, 181, "市科技局/l");
    ASSERT_DEPTS(doc, 125, "市发改委/l", "高新区管委会/p", "市经贸会/p", "市科技局/p",
                 "市财政局/p", "市新闻出版和广电局/p", "市规划局/p", "市国土房管局/p",
                 "市信息办/p");
    zhs_document_free(doc);
}

static void inline_responsibility_notes_are_all_leads(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("002_63669fec260b4861.txt");
    ASSERT_DEPTS(doc, 115, "市发展改革委/l", "市国资委/l", "市国土规划委/l", "市科技创新委/l",
                 "市人力资源和社会保障局/l", "市知识产权局/l", "市金融局/l", "市国税局/l",
                 "市地税局/l", "市委组织部/l", "市公安局/l");
    zhs_document_free(doc);
}

static void generic_entries_are_dropped(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("001_fd8bcf01d029cd12.txt");
    ASSERT_DEPTS(doc, 185, "市委办公厅/l", "市府办公厅/l");   /* not 市各有关部门 */
    ASSERT_NO_DEPTS(doc, 189);                               /* 各有关单位负责 */
    zhs_document_free(doc);
}

static void other_parentheticals_name_no_department(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("002_63669fec260b4861.txt");
    ASSERT_NO_DEPTS(doc, 35);     /* (以下简称珠三角自创区), (粤府〔2016〕31号) */
    ASSERT_NO_DEPTS(doc, 31);     /* (2016—2020年) */
    ASSERT_NO_DEPTS(doc, 79);     /* (含团队成员) */
    zhs_document_free(doc);
}

static void item_heading_gets_the_departments_closing_its_item(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("002_63669fec260b4861.txt");
    ASSERT_DEPTS(doc, 103, "市科技创新委/l", "市发展改革委/p", "市教育局/p", "市财政局/p",
                 "市国土规划委/p", "市国资委/p", "市法制办/p", "市国税局/p", "市地税局/p",
                 "广州高新区管委会/p", "各区政府/p");
    ASSERT_DEPTS(doc, 147, "广州高新区管委会/l", "白云区政府/p", "越秀区政府/p", "天河区政府/p",
                 "南沙区政府/p");
    /* Item 16 runs on to a stray `专栏四.` after its parenthetical. */
    ASSERT_DEPTS(doc, 239, "市发展改革委/l", "市工业和信息化委/p", "市科技创新委/p",
                 "市商务委/p", "广州高新区管委会/p", "各区政府/p");
    ASSERT_NO_DEPTS(doc, 247);
    /* A sub-section made of items is not closed by its last item's parenthetical. */
    ASSERT_NO_DEPTS(doc, 99);
    ASSERT_NO_DEPTS(doc, 171);
    zhs_document_free(doc);
}

static void subsection_heading_gets_the_departments_closing_it(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("002_63669fec260b4861.txt");
    ASSERT_DEPTS(doc, 331, "市科技创新委/l", "市委组织部/p", "市编办/p", "广州高新区管委会/p",
                 "各区政府/p");
    ASSERT_DEPTS(doc, 347, "市工商局/l", "市科技创新委/l", "市财政局/l", "市政务办/l",
                 "广州高新区管委会/p", "各区政府/p");
    ASSERT_DEPTS(doc, 355, "领导小组办公室/l", "市委组织部/p", "各区政府/p");
    zhs_document_free(doc);

    doc = doc_test_parse_corpus("003_a2da86337d7ff50c.txt");
    ASSERT_DEPTS(doc, 16, "市科技局/r");
    ASSERT_NO_DEPTS(doc, 18);     /* three lines of (二) name different departments */
    ASSERT_NO_DEPTS(doc, 2);      /* item 2 holds two parentheticals */
    ASSERT_NO_DEPTS(doc, 25);
    zhs_document_free(doc);
}

static void whole_section_note_covers_its_section(void)
{
    zhs_document_t *doc = doc_test_parse_text(
        "scope.txt", "一、总体要求\n1.甲项工作。\n2.乙项工作。(本部分工作由市科技局牵头,"
                     "市财政局等部门参与)\n二、其他\n3.丙项工作。\n");
    for (unsigned line = 1; line <= 3; line++)
        ASSERT_DEPTS(doc, line, "市科技局/l", "市财政局/p");
    ASSERT_NO_DEPTS(doc, 4);
    ASSERT_NO_DEPTS(doc, 5);
    zhs_document_free(doc);
}

static void whole_section_note_in_the_middle_covers_only_its_item(void)
{
    zhs_document_t *doc = doc_test_parse_text(
        "scope.txt", "一、总体要求\n1.甲项工作。(本部分工作由市科技局负责)\n2.乙项工作。\n");
    ASSERT_NO_DEPTS(doc, 1);
    ASSERT_DEPTS(doc, 2, "市科技局/l");
    ASSERT_NO_DEPTS(doc, 3);
    zhs_document_free(doc);
}

static void section_with_several_notes_shares_none(void)
{
    zhs_document_t *doc = doc_test_parse_corpus("001_fd8bcf01d029cd12.txt");
    ASSERT_NO_DEPTS(doc, 9);      /* section 一: items 4 and 5 each have their own */
    ASSERT_NO_DEPTS(doc, 13);
    ASSERT_NO_DEPTS(doc, 25);
    zhs_document_free(doc);
}

static void role_names(void)
{
    ZHS_ASSERT_STR(zhs_role_name(ZHS_ROLE_LEAD), "lead");
    ZHS_ASSERT_STR(zhs_role_name(ZHS_ROLE_PARTNER), "partner");
    ZHS_ASSERT_STR(zhs_role_name(ZHS_ROLE_RESPONSIBLE), "responsible");
}

static CU_TestInfo department_tests[] = {
    {"lead and partners with 等部门", lead_and_partners_with_etc_departments},
    {"dropped 市 prefix is restored", dropped_city_prefix_is_restored},
    {"distributive suffix is expanded", distributive_suffix_is_expanded},
    {"Traditional 責任單位 list is simplified", traditional_responsible_list_is_simplified},
    {"several leads and 等 partners", several_leads_and_etc_partners},
    {"labelled lead and partner lists", labelled_lead_and_partner_lists},
    {"unclosed parenthesis before the note is skipped",
     unclosed_parenthesis_before_the_note_is_skipped},
    {"courts get the 市 prefix, group offices do not",
     courts_get_the_city_prefix_group_offices_do_not},
    {"市场监管局 gets its own 市 prefix", market_bureau_gets_its_own_city_prefix},
    {"two parentheticals in one line both count", two_parentheticals_in_one_line_both_count},
    {"corpus examples come out exactly", corpus_examples_come_out_exactly},
    {"inline 负责 notes are all leads", inline_responsibility_notes_are_all_leads},
    {"generic entries are dropped", generic_entries_are_dropped},
    {"other parentheticals name no department", other_parentheticals_name_no_department},
    {"item heading gets the departments closing its item",
     item_heading_gets_the_departments_closing_its_item},
    {"sub-section heading gets the departments closing it",
     subsection_heading_gets_the_departments_closing_it},
    {"本部分 note covers its section", whole_section_note_covers_its_section},
    {"本部分 note in the middle covers only its item",
     whole_section_note_in_the_middle_covers_only_its_item},
    {"section with several notes shares none", section_with_several_notes_shares_none},
    {"role names", role_names},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"departments", NULL, NULL, NULL, NULL, department_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
