/* One generated policy document, in the forms of the seed corpus: a decision published
 * on a web page (点击数 … 发布时间:2009/11/17 15:05:57), a notice carrying a plan (文 号 …
 * 颁布时间: 2016-08-12), a congress resolution (时间:2017-06-30 来源:…), or a bare plan
 * whose items name responsible departments. Every line is recorded as boilerplate or as
 * a passage with its section, sub-section and departments, which is what the manifest
 * (the benchmarks' ground truth) reports. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

enum { FORM_WEB_DECISION, FORM_NOTICE, FORM_RESOLUTION, FORM_PLAN };

typedef struct {
    gen_doc_t *doc;
    const gen_text_t *text;
    gen_rng_t *rng;
    const char *indent;       /* this document's paragraph indentation */
    const char *blank;        /* its blank line ("\n" alone, a space, a no-break space), or NULL */
    char section[256];        /* current section name (facet value), "" before the first */
    char subsection[256];
    char city[32];            /* 广州市, 广东省 */
    int item;                 /* last item number */
    int month, day;
    /* A `(本部分工作由…)` note that ends a section and is its only one speaks for the
     * whole section: its passages without departments get the note's. */
    int in_section;
    size_t section_first;     /* first passage of the current section */
    int scope_notes;          /* 本部分 notes in the current section */
    int note_is_scope;        /* the note just written is a 本部分 one */
    int last_is_scope;        /* the last passage ends with a 本部分 note */
    gen_buf_t scope_depts;    /* the departments of the last 本部分 note */
} builder_t;

static const char *const standard_headings[] = {
    "指导思想", "基本原则", "主要目标", "发展目标", "主要任务", "重点任务", "保障措施", "组织实施",
    "工作要求", "总体要求", "战略定位", "实施保障", "主要任务及分工", "工作目标", "政策措施",
    "空间布局", "发展重点", "组织领导", "监督考核", "附则",
};

/* ---------------------------------------------------------------- lines */

static void add_line(builder_t *b, const char *indent, const char *text, const char *depts,
                     int passage)
{
    gen_doc_t *doc = b->doc;
    gen_buf_adds(&doc->text, indent);
    gen_buf_adds(&doc->text, text);
    gen_buf_add(&doc->text, "\n", 1);
    doc->nlines++;
    if (!passage)
        return;
    if (doc->npassages == doc->cap) {
        doc->cap = doc->cap ? doc->cap * 2 : 64;
        doc->passages = gen_xrealloc(doc->passages, doc->cap * sizeof *doc->passages);
    }
    doc->passages[doc->npassages].line = doc->nlines;
    doc->passages[doc->npassages].meta = (uint32_t)doc->meta.len;
    doc->passages[doc->npassages].number = 0;
    doc->npassages++;
    gen_buf_addf(&doc->meta, "%s\t%s\t%s", b->section, b->subsection, depts ? depts : "");
    gen_buf_add(&doc->meta, "", 1);
    if (b->note_is_scope) {
        b->scope_notes++;
        b->scope_depts.len = 0;
        gen_buf_adds(&b->scope_depts, depts);
    }
    b->last_is_scope = b->note_is_scope;
    b->note_is_scope = 0;
}

/* Ends the current section: a lone 本部分 note on its last passage covers it. */
static void close_section(builder_t *b)
{
    gen_doc_t *doc = b->doc;
    if (b->in_section && b->scope_notes == 1 && b->last_is_scope) {
        for (size_t i = b->section_first; i < doc->npassages; i++) {
            const char *meta = doc->meta.data + doc->passages[i].meta;
            const char *tab = strchr(meta, '\t');
            const char *depts = tab ? strchr(tab + 1, '\t') : NULL;
            if (!depts || depts[1])
                continue;
            uint32_t at = (uint32_t)doc->meta.len;
            gen_buf_add(&doc->meta, meta, (size_t)(depts + 1 - meta));   /* may move meta */
            gen_buf_adds(&doc->meta, b->scope_depts.data);
            gen_buf_add(&doc->meta, "", 1);
            doc->passages[i].meta = at;
        }
    }
    b->in_section = 0;
}

static void passage(builder_t *b, const char *text, const char *depts)
{
    add_line(b, b->indent, text, depts, 1);
}

