/* The departments a passage names as responsible, from its parentheticals:
 * `(本部分工作由市财政局牵头,市发改委、市科技局等部门参与)`, `(市科技创新委牵头,…配合)`,
 * `(市发展改革委负责)`, `(責任單位:市科技局、財政局,南沙區政府)`. Names come out
 * canonical: Simplified (the text arrives normalized), `市` restored where a list
 * drops it (`市发展改革委、教育局` -> 市教育局; `市場監管局` -> 市市场监管局),
 * distributive suffixes expanded (`白云、越秀区政府` -> 白云区政府, 越秀区政府), `等部门`
 * and generic entries (`各有关单位`) dropped. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"

#define MAX_ITEMS 64
#define MAX_PARENS 16
#define NAME_MAX_NBYTES 256

typedef struct {
    const char *word;
    zhs_role_t role;
} role_word_t;

/* `X牵头,Y配合`: the verb after a list gives the list's role. */
static const role_word_t role_verbs[] = {
    {"牵头", ZHS_ROLE_LEAD},     {"负责", ZHS_ROLE_LEAD},     {"主办", ZHS_ROLE_LEAD},
    {"配合", ZHS_ROLE_PARTNER},  {"参与", ZHS_ROLE_PARTNER},  {"协助", ZHS_ROLE_PARTNER},
    {"协办", ZHS_ROLE_PARTNER},
};
/* `责任单位:X;配合单位:Y`: the label before a list gives its role. */
static const role_word_t role_labels[] = {
    {"责任单位", ZHS_ROLE_RESPONSIBLE}, {"责任部门", ZHS_ROLE_RESPONSIBLE},
    {"负责单位", ZHS_ROLE_RESPONSIBLE}, {"牵头单位", ZHS_ROLE_LEAD},
    {"牵头部门", ZHS_ROLE_LEAD},        {"主办单位", ZHS_ROLE_LEAD},
    {"配合单位", ZHS_ROLE_PARTNER},     {"配合部门", ZHS_ROLE_PARTNER},
    {"参与单位", ZHS_ROLE_PARTNER},     {"协办单位", ZHS_ROLE_PARTNER},
    {"协助单位", ZHS_ROLE_PARTNER},
};

static const char *const list_seps[] = {"、", ",", ";", " ", "/", NULL};
static const char *const clause_seps[] = {",", ";", "、", " ", "。", NULL};
/* What may follow `等` when it ends a list: `等部门参与`, `等单位`, `等配合`. */
static const char *const etc_tails[] = {"部门", "单位", "有关", "相关", "机构", NULL};
static const char *const org_ends[] = {
    "局", "委", "办", "部", "会", "府", "院", "厅", "室", "处", "心", "所", "站", "馆",
    "队", "组", "关", "协", "社", "司", "行", "署", "联", "校", NULL};
/* Bodies whose names carry their own place or level, so no `市` is added. */
static const char *const own_prefixes[] = {
    "各", "团", "共青团", "省", "中共", "中央", "国家", "国务院", "中国", "全国", "广州",
    "广东", "穗", "粤", NULL};
static const char *const own_infixes[] = {"区", "县", "镇", "街道", NULL};
/* Endings of a municipal bureau: `科技局` alone still means `市科技局`. */
static const char *const bureau_ends[] = {
    "局", "委", "办", "委员会", "办公室", "科协", "总工会", "妇联", "法院", "检察院", NULL};
/* Where a distributive suffix starts: `南沙|区政府`. */
static const char *const distributive_starts[] = {"区", "县", "市", "镇", NULL};

static int role_strength(zhs_role_t r)
{
    return r == ZHS_ROLE_LEAD ? 2 : r == ZHS_ROLE_RESPONSIBLE ? 1 : 0;
}

bool doc_deptlist_add(doc_deptlist_t *l, const char *name, size_t n, zhs_role_t role)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strlen(l->items[i].name) == n && memcmp(l->items[i].name, name, n) == 0) {
            if (role_strength(role) > role_strength(l->items[i].role))
                l->items[i].role = role;
            return true;
        }
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        zhs_department_t *items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return false;
        l->items = items;
        l->cap = cap;
    }
    char *copy = doc_strndup(name, n);
    if (!copy)
        return false;
    l->items[l->n++] = (zhs_department_t){copy, role};
    return true;
}

void doc_deptlist_release(doc_deptlist_t *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i].name);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* One name of a list, as a NUL-terminated copy in a fixed buffer. */
typedef struct {
    char name[NAME_MAX_NBYTES];
    zhs_role_t role;
    int clause;          /* which role clause it came from */
} item_t;

