/* Which lines of a scraped page are not content: site navigation, greetings, counters,
 * font and print controls, link lists, copyright and ICP lines, address and phone
 * footers, and the `label:value` metadata lines (`发布时间:`, `文 号:`) that are read
 * for metadata but are not passages. Lines arrive normalized (see doc_internal.h). */
#include "config.h"

#include <string.h>

#include "doc_internal.h"

typedef enum { LABEL_META, LABEL_FOOTER } label_kind_t;

typedef struct {
    const char *name;
    label_kind_t kind;
} label_def_t;

/* Labels that open a label line. The metadata ones are read by metadata.c. */
static const label_def_t labels[] = {
    {"文号", LABEL_META}, {"发文字号", LABEL_META}, {"发文号", LABEL_META},
    {"索引号", LABEL_META}, {"颁布时间", LABEL_META}, {"发布时间", LABEL_META},
    {"发布日期", LABEL_META}, {"成文日期", LABEL_META}, {"印发日期", LABEL_META},
    {"发文日期", LABEL_META}, {"公布日期", LABEL_META}, {"时间", LABEL_META},
    {"日期", LABEL_META}, {"发布单位", LABEL_META}, {"发文单位", LABEL_META},
    {"发文机关", LABEL_META}, {"发布机构", LABEL_META}, {"发布机关", LABEL_META},
    {"来源", LABEL_META}, {"信息来源", LABEL_META}, {"文章来源", LABEL_META},
    {"发布者", LABEL_META}, {"作者", LABEL_META}, {"编辑", LABEL_META},
    {"责任编辑", LABEL_META}, {"点击数", LABEL_META}, {"点击", LABEL_META},
    {"点击量", LABEL_META}, {"浏览次数", LABEL_META}, {"浏览量", LABEL_META},
    {"阅读次数", LABEL_META}, {"访问量", LABEL_META}, {"字体", LABEL_META},
    {"字号", LABEL_META}, {"主题分类", LABEL_META}, {"体裁分类", LABEL_META},
    {"主题词", LABEL_META}, {"生效日期", LABEL_META}, {"有效性", LABEL_META},
    {"分享到", LABEL_META},
    {"地址", LABEL_FOOTER}, {"通讯地址", LABEL_FOOTER}, {"联系地址", LABEL_FOOTER},
    {"办公地址", LABEL_FOOTER}, {"邮编", LABEL_FOOTER}, {"邮政编码", LABEL_FOOTER},
    {"电话", LABEL_FOOTER}, {"联系电话", LABEL_FOOTER}, {"咨询电话", LABEL_FOOTER},
    {"值班电话", LABEL_FOOTER}, {"传真", LABEL_FOOTER}, {"e-mail", LABEL_FOOTER},
    {"email", LABEL_FOOTER}, {"电子邮箱", LABEL_FOOTER}, {"邮箱", LABEL_FOOTER},
    {"电子邮件", LABEL_FOOTER}, {"主办单位", LABEL_FOOTER}, {"承办单位", LABEL_FOOTER},
    {"主办", LABEL_FOOTER}, {"承办", LABEL_FOOTER}, {"技术支持", LABEL_FOOTER},
    {"维护单位", LABEL_FOOTER}, {"网站维护", LABEL_FOOTER}, {"网站标识码", LABEL_FOOTER},
    {"版权所有", LABEL_FOOTER}, {"备案号", LABEL_FOOTER},
};

/* A label line longer than this is prose that happens to start like one. */
#define LABEL_LINE_MAX_NCHARS 160

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Matches label at s, allowing blanks between its characters (`文 号`) and before
 * the colon. Returns the bytes up to and including the colon, 0 when no match. */
static size_t label_match(const char *s, const char *label)
{
    const char *p = s;
    for (const char *l = label; *l;) {
        size_t len;
        doc_utf8_next(l, &len);
        if (strncmp(p, l, len) != 0)
            return 0;
        p += len;
        l += len;
        if (*l)
            while (is_space(*p))
                p++;
    }
    while (is_space(*p))
        p++;
    return *p == ':' ? (size_t)(p + 1 - s) : 0;
}

/* The longest known label at s, its matched length in *nbytes. */
static const label_def_t *label_at(const char *s, size_t *nbytes)
{
    const label_def_t *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        size_t n = label_match(s, labels[i].name);
        if (n > best_len) {
            best_len = n;
            best = &labels[i];
        }
    }
    *nbytes = best_len;
    return best;
}