static void boiler(builder_t *b, const char *text)
{
    add_line(b, "", text, NULL, 0);
}

/* A label line giving the document number: the indexer makes the number a passage. */
static void number_line(builder_t *b, const char *text)
{
    add_line(b, "", text, NULL, 1);
    b->doc->passages[b->doc->npassages - 1].number = 1;
}

static void blank(builder_t *b)
{
    if (b->blank)
        add_line(b, "", b->blank, NULL, 0);
}

/* ---------------------------------------------------------------- prose */

/* One sentence: from the seed corpus, from the prose body, or spliced from clauses. */
static void sentence(builder_t *b, gen_buf_t *out)
{
    unsigned r = gen_rng_below(b->rng, 100);
    if (r < 30) {
        gen_buf_adds(out, gen_pool_pick(&b->text->policy, b->rng));
    } else if (r < 75) {
        gen_buf_adds(out, gen_pool_pick(&b->text->prose, b->rng));
    } else {
        int k = gen_rng_range(b->rng, 2, 3);
        for (int i = 0; i < k; i++) {
            if (i)
                gen_buf_adds(out, gen_rng_chance(b->rng, 70) ? "," : "，");
            gen_buf_adds(out, gen_pool_pick(&b->text->clauses, b->rng));
        }
        gen_buf_adds(out, "。");
    }
}

static void sentences(builder_t *b, gen_buf_t *out, int lo, int hi)
{
    for (int n = gen_rng_range(b->rng, lo, hi); n > 0; n--)
        sentence(b, out);
}

/* A short topic phrase: 加快推进科技成果转化 / 提升核心竞争能力. */
static void topic(builder_t *b, gen_buf_t *out)
{
    if (gen_rng_chance(b->rng, 60)) {
        gen_buf_adds(out, gen_verbs[gen_rng_below(b->rng, (uint32_t)gen_nverbs)]);
        gen_buf_adds(out, gen_domains[gen_rng_below(b->rng, (uint32_t)gen_ndomains)]);
    } else {
        gen_buf_adds(out, gen_aims[gen_rng_below(b->rng, (uint32_t)gen_naims)]);
    }
}

/* ---------------------------------------------------------------- departments */

/* A department index skewed towards the head of the list, as real plans name the same
 * few bureaux again and again. */
static size_t pick_department(builder_t *b)
{
    uint64_t r = gen_rng_below(b->rng, 1u << 16);
    return (size_t)((r * r * gen_ndepartments) >> 32);
}

/* The name as written: later names in a list often drop the 市 (市财政局 -> 财政局), except
 * where that would leave a different word (市委…, 市府…, 市人…). */
static const char *written(builder_t *b, const char *name, int later)
{
    if (later && strncmp(name, "市", 3) == 0 && strncmp(name, "市委", 6) != 0 &&
        strncmp(name, "市府", 6) != 0 && strncmp(name, "市人", 6) != 0 &&
        gen_rng_chance(b->rng, 50))
        return name + 3;
    return name;
}