static bool is_org(const char *s)
{
    if (doc_nchars(s) < 2)
        return false;
    for (const char *const *e = org_ends; *e; e++)
        if (doc_ends_with(s, *e))
            return true;
    return false;
}

/* Does the name carry its own place or level (`广州高新区管委会`, `团市委`, `各区政府`,
 * `黄埔海关`, `市委组织部`)? `市场监管局` does not: its `市` belongs to `市场`. */
static bool has_own_prefix(const char *s)
{
    if (doc_starts_with(s, "市"))
        return !doc_starts_with(s, "市场");
    if (doc_starts_with_any(s, own_prefixes) || doc_contains_any(s, own_infixes) ||
        doc_ends_with(s, "海关"))
        return true;
    /* `佛山市科技局`, `团市委`; not `城市更新局`, `市场…`. */
    for (const char *p = strstr(s, "市"); p; p = strstr(p + 1, "市")) {
        if (p == s)
            continue;
        bool city = p - s >= 3 && memcmp(p - 3, "城", 3) == 0;
        if (!city && !doc_starts_with(p, "市场"))
            return true;
    }
    return false;
}

static bool ends_with_any(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (doc_ends_with(s, *list))
            return true;
    return false;
}

/* Copies one raw list entry into it->name: blanks trimmed, a trailing `等部门…` cut. */
static bool item_set(item_t *it, const char *s, size_t n)
{
    s = doc_trim(s, &n);
    for (const char *p = s; p < s + n;) {
        if (doc_starts_with(p, "等")) {
            const char *tail = p + strlen("等");
            if (tail >= s + n || doc_starts_with_any(tail, etc_tails)) {
                n = (size_t)(p - s);
                break;
            }
        }
        size_t len;
        doc_utf8_next(p, &len);
        p += len;
    }
    if (n == 0 || n >= NAME_MAX_NBYTES)
        return false;
    memcpy(it->name, s, n);
    it->name[n] = '\0';
    return !strstr(it->name, "有关") && !strstr(it->name, "相关");
}

typedef struct {
    item_t *items;
    size_t *n;
    zhs_role_t role;
    int clause;
} list_ctx_t;

static bool add_item(void *ctx, const char *s, size_t nbytes)
{
    list_ctx_t *c = ctx;
    if (*c->n == MAX_ITEMS)
        return false;           /* enough: the rest of a very long list is ignored */
    item_t *it = &c->items[*c->n];
    it->role = c->role;
    it->clause = c->clause;
    if (item_set(it, s, nbytes))
        (*c->n)++;
    return true;
}

/* Splits one clause's list into items (appended at items[*n]). */
static void split_list(const char *s, size_t nbytes, zhs_role_t role, int clause,
                       item_t *items, size_t *n)
{
    list_ctx_t ctx = {items, n, role, clause};
    doc_split_each(s, nbytes, list_seps, add_item, &ctx);
}

/* `白云、越秀、天河、南沙区政府`: bare place names before a name share its suffix. */
static void expand_distributive(item_t *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (is_org(items[i].name) || doc_nchars(items[i].name) > 4)
            continue;
        size_t j = i + 1;
        while (j < n && items[j].clause == items[i].clause && !is_org(items[j].name))
            j++;
        if (j == n || items[j].clause != items[i].clause)
            continue;
        const char *full = items[j].name, *suffix = NULL;
        size_t len;
        doc_utf8_next(full, &len);
        for (const char *p = full + len; *p && !suffix; p += len) {
            if (doc_starts_with_any(p, distributive_starts))
                suffix = p;
            doc_utf8_next(p, &len);
        }
        if (!suffix)
            continue;
        size_t have = strlen(items[i].name), add = strlen(suffix);
        if (have + add < NAME_MAX_NBYTES)
            memcpy(items[i].name + have, suffix, add + 1);
    }
}

/* Adds `市` where the list dropped it (`市发展改革委、教育局`, or `科技局` alone): to
 * a municipal bureau's name without a place or level of its own. Other bodies
 * (`领导小组办公室`) are left as written. */
static void restore_city(item_t *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *name = items[i].name;
        if (has_own_prefix(name) || !ends_with_any(name, bureau_ends) || strstr(name, "小组"))
            continue;
        size_t len = strlen(name), city = strlen("市");
        if (len + city < NAME_MAX_NBYTES) {
            memmove(name + city, name, len + 1);
            memcpy(name, "市", city);
        }
    }
}

