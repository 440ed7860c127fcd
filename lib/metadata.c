/* Document metadata from the text itself: the title line (`…关于…的通知`), the
 * publication date (labelled `发布时间:`/`颁布时间:`/`时间:` first, then unlabelled
 * `…印发` or signature dates), the document number (`穗府〔2016〕13号`) and the
 * issuers (`发布单位:`, `来源:`, or named in the title before `关于`). */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"

/* Date ranks: lower wins. */
enum {
    RANK_PUBLISHED = 1,   /* 发布时间, 颁布时间, 印发日期 … */
    RANK_TIME = 2,        /* 时间, 日期 */
    RANK_WRITTEN = 3,     /* 成文日期, 生效日期 */
    RANK_ISSUED_LINE = 4, /* a `2016年8月12日印发` line */
    RANK_DATE_LINE = 5,   /* a line holding only a date (the signature date) */
    RANK_ADOPTED = 6,     /* `(2017年6月30日…会议通过)` */
    RANK_NONE = INT_MAX,
};

typedef struct {
    const char *label;
    int rank;
} date_label_t;

static const date_label_t date_labels[] = {
    {"颁布时间", RANK_PUBLISHED}, {"发布时间", RANK_PUBLISHED}, {"发布日期", RANK_PUBLISHED},
    {"印发日期", RANK_PUBLISHED}, {"发文日期", RANK_PUBLISHED}, {"公布日期", RANK_PUBLISHED},
    {"时间", RANK_TIME},          {"日期", RANK_TIME},          {"成文日期", RANK_WRITTEN},
    {"生效日期", RANK_WRITTEN},
};
static const char *const number_labels[] = {"文号", "发文字号", "发文号", NULL};
static const char *const issuer_labels[] = {
    "发布单位", "发文单位", "发文机关", "发布机构", "发布机关", NULL};
static const char *const source_labels[] = {"来源", "信息来源", "文章来源", NULL};

/* Kinds of document a title ends with. */
static const char *const title_kinds[] = {
    "决定", "通知", "决议", "方案", "意见", "办法", "规定", "条例", "规划", "细则", "纲要",
    "计划", "通告", "公告", "批复", "报告", "函", "指引", "措施", "规则", "通报", "指南",
    "公报", "章程", "目录", "清单", NULL};
/* Endings of an issuing body's name, and the starts of one, for splitting
 * `中共广州市委广州市人民政府` into its two issuers. */
static const char *const issuer_ends[] = {
    "委", "政府", "会", "厅", "办公室", "局", "部", "院", "署", "办", NULL};
static const char *const issuer_starts[] = {"中共", "中国共产党", "国务院", "中央", NULL};

void doc_meta_release(doc_meta_t *m)
{
    if (!m)
        return;
    free(m->doc_number);
    doc_strlist_release(&m->issuers_label);
    doc_strlist_release(&m->issuers_source);
    memset(m, 0, sizeof *m);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads 1..max digits at *p into *v. */
static bool read_number(const char **p, int max, int *v)
{
    int n = 0, val = 0;
    while (n < max && is_digit(**p)) {
        val = val * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    if (n == 0 || is_digit(**p))
        return false;
    *v = val;
    return true;
}

/* One separator of a date: `-`, `/`, `.` or the given Chinese unit (`年`, `月`). */
static bool read_sep(const char **p, const char *unit)
{
    if (**p == '-' || **p == '/' || **p == '.') {
        (*p)++;
        return true;
    }
    if (doc_starts_with(*p, unit)) {
        *p += strlen(unit);
        return true;
    }
    return false;
}

static size_t date_at(const char *s, char out[11])
{
    const char *p = s;
    int y, mo, d;
    if (!read_number(&p, 4, &y) || p - s != 4 || !read_sep(&p, "年") ||
        !read_number(&p, 2, &mo) || !read_sep(&p, "月") || !read_number(&p, 2, &d))
        return 0;
    if (y < 1949 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return 0;
    if (doc_starts_with(p, "日"))
        p += strlen("日");
    snprintf(out, 11, "%04d-%02d-%02d", y, mo, d);
    return (size_t)(p - s);
}

size_t doc_date_parse(const char *s, size_t within, char out[11])
{
    for (size_t i = 0; s[i] && i <= within; i++) {
        if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1])))
            continue;
        size_t n = date_at(s + i, out);
        if (n)
            return i + n;
    }
    return 0;
}