/* Appends a department parenthetical to text and its ground truth to meta. */
static void departments(builder_t *b, gen_buf_t *text, gen_buf_t *meta, int responsible_form)
{
    size_t picked[6];
    int n = gen_rng_range(b->rng, 1, 5);
    for (int i = 0; i < n; i++) {
        size_t d;
        int again;
        do {
            d = pick_department(b);
            again = 0;
            for (int j = 0; j < i; j++)
                again |= picked[j] == d;
        } while (again);
        picked[i] = d;
    }
    int form = responsible_form ? 3 : (int)gen_rng_below(b->rng, 5);
    b->note_is_scope = form <= 1;
    int nlead = form == 3 ? 0 : form == 4 ? gen_rng_range(b->rng, 1, n) : 1;
    if (form == 1 || (form == 2 && n == 1))
        nlead = n;
    meta->len = 0;
    for (int i = 0; i < n; i++)
        gen_buf_addf(meta, "%s%s:%s", i ? "|" : "", gen_departments[picked[i]],
                     form == 3 ? "responsible" : i < nlead ? "lead" : "partner");
    const char *sep = gen_rng_chance(b->rng, 80) ? "," : "，";
    switch (form) {
    case 0: /* (本部分工作由市科技局牵头,市经贸委、市信息办等部门参与) */
    case 1: /* (本部分工作由市科技局负责) */
        gen_buf_addf(text, "(本部分工作由%s", gen_departments[picked[0]]);
        if (form == 1) {
            for (int i = 1; i < n; i++)
                gen_buf_addf(text, "、%s", gen_departments[picked[i]]);
            gen_buf_adds(text, "负责)");
            break;
        }
        gen_buf_addf(text, "牵头%s", n > 1 ? sep : "");
        for (int i = 1; i < n; i++)
            gen_buf_addf(text, "%s%s", i > 1 ? "、" : "", gen_departments[picked[i]]);
        gen_buf_adds(text, n > 1 ? "等部门参与)" : ")");
        break;
    case 3: /* (责任单位:市科技局,市委外办,市商务局、市场监管局) */
        gen_buf_adds(text, "(责任单位:");
        for (int i = 0; i < n; i++)
            gen_buf_addf(text, "%s%s", i == 0 ? "" : gen_rng_chance(b->rng, 60) ? "、" : sep,
                         written(b, gen_departments[picked[i]], i > 0));
        gen_buf_adds(text, ")");
        break;
    default: /* (市工商局、科技创新委牵头,广州高新区管委会、各区政府等配合) */
        gen_buf_adds(text, "(");
        for (int i = 0; i < nlead; i++)
            gen_buf_addf(text, "%s%s", i ? "、" : "", written(b, gen_departments[picked[i]], i > 0));
        gen_buf_adds(text, "牵头");
        if (nlead < n) {
            gen_buf_adds(text, sep);
            for (int i = nlead; i < n; i++)
                gen_buf_addf(text, "%s%s", i > nlead ? "、" : "",
                             written(b, gen_departments[picked[i]], 1));
            gen_buf_adds(text, gen_rng_chance(b->rng, 50) ? "等配合)" : "配合)");
        } else {
            gen_buf_adds(text, ")");
        }
    }
}

/* ---------------------------------------------------------------- structure */

static void heading_name(builder_t *b, gen_buf_t *out)
{
    unsigned r = gen_rng_below(b->rng, 100);
    if (r < 35) {
        gen_buf_adds(out, gen_pool_pick(&b->text->headings, b->rng));
    } else if (r < 60) {
        gen_buf_adds(out, GEN_PICK(b->rng, standard_headings));
    } else if (r < 85) {
        topic(b, out);
    } else {
        topic(b, out);
        gen_buf_adds(out, ",");
        gen_buf_adds(out, gen_aims[gen_rng_below(b->rng, (uint32_t)gen_naims)]);
    }
}

