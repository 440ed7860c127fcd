/* Running text out of manual pages: a small reader of man(7) troff that keeps the
 * words and drops the typesetting. It only has to be good enough to yield clean
 * sentences; gen_text's filter throws away whatever is still mostly markup or code. */
#include "config.h"

#include <string.h>

#include "gen.h"

typedef struct {
    gen_buf_t para;           /* the paragraph being filled */
    gen_buf_t line;           /* one input line, escapes removed */
    gen_text_cb cb;
    void *ctx;
    int skip_next;            /* the next text line is a tag or heading, not prose */
    int nofill;               /* inside .nf/.fi or .EX/.EE: lines are not joined */
} troff_t;

static void flush(troff_t *t)
{
    if (t->para.len)
        t->cb(t->ctx, t->para.data, t->para.len);
    t->para.len = 0;
}

/* Length of a UTF-8 sequence starting with byte b (1 for anything unexpected). */
static size_t utf8_len(unsigned char b)
{
    return b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
}

/* Skips an escape's argument at s[i]: `(xx`, `[name]` or one character. */
static size_t skip_name(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return i;
    if (s[i] == '(')
        return i + 3 <= n ? i + 3 : n;
    if (s[i] == '[') {
        while (i < n && s[i] != ']')
            i++;
        return i < n ? i + 1 : n;
    }
    return i + utf8_len((unsigned char)s[i]);
}

/* The text a special character `\(xx` stands for, "" for those that do not matter. */
static const char *special(const char *name)
{
    static const char *const map[][2] = {
        {"em", "—"}, {"en", "–"}, {"lq", "“"}, {"rq", "”"}, {"dq", "\""},
        {"aq", "'"}, {"bu", "·"}, {"co", "©"}, {"hy", "-"}, {"mi", "-"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (memcmp(name, map[i][0], 2) == 0)
            return map[i][1];
    return "";
}

/* Puts s[0..n) into t->line with escapes and (when asked) double quotes removed. */
static void clean_line(troff_t *t, const char *s, size_t n, int drop_quotes)
{
    t->line.len = 0;
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (c == '"' && drop_quotes) {
            i++;
            continue;
        }
        if (c == '\t') {
            gen_buf_add(&t->line, " ", 1);
            i++;
            continue;
        }
        if (c != '\\' || i + 1 >= n) {
            gen_buf_add(&t->line, &s[i], 1);
            i++;
            continue;
        }
        char e = s[i + 1];
        i += 2;
        switch (e) {
        case '"': /* comment to the end of the line */
            i = n;
            break;
        case 'f': case '*': case 'n': case 'F': case 'm':
            i = skip_name(s, n, i);
            break;
        case '(':
            if (i + 2 <= n)
                gen_buf_adds(&t->line, special(&s[i]));
            i = i + 2 <= n ? i + 2 : n;
            break;
        case '[':
            i = skip_name(s, n, i - 1);
            break;
        case 's':
            if (i < n && (s[i] == '+' || s[i] == '-'))
                i++;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
            break;
        case '-': gen_buf_add(&t->line, "-", 1); break;
        case 'e': case '\\': gen_buf_add(&t->line, "\\", 1); break;
        case ' ': case '~': case '0': gen_buf_add(&t->line, " ", 1); break;
        case '&': case '/': case ',': case '%': case ':': case 'c': case '^': case '|':
        case '!': case 'd': case 'u':
            break;
        default: {
            size_t len = utf8_len((unsigned char)e);
            gen_buf_add(&t->line, &s[i - 1], len <= n - (i - 1) ? len : n - (i - 1));
            i += len - 1;
        }
        }
    }
}

/* Joins t->line to the paragraph: with a space between two ASCII words, directly
 * otherwise (Chinese text is not spaced). */
static void join_line(troff_t *t)
{
    const char *s = t->line.data ? t->line.data : "";
    size_t n = t->line.len;
    while (n && s[0] == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    if (!n)
        return;
    if (t->para.len) {
        unsigned char last = (unsigned char)t->para.data[t->para.len - 1];
        if (last < 0x80 && (unsigned char)s[0] < 0x80)
            gen_buf_add(&t->para, " ", 1);
    }
    gen_buf_add(&t->para, s, n);
    if (t->nofill)
        flush(t);
}

static int is_macro(const char *name, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, name, n) == 0)
            return 1;
    return 0;
}

static void control_line(troff_t *t, const char *s, size_t n)
{
    static const char *const font[] = {"B", "I", "R", "SM", "SB", "BR", "BI", "IB", "RB",
                                       "RI", "IR", NULL};
    static const char *const tagged[] = {"TP", "TQ", "SH", "SS", NULL};
    size_t i = 1;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t start = i;
    while (i < n && s[i] != ' ' && s[i] != '\t')
        i++;
    const char *name = s + start;
    size_t nlen = i - start;
    if (nlen >= 1 && name[0] == '\\')           /* .\" comment */
        return;
    if (is_macro(name, nlen, font)) {
        if (i >= n) /* applies to the next line, which is read as text anyway */
            return;
        if (t->skip_next) {
            t->skip_next = 0;
            return;
        }
        clean_line(t, s + i, n - i, 1);
        join_line(t);
        return;
    }
    flush(t);
    if (nlen == 2 && (memcmp(name, "nf", 2) == 0 || memcmp(name, "EX", 2) == 0))
        t->nofill = 1;
    else if (nlen == 2 && (memcmp(name, "fi", 2) == 0 || memcmp(name, "EE", 2) == 0))
        t->nofill = 0;
    /* .TP's tag and a heading given on the next line are not prose. */
    t->skip_next = is_macro(name, nlen, tagged) && (nlen == 2 && name[0] == 'T' ? 1 : i >= n);
}

void gen_troff_paragraphs(const char *src, size_t nbytes, gen_text_cb cb, void *ctx)
{
    troff_t t = {.cb = cb, .ctx = ctx};
    size_t pos = 0, n;
    const char *s;
    while (gen_next_line(src, nbytes, &pos, &s, &n)) {
        if (n && (s[0] == '.' || s[0] == '\'')) {
            control_line(&t, s, n);
        } else if (n == 0) {
            flush(&t);
        } else if (t.skip_next) {
            t.skip_next = 0;
        } else {
            clean_line(&t, s, n, 0);
            join_line(&t);
        }
    }
    flush(&t);
    gen_buf_release(&t.para);
    gen_buf_release(&t.line);
}