static void set_date(doc_meta_t *m, const char date[11], int rank)
{
    if (!m->date[0] || rank < m->date_rank) {
        memcpy(m->date, date, 11);
        m->date_rank = rank;
    }
}

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static bool add_issuer_piece(void *list, const char *s, size_t n)
{
    return doc_issuer_add(list, s, n);
}

/* Adds every name of a list value (`广州市人民政府 广州市财政局`, `A、B`). */
static bool add_issuers(doc_strlist_t *l, const char *v, size_t n)
{
    static const char *const seps[] = {" ", "\t", "、", ",", ";", NULL};
    return doc_split_each(v, n, seps, add_issuer_piece, l);
}

bool doc_meta_read_labels(doc_meta_t *m, const char *norm)
{
    doc_label_t pairs[8];
    size_t n = doc_labels_split(norm, pairs, 8);
    for (size_t i = 0; i < n; i++) {
        const doc_label_t *p = &pairs[i];
        if (p->value_nbytes == 0)
            continue;
        for (size_t k = 0; k < sizeof date_labels / sizeof date_labels[0]; k++) {
            char date[11];
            if (strcmp(p->label, date_labels[k].label) == 0 && doc_date_parse(p->value, 0, date))
                set_date(m, date, date_labels[k].rank);
        }
        if (in_list(p->label, number_labels) && !m->doc_number &&
            !(m->doc_number = doc_strndup(p->value, p->value_nbytes)))
            return false;
        if (in_list(p->label, issuer_labels) &&
            !add_issuers(&m->issuers_label, p->value, p->value_nbytes))
            return false;
        if (in_list(p->label, source_labels) &&
            !add_issuers(&m->issuers_source, p->value, p->value_nbytes))
            return false;
    }
    return true;
}

/* `穗府〔2016〕13号`, `穗府办函[2019]5号`: Han characters, a bracketed year, a
 * number, `号`, and nothing else. */
bool doc_is_doc_number(const char *s)
{
    static const char *const open[] = {"〔", "[", "(", "【", NULL};
    static const char *const close[] = {"〕", "]", ")", "】", NULL};
    const char *p = s;
    size_t han = 0, len;
    while (*p && (unsigned char)*p >= 0x80 && !doc_starts_with_any(p, open)) {
        doc_utf8_next(p, &len);
        p += len;
        han++;
    }
    if (han == 0 || han > 12 || !(len = doc_starts_with_any(p, open)))
        return false;
    p += len;
    int year, num;
    if (!read_number(&p, 4, &year) || !(len = doc_starts_with_any(p, close)))
        return false;
    p += len;
    if (!read_number(&p, 5, &num))
        return false;
    return strcmp(p, "号") == 0;
}

bool doc_meta_read_content(doc_meta_t *m, const char *norm)
{
    static const char *const issued[] = {"印发", "发布", "签发", "公布", NULL};
    static const char *const adopted[] = {"通过)", "批准)", "修订)", "修正)", NULL};
    char date[11];
    size_t n = doc_date_parse(norm, 0, date);
    if (n) {
        const char *rest = norm + n;
        if (!*rest)
            set_date(m, date, RANK_DATE_LINE);
        else if (in_list(rest, issued))
            set_date(m, date, RANK_ISSUED_LINE);
    } else if (norm[0] == '(' && doc_date_parse(norm + 1, 0, date)) {
        for (const char *const *a = adopted; *a; a++)
            if (doc_ends_with(norm, *a))
                set_date(m, date, RANK_ADOPTED);
    }
    if (!m->doc_number && doc_is_doc_number(norm) && !(m->doc_number = strdup(norm)))
        return false;
    return true;
}

bool doc_is_colophon(const char *norm)
{
    char date[11];
    size_t n = doc_date_parse(norm, 0, date);
    if (n)
        return strcmp(norm + n, "印发") == 0 || strcmp(norm + n, "印") == 0;
    return doc_ends_with(norm, "秘书处") && doc_nchars(norm) <= 20 && !strchr(norm, ' ');
}