static void set_name(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* A numbered item: `12.支持企业组建技术联盟。…(本部分工作由…)`, maybe with (1)(2) lines. */
static void item(builder_t *b, int with_departments, int responsible_form)
{
    gen_buf_t line = {0}, meta = {0};
    gen_buf_addf(&line, "%d.", ++b->item);
    topic(b, &line);
    gen_buf_adds(&line, "。");
    int subitems = gen_rng_chance(b->rng, 12) ? gen_rng_range(b->rng, 2, 4) : 0;
    if (subitems) {
        passage(b, line.data, NULL);
        blank(b);
        for (int i = 1; i <= subitems; i++) {
            line.len = 0;
            gen_buf_addf(&line, "(%d)", i);
            topic(b, &line);
            gen_buf_adds(&line, "。");
            sentences(b, &line, 1, 4);
            passage(b, line.data, NULL);
            blank(b);
        }
    } else {
        sentences(b, &line, 1, 4);
        if (with_departments && gen_rng_chance(b->rng, 70))
            departments(b, &line, &meta, responsible_form);
        passage(b, line.data, meta.len ? meta.data : NULL);
        blank(b);
    }
    gen_buf_release(&line);
    gen_buf_release(&meta);
}

static void paragraph(builder_t *b, int lo, int hi)
{
    gen_buf_t line = {0};
    sentences(b, &line, lo, hi);
    passage(b, line.data, NULL);
    blank(b);
    gen_buf_release(&line);
}

/* `(一)创新驱动发展引领区。…` and what follows it. */
static void subsection(builder_t *b, int number, int items)
{
    gen_buf_t name = {0}, line = {0}, meta = {0};
    char num[16];
    gen_words_numeral(number, num, sizeof num);
    heading_name(b, &name);
    set_name(b->subsection, sizeof b->subsection, name.data);
    gen_buf_addf(&line, "(%s)%s。", num, name.data);
    int inline_text = !items && gen_rng_chance(b->rng, 60);
    if (inline_text) {
        sentences(b, &line, 1, 5);
        if (gen_rng_chance(b->rng, 50))
            departments(b, &line, &meta, b->doc->traditional && gen_rng_chance(b->rng, 70));
    }
    passage(b, line.data, meta.len ? meta.data : NULL);
    blank(b);
    if (items)
        for (int n = gen_rng_range(b->rng, 2, 4); n > 0; n--)
            item(b, 1, b->doc->traditional);
    else if (!inline_text)
        for (int n = gen_rng_range(b->rng, 1, 3); n > 0; n--)
            paragraph(b, 2, 6);
    gen_buf_release(&name);
    gen_buf_release(&line);
    gen_buf_release(&meta);
}

static void section(builder_t *b, int number)
{
    gen_buf_t name = {0}, line = {0};
    char num[16];
    close_section(b);
    b->in_section = 1;
    b->section_first = b->doc->npassages;
    b->scope_notes = 0;
    gen_words_numeral(number, num, sizeof num);
    heading_name(b, &name);
    set_name(b->section, sizeof b->section, name.data);
    b->subsection[0] = '\0';
    gen_buf_addf(&line, "%s、%s", num, name.data);
    passage(b, line.data, NULL);
    blank(b);
    if (gen_rng_chance(b->rng, 50))
        b->item = 0;
    unsigned shape = gen_rng_below(b->rng, 100);
    if (shape < 25) {
        for (int n = gen_rng_range(b->rng, 1, 3); n > 0; n--)
            paragraph(b, 2, 5);
    } else if (shape < 55) {
        int items = gen_rng_chance(b->rng, 30);
        for (int i = 1, n = gen_rng_range(b->rng, 2, 4); i <= n; i++)
            subsection(b, i, items);
    } else {
        if (gen_rng_chance(b->rng, 30))
            paragraph(b, 1, 3);
        for (int n = gen_rng_range(b->rng, 2, 5); n > 0; n--)
            item(b, 1, b->doc->traditional && gen_rng_chance(b->rng, 70));
    }
    gen_buf_release(&name);
    gen_buf_release(&line);
}

/* A resolution's section: heading and its text on one line (`一、科学部署,…。一要…`). */
static void resolution_section(builder_t *b, int number)
{
    static const char *const ordinals[] = {"一要", "二要", "三要", "四要"};
    gen_buf_t name = {0}, line = {0};
    char num[16];
    gen_words_numeral(number, num, sizeof num);
    topic(b, &name);
    gen_buf_adds(&name, ",");
    topic(b, &name);
    set_name(b->section, sizeof b->section, name.data);
    gen_buf_addf(&line, "%s、%s。", num, name.data);
    for (int i = 0, n = gen_rng_range(b->rng, 2, 4); i < n; i++) {
        gen_buf_adds(&line, ordinals[i]);
        topic(b, &line);
        gen_buf_adds(&line, "。");
        sentences(b, &line, 1, 3);
    }
    passage(b, line.data, NULL);
    blank(b);
    gen_buf_release(&name);
    gen_buf_release(&line);
}

static void body(builder_t *b)
{
    for (int i = 1, n = gen_rng_range(b->rng, 2, 6); i <= n; i++)
        section(b, i);
}

/* ---------------------------------------------------------------- metadata */

static void pick_city(builder_t *b, const char *issuer)
{
    if (strncmp(issuer, "中共", 6) == 0)
        issuer += 6;
    const char *end = strstr(issuer, "市");
    const char *prov = strstr(issuer, "省");
    if (!end || (prov && prov < end))
        end = prov;
    size_t n = end ? (size_t)(end - issuer) + 3 : 0;
    if (n >= sizeof b->city)
        n = 0;
    memcpy(b->city, issuer, n);
    b->city[n] = '\0';
}

static void opening(builder_t *b, const char *kind)
{
    gen_buf_t line = {0};
    gen_buf_adds(&line, "为");
    gen_buf_adds(&line, gen_pool_pick(&b->text->clauses, b->rng));
    gen_buf_adds(&line, ",");
    gen_buf_adds(&line, gen_pool_pick(&b->text->clauses, b->rng));
    gen_buf_adds(&line, ",现就");
    topic(b, &line);
    gen_buf_addf(&line, "%s如下%s。", strcmp(kind, "决定") == 0 ? "作出" : "提出", kind);
    passage(b, line.data, NULL);
    blank(b);
    gen_buf_release(&line);
}

static void footer(builder_t *b)
{
    gen_buf_t line = {0};
    static const char *const roads[] = {"揽月", "府前", "东风中", "环市东", "天河北", "科学大道", "越秀南"};
    gen_buf_addf(&line, "地址:%s%s路%d号", b->city, GEN_PICK(b->rng, roads), gen_rng_range(b->rng, 1, 300));
    boiler(b, line.data);
    blank(b);
    line.len = 0;
    gen_buf_addf(&line, "电话:86-20-%08d 传真:86-20-%08d", gen_rng_range(b->rng, 10000000, 99999999),
                 gen_rng_range(b->rng, 10000000, 99999999));
    boiler(b, line.data);
    blank(b);
    line.len = 0;
    gen_buf_addf(&line, "粤ICP备%08d号粤公网安备 %014lld号", gen_rng_range(b->rng, 10000000, 99999999),
                 (long long)gen_rng_range(b->rng, 100000000, 999999999) * 100000LL);
    boiler(b, line.data);
    gen_buf_release(&line);
}

static void web_decision(builder_t *b, const char *kind, int hour, int minute, int second)
{
    gen_buf_t line = {0};
    passage(b, b->doc->title, NULL);
    boiler(b, "");
    gen_buf_addf(&line, "点击数:%d 发布时间:%04d/%02d/%02d %02d:%02d:%02d 发布者:admin",
                 gen_rng_range(b->rng, 10, 9999), b->doc->year, b->month, b->day, hour, minute,
                 second);
    boiler(b, line.data);
    boiler(b, "");
    opening(b, kind);
    body(b);
    boiler(b, "");
    footer(b);
    gen_buf_release(&line);
}

static void notice(builder_t *b, const char *plan_title, const char *period)
{
    gen_doc_t *doc = b->doc;
    gen_buf_t line = {0};
    passage(b, doc->title, NULL);
    blank(b);
    passage(b, doc->title, NULL);
    blank(b);
    gen_buf_addf(&line, "文 号:  %s%*s颁布时间:%*s%s", doc->doc_number,
                 gen_rng_range(b->rng, 1, 32), "", gen_rng_range(b->rng, 1, 5), "", doc->date);
    number_line(b, line.data);
    blank(b);
    line.len = 0;
    gen_buf_addf(&line, "发布单位:     %s", doc->issuer);
    boiler(b, line.data);
    blank(b);
    passage(b, "各区人民政府,市政府各部门、各直属机构:", NULL);
    blank(b);
    line.len = 0;
    gen_buf_addf(&line, "《%s%s》已经市人民政府同意,现印发给你们,请认真贯彻执行。执行过程中遇到的问题,"
                 "请径向%s反映。", plan_title, period, gen_departments[pick_department(b)]);
    passage(b, line.data, NULL);
    blank(b);
    add_line(b, "                                   ", doc->issuer, NULL, 1);
    line.len = 0;
    int sign_day = b->day > 14 ? b->day - 14 : 1;
    gen_buf_addf(&line, "%d年%d月%d日", doc->year, b->month, sign_day);
    passage(b, line.data, NULL);
    blank(b);
    passage(b, plan_title, NULL);
    if (*period)
        passage(b, period, NULL);
    blank(b);
    paragraph(b, 2, 4);
    body(b);
    line.len = 0;
    gen_buf_addf(&line, "%s办公厅秘书处        ", b->city);
    boiler(b, line.data);
    line.len = 0;
    gen_buf_addf(&line, "      %d年%d月%d日印发", doc->year, b->month, b->day);
    boiler(b, line.data);
    gen_buf_release(&line);
}

static void resolution(builder_t *b)
{
    gen_doc_t *doc = b->doc;
    gen_buf_t line = {0};
    boiler(b, "欢迎您,下午好  ");
    boiler(b, "");
    boiler(b, "首页 > 人大会议 > 常委会会议 > 决议决定");
    boiler(b, "");
    passage(b, doc->title, NULL);
    boiler(b, "");
    gen_buf_addf(&line, "时间:%s 来源:%s 字体:", doc->date, doc->issuer);
    boiler(b, line.data);
    boiler(b, "");
    char session[16], meeting[16];
    gen_words_numeral(gen_rng_range(b->rng, 10, 16), session, sizeof session);
    gen_words_numeral(gen_rng_range(b->rng, 1, 40), meeting, sizeof meeting);
    line.len = 0;
    gen_buf_addf(&line, "(%d年%d月%d日%s第%s届人民代表大会常务委员会第%s次会议通过)", doc->year,
                 b->month, b->day, b->city, session, meeting);
    passage(b, line.data, NULL);
    boiler(b, "");
    line.len = 0;
    gen_buf_addf(&line, "%s第%s届人民代表大会常务委员会第%s次会议听取和审议了", b->city, session, meeting);
    sentences(b, &line, 1, 3);
    passage(b, line.data, NULL);
    boiler(b, "");
    line.len = 0;
    gen_buf_adds(&line, "会议认为,");
    sentences(b, &line, 2, 5);
    passage(b, line.data, NULL);
    boiler(b, "");
    for (int i = 1, n = gen_rng_range(b->rng, 2, 6); i <= n; i++) {
        resolution_section(b, i);
        boiler(b, "");
    }
    boiler(b, "友情链接|");
    boiler(b, "");
    line.len = 0;
    gen_buf_addf(&line, "版权所有:%s办公厅", doc->issuer);
    boiler(b, line.data);
    boiler(b, "");
    footer(b);
    boiler(b, "总访问量 -");
    gen_buf_release(&line);
}

static void plan(builder_t *b, int dated)
{
    gen_doc_t *doc = b->doc;
    gen_buf_t line = {0};
    passage(b, doc->title, NULL);
    if (dated) {
        gen_buf_addf(&line, "颁布时间: %s", doc->date);
        boiler(b, line.data);
    }
    if (doc->doc_number[0]) {
        line.len = 0;
        gen_buf_addf(&line, "文 号: %s", doc->doc_number);
        number_line(b, line.data);
    }
    blank(b);
    paragraph(b, 2, 5);
    for (int i = 1, n = gen_rng_range(b->rng, 2, 6); i <= n; i++) {
        section(b, i);
        if (gen_rng_chance(b->rng, 40)) {   /* a dated target line, like 2019年,引进… */
            line.len = 0;
            gen_buf_addf(&line, "%d年,", doc->year + gen_rng_range(b->rng, 0, 3));
            sentences(b, &line, 1, 2);
            passage(b, line.data, NULL);
            blank(b);
        }
    }
    gen_buf_release(&line);
}

/* ---------------------------------------------------------------- the document */

void gen_doc_build(gen_doc_t *doc, const gen_text_t *text, gen_rng_t *rng)
{
    static const char *const indents[] = {"", "  ", "\u00a0\u00a0\u00a0 ", "\u3000\u3000"};
    static const char *const blanks[] = {"", " ", "\u00a0"};
    builder_t b = {.doc = doc, .text = text, .rng = rng};
    doc->text.len = doc->meta.len = 0;
    doc->npassages = 0;
    doc->nlines = 0;
    b.indent = GEN_PICK(rng, indents);
    b.blank = gen_rng_chance(rng, 25) ? NULL : GEN_PICK(rng, blanks);

    /* Issuer: Guangzhou's bodies half the time, like the seeds. */
    size_t ii = gen_rng_chance(rng, 50) ? gen_rng_below(rng, 4) : gen_rng_below(rng, (uint32_t)gen_nissuers);
    const gen_issuer_t *issuer = &gen_issuers[ii];
    int joint = issuer->kind == GEN_ISSUER_PARTY && ii + 1 < gen_nissuers && gen_rng_chance(rng, 30);
    pick_city(&b, issuer->name);
    snprintf(doc->issuer, sizeof doc->issuer, "%s%s%s", issuer->name, joint ? "|" : "",
             joint ? gen_issuers[ii + 1].name : "");

    doc->year = gen_rng_range(rng, 2000, 2025);
    b.month = gen_rng_range(rng, 1, 12);
    b.day = gen_rng_range(rng, 1, 28);
    snprintf(doc->date, sizeof doc->date, "%04d-%02d-%02d", doc->year, b.month, b.day);
    doc->doc_number[0] = '\0';
    int numbered = gen_rng_chance(rng, 80);   /* printed by notices (always) and plans */
    snprintf(doc->doc_number, sizeof doc->doc_number, "%s〔%d〕%d号", issuer->doc_prefix,
             doc->year, gen_rng_range(rng, 1, 120));
    doc->traditional = gen_rng_chance(rng, 12);

    int form;
    const char *kind;
    switch (issuer->kind) {
    case GEN_ISSUER_CONGRESS:
        form = FORM_RESOLUTION;
        kind = gen_rng_chance(rng, 70) ? "决议" : "决定";
        break;
    case GEN_ISSUER_PARTY:
        form = FORM_WEB_DECISION;
        kind = gen_rng_chance(rng, 60) ? "决定" : "意见";
        break;
    default: {
        unsigned r = gen_rng_below(rng, 100);
        form = r < 45 ? FORM_NOTICE : r < 70 ? FORM_PLAN : FORM_WEB_DECISION;
        kind = form == FORM_NOTICE ? "通知" : form == FORM_PLAN ? "实施方案"
             : gen_rng_chance(rng, 50) ? "意见" : "决定";
    }
    }

    /* Title: <issuer>关于<topic>的<决定|通知|意见|实施方案|决议>. */
    gen_buf_t title = {0}, plan_title = {0};
    char period[64] = "";
    gen_buf_adds(&title, issuer->name);
    if (joint)
        gen_buf_adds(&title, gen_issuers[ii + 1].name);
    gen_buf_adds(&title, "关于");
    if (form == FORM_NOTICE) {
        gen_buf_adds(&plan_title, b.city);
        gen_buf_adds(&plan_title, gen_domains[gen_rng_below(rng, (uint32_t)gen_ndomains)]);
        gen_buf_adds(&plan_title, gen_plans[gen_rng_below(rng, (uint32_t)gen_nplans)]);
        if (gen_rng_chance(rng, 40))
            snprintf(period, sizeof period, "(%d—%d年)", doc->year, doc->year + 4);
        gen_buf_addf(&title, "印发%s%s", plan_title.data, period);
    } else {
        topic(&b, &title);
    }
    gen_buf_addf(&title, "的%s", kind);
    set_name(doc->title, sizeof doc->title, title.data);

    int dated = form != FORM_PLAN || gen_rng_chance(rng, 60);
    if (form == FORM_WEB_DECISION || form == FORM_RESOLUTION || (form == FORM_PLAN && !numbered))
        doc->doc_number[0] = '\0';
    switch (form) {
    case FORM_WEB_DECISION:
        web_decision(&b, kind, gen_rng_range(rng, 8, 18), gen_rng_range(rng, 0, 59),
                     gen_rng_range(rng, 0, 59));
        break;
    case FORM_NOTICE:
        notice(&b, plan_title.data, period);
        break;
    case FORM_RESOLUTION:
        resolution(&b);
        break;
    default:
        plan(&b, dated);
    }
    close_section(&b);
    if (!dated) {
        doc->date[0] = '\0';
        doc->year = 0;
    }
    gen_buf_release(&b.scope_depts);
    gen_buf_release(&title);
    gen_buf_release(&plan_title);
}

void gen_doc_release(gen_doc_t *doc)
{
    if (!doc)
        return;
    gen_buf_release(&doc->text);
    gen_buf_release(&doc->meta);
    free(doc->passages);
    doc->passages = NULL;
    doc->npassages = doc->cap = 0;
}