static size_t label_at(const char *s, zhs_role_t *role)
{
    for (size_t i = 0; i < sizeof role_labels / sizeof role_labels[0]; i++) {
        size_t n = strlen(role_labels[i].word);
        if (strncmp(s, role_labels[i].word, n) == 0 && s[n] == ':') {
            *role = role_labels[i].role;
            return n + 1;
        }
    }
    return 0;
}

/* `责任单位:A、B;配合单位:C`. Returns false when s is not such a list. */
static bool parse_labelled(const char *s, size_t nbytes, item_t *items, size_t *n)
{
    zhs_role_t role;
    size_t len = label_at(s, &role);
    if (!len)
        return false;
    const char *end = s + nbytes, *p = s + len;
    for (int clause = 0; p < end; clause++) {
        /* The list runs to the next label that follows a separator. */
        const char *q = p, *next = end;
        zhs_role_t next_role = role;
        size_t next_len = 0;
        while (q < end) {
            size_t sep = doc_starts_with_any(q, clause_seps);
            if (sep && (next_len = label_at(q + sep, &next_role)) > 0) {
                next = q;
                next_len += sep;
                break;
            }
            doc_utf8_next(q, &len);
            q += len;
        }
        split_list(p, (size_t)(next - p), role, clause, items, n);
        role = next_role;
        p = next + next_len;
    }
    return true;
}

/* `A、B牵头,C、D配合`: every list must be followed by a role verb. */
static bool parse_verbs(const char *s, size_t nbytes, item_t *items, size_t *n)
{
    const char *end = s + nbytes, *p = s;
    for (int clause = 0; p < end; clause++) {
        const char *verb = NULL;
        const role_word_t *rw = NULL;
        for (size_t i = 0; i < sizeof role_verbs / sizeof role_verbs[0]; i++) {
            const char *hit = strstr(p, role_verbs[i].word);
            if (hit && hit < end && (!verb || hit < verb)) {
                verb = hit;
                rw = &role_verbs[i];
            }
        }
        if (!verb)
            return false;
        split_list(p, (size_t)(verb - p), rw->role, clause, items, n);
        p = verb + strlen(rw->word);
        size_t sep;
        while (p < end && (sep = doc_starts_with_any(p, clause_seps)) > 0)
            p += sep;
    }
    return true;
}

/* Parses the inside of one parenthetical; adds its departments to out. Returns how
 * many names it gave (0: not a department parenthetical). */
static size_t parse_paren(const char *s, size_t nbytes, doc_deptlist_t *out, bool *ok)
{
    static const char *const scope_words[] = {"本部分", "本项", "此项", "该项", NULL};
    const char *end = s + nbytes;
    bool whole_section = doc_starts_with(s, "本部分");
    if (doc_starts_with_any(s, scope_words) || doc_starts_with(s, "由")) {
        /* `本部分工作由…`: the list starts after `由`. */
        const char *by = strstr(s, "由");
        if (!by || by >= end || by - s > 18)
            return 0;
        s = by + strlen("由");
    }
    item_t items[MAX_ITEMS];
    size_t n = 0;
    if (!parse_labelled(s, (size_t)(end - s), items, &n) &&
        !parse_verbs(s, (size_t)(end - s), items, &n))
        return 0;
    expand_distributive(items, n);
    restore_city(items, n);
    size_t added = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_org(items[i].name))
            continue;
        if (!doc_deptlist_add(out, items[i].name, strlen(items[i].name), items[i].role)) {
            *ok = false;
            return added;
        }
        added++;
    }
    if (added && whole_section)
        out->whole_section = true;
    return added;
}

/* Is nothing but closing punctuation and blanks left at s? */
static bool at_end(const char *s)
{
    static const char *const closing[] = {"。", ";", ".", ",", " ", "\t", NULL};
    size_t len;
    while (*s && (len = doc_starts_with_any(s, closing)) > 0)
        s += len;
    return !*s;
}

bool doc_departments_find(const char *norm, doc_deptlist_t *out)
{
    /* Every balanced pair, inner ones first; an unclosed `(` (scraped prose has them)
     * just stays on the stack. */
    const char *open[MAX_PARENS];
    size_t depth = 0;
    bool ok = true;
    out->closes = false;
    for (const char *q = norm; *q && ok; q++) {
        if (*q == '(') {
            if (depth < MAX_PARENS)
                open[depth++] = q;
        } else if (*q == ')' && depth > 0) {
            const char *inner = open[--depth] + 1;
            if (parse_paren(inner, (size_t)(q - inner), out, &ok) > 0)
                out->closes = at_end(q + 1);
        }
    }
    return ok;
}