bool doc_is_title(const char *norm)
{
    static const char *const bad_ends[] = {"。", ";", ",", ":", "!", "?", "、", NULL};
    size_t nchars = doc_nchars(norm);
    if (nchars < 4 || nchars > 120 || strstr(norm, "。") || norm[0] == '(' ||
        is_digit(norm[0]) || doc_heading_level(norm, &(size_t){0}) || doc_is_item(norm))
        return false;
    for (const char *const *e = bad_ends; *e; e++)
        if (doc_ends_with(norm, *e))
            return false;
    /* A title may end with a parenthetical: `…方案(2016—2020年)`, `…办法(试行)`. */
    size_t end = strlen(norm);
    if (norm[end - 1] == ')') {
        const char *open = strrchr(norm, '(');
        if (!open || open == norm)
            return false;
        end = (size_t)(open - norm);
    }
    bool kind = false;
    for (const char *const *k = title_kinds; *k && !kind; k++) {
        size_t kl = strlen(*k);
        kind = end >= kl && memcmp(norm + end - kl, *k, kl) == 0;
    }
    return kind && (strstr(norm, "关于") || nchars <= 50);
}

static const char *const issuer_canon[][2] = {
    {"人民代表大会常务委员会", "人大常委会"},
    {"中国共产党", "中共"},
};

bool doc_issuer_add(doc_strlist_t *out, const char *s, size_t n)
{
    s = doc_trim(s, &n);
    if (n == 0)
        return true;
    char buf[512];
    if (n >= sizeof buf)
        return doc_strlist_add(out, s, n);
    size_t w = 0;
    for (size_t r = 0; r < n;) {
        bool replaced = false;
        for (size_t k = 0; k < sizeof issuer_canon / sizeof issuer_canon[0]; k++) {
            size_t fl = strlen(issuer_canon[k][0]), tl = strlen(issuer_canon[k][1]);
            if (r + fl <= n && memcmp(s + r, issuer_canon[k][0], fl) == 0) {
                memcpy(buf + w, issuer_canon[k][1], tl);   /* never longer than fl */
                w += tl;
                r += fl;
                replaced = true;
                break;
            }
        }
        if (!replaced)
            buf[w++] = s[r++];
    }
    return doc_strlist_add(out, buf, w);
}

/* Does a new issuing body start at s: `中共…`, `国务院`, or a place `广州市`, `广东省`? */
static bool issuer_starts_at(const char *s)
{
    if (doc_starts_with_any(s, issuer_starts))
        return true;
    static const char *const place_ends[] = {"省", "市", "区", "县", NULL};
    const char *p = s;
    for (int i = 0; i < 4 && *p && (unsigned char)*p >= 0x80; i++) {
        size_t len;
        doc_utf8_next(p, &len);
        p += len;
        if (i >= 1 && doc_starts_with_any(p, place_ends))
            return true;
    }
    return false;
}

static bool split_issuers(void *list, const char *s, size_t n)
{
    doc_strlist_t *out = list;
    const char *start = s, *end = s + n;
    for (const char *p = s; p < end;) {
        size_t len;
        doc_utf8_next(p, &len);
        p += len;
        if (p >= end)
            break;
        for (const char *const *e = issuer_ends; *e; e++) {
            size_t el = strlen(*e);
            if ((size_t)(p - start) > el && memcmp(p - el, *e, el) == 0 && issuer_starts_at(p)) {
                if (!doc_issuer_add(out, start, (size_t)(p - start)))
                    return false;
                start = p;
                break;
            }
        }
    }
    return doc_issuer_add(out, start, (size_t)(end - start));
}

bool doc_title_issuers(const char *norm_title, doc_strlist_t *out)
{
    static const char *const seps[] = {" ", "、", ",", NULL};
    const char *about = strstr(norm_title, "关于");
    if (!about || about == norm_title)
        return true;
    return doc_split_each(norm_title, (size_t)(about - norm_title), seps, split_issuers, out);
}