static size_t split_labels(const char *norm, doc_label_t *out, size_t max,
                           bool *any_meta)
{
    size_t n = 0, len;
    const char *p = norm;
    const label_def_t *def = label_at(p, &len);
    if (!def || doc_nchars(norm) > LABEL_LINE_MAX_NCHARS)
        return 0;
    *any_meta = false;
    while (def) {
        *any_meta |= def->kind == LABEL_META;
        const char *value = p + len, *end = value;
        const label_def_t *next = NULL;
        size_t next_len = 0;
        /* The value runs to the next known label that follows a blank. */
        while (*end) {
            if (is_space(*end)) {
                while (is_space(*end))
                    end++;
                if ((next = label_at(end, &next_len)) != NULL)
                    break;
                continue;
            }
            doc_utf8_next(end, &len);
            end += len;
        }
        size_t vlen = (size_t)(end - value);
        const char *v = doc_trim(value, &vlen);
        if (n < max)
            out[n] = (doc_label_t){def->name, v, vlen};
        n++;
        p = end;
        def = next;
        len = next_len;
    }
    return n < max ? n : max;
}

size_t doc_labels_split(const char *norm, doc_label_t *out, size_t max)
{
    bool any_meta;
    return split_labels(norm, out, max, &any_meta);
}

static const char *const nav_starts[] = {
    "当前位置", "您的位置", "您现在的位置", "你的位置", "所在位置", "现在位置", NULL};
static const char *const nav_arrows[] = {">", "»", "›", "→", "〉", NULL};
static const char *const greetings[] = {
    "欢迎您", "欢迎访问", "欢迎光临", "欢迎来到", "您好,", NULL};
static const char *const counters[] = {
    "总访问量", "访问量", "访问人次", "访问次数", "点击数", "点击量", "点击率",
    "浏览次数", "浏览量", "阅读次数", "阅读量", "今日访问", "在线人数", NULL};
static const char *const chrome_starts[] = {
    "友情链接", "相关链接", "网站导航", "站点地图", "网站地图", "联系我们", "关于我们",
    "返回顶部", "打印本页", "关闭窗口", "【打印】", "【关闭】", "[打印]", "[关闭]",
    "上一篇", "下一篇", "收藏本页", "加入收藏", "设为首页", "分享到", NULL};
static const char *const chrome_anywhere[] = {
    "字体:", "字号:", "打印本页", "关闭窗口", "【打印】", "【关闭】", "[打印]", NULL};
static const char *const legal_marks[] = {
    "版权所有", "copyright", "©", "all rights reserved", "icp备", "icp证", "公网安备",
    "网安备", "网站标识码", NULL};

doc_line_kind_t doc_line_classify(const char *norm)
{
    doc_label_t pairs[8];
    bool any_meta = false;
    if (split_labels(norm, pairs, 8, &any_meta) > 0)
        return any_meta ? DOC_LINE_METADATA : DOC_LINE_BOILERPLATE;

    size_t nchars = doc_nchars(norm);
    if (nchars <= 100 && (strstr(norm, "首页") || doc_starts_with_any(norm, nav_starts)) &&
        doc_contains_any(norm, nav_arrows))
        return DOC_LINE_BOILERPLATE;
    if (nchars <= 40 && (doc_starts_with_any(norm, greetings) ||
                         doc_starts_with_any(norm, counters)))
        return DOC_LINE_BOILERPLATE;
    /* A control named inside a sentence (`…通知服务器关闭窗口并且退出。`) is prose. */
    if (nchars <= 60 && (doc_starts_with_any(norm, chrome_starts) ||
                         (!strstr(norm, "。") && doc_contains_any(norm, chrome_anywhere))))
        return DOC_LINE_BOILERPLATE;
    /* Footers are short and hold no sentence; prose may quote `版权所有 ©`. */
    if (nchars <= 100 && !strstr(norm, "。") && doc_contains_any(norm, legal_marks))
        return DOC_LINE_BOILERPLATE;
    if (nchars <= 80 && strstr(norm, "建议使用") &&
        (strstr(norm, "浏览器") || strstr(norm, "分辨率")))
        return DOC_LINE_BOILERPLATE;
    return DOC_LINE_CONTENT;
}
