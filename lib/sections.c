/* Recognizing the outline of a policy document in normalized lines: top-level
 * sections `一、…` (or `第一章`, `第一部分`), sub-sections `(一)…`, numbered items
 * `1.`/`28.`/`3、`, and the facet name of a heading. The same in Simplified and
 * Traditional text, since both use the same numerals. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"

static const char *const numerals[] = {
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百", "零", "〇", NULL};

/* Bytes of a run of Chinese numerals at s. */
static size_t numerals_len(const char *s)
{
    size_t n = 0, len;
    while ((len = doc_starts_with_any(s + n, numerals)) > 0)
        n += len;
    return n;
}

static size_t skip_blanks(const char *s)
{
    size_t n = 0;
    while (s[n] == ' ' || s[n] == '\t')
        n++;
    return n;
}

int doc_heading_level(const char *norm, size_t *enum_nbytes)
{
    static const char *const level1_after[] = {"、", ".", NULL};
    static const char *const chapter_after[] = {"章", "部分", NULL};
    size_t n, len;
    if ((n = numerals_len(norm)) > 0 && (len = doc_starts_with_any(norm + n, level1_after))) {
        n += len;
    } else if (doc_starts_with(norm, "第") && (n = numerals_len(norm + strlen("第"))) > 0 &&
               (len = doc_starts_with_any(norm + strlen("第") + n, chapter_after))) {
        n += strlen("第") + len;
    } else if (norm[0] == '(' && (n = numerals_len(norm + 1)) > 0 && norm[1 + n] == ')') {
        n += 2;
        n += skip_blanks(norm + n);
        if (!norm[n])
            return 0;
        *enum_nbytes = n;
        return 2;
    } else {
        return 0;
    }
    n += skip_blanks(norm + n);
    if (!norm[n])
        return 0;        /* a bare enumerator is not a heading */
    *enum_nbytes = n;
    return 1;
}

char *doc_heading_name(const char *norm)
{
    static const char *const trailing[] = {"。", ".", ",", ";", ":", "、", " ", NULL};
    size_t skip = 0;
    if (!doc_heading_level(norm, &skip))
        skip = 0;
    const char *s = norm + skip;
    const char *stop = strstr(s, "。");
    size_t n = stop ? (size_t)(stop - s) : strlen(s);
    for (bool cut = true; cut && n > 0;) {
        cut = false;
        for (const char *const *t = trailing; *t; t++) {
            size_t tl = strlen(*t);
            if (n >= tl && memcmp(s + n - tl, *t, tl) == 0) {
                n -= tl;
                cut = true;
            }
        }
    }
    return doc_strndup(s, n);
}

bool doc_is_item(const char *norm)
{
    size_t n = 0;
    while (n < 3 && norm[n] >= '0' && norm[n] <= '9')
        n++;
    if (n == 0 || (norm[n] >= '0' && norm[n] <= '9'))
        return false;
    if (norm[n] != '.' && !doc_starts_with(norm + n, "、"))
        return false;
    n += norm[n] == '.' ? 1 : strlen("、");
    n += skip_blanks(norm + n);
    /* `4.0时代`, `8.5万人` are numbers, not items. */
    return norm[n] && !(norm[n] >= '0' && norm[n] <= '9');
}
