/* Scraped pages saved as HTML: their text, one line per block (paragraph, heading,
 * list item, table row, <br>), with libxml2's forgiving HTML parser doing the parsing
 * and the entities. What is not shown on the page (head, scripts, styles) is left out,
 * so the result reads like the text files the document parser knows. */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "textbuf.h"
#include "zhsearch/document.h"

typedef struct {
    zhs_textbuf_t out;
    bool space;       /* a run of white space is pending (written as one space) */
} text_t;

static void put(text_t *t, const char *s, size_t n)
{
    zhs_textbuf_put(&t->out, s, n);
}

/* The text so far ends a line (or is empty). */
static bool at_line_start(const text_t *t)
{
    char last = zhs_textbuf_last(&t->out);
    return last == '\0' || last == '\n';
}

/* Ends the current line, unless it is empty (blocks within blocks make one break). */
static void line_break(text_t *t)
{
    t->space = false;
    if (!at_line_start(t))
        put(t, "\n", 1);
}

/* Text as the page shows it: runs of ASCII white space are one space, none at the
 * start of a line. (No-break and ideographic spaces are text: the document parser
 * knows them.) */
static void put_text(text_t *t, const char *s, bool pre)
{
    for (; *s; s++) {
        if (pre) {
            put(t, s, 1);
        } else if (isspace((unsigned char)*s)) {
            t->space = !at_line_start(t);
        } else {
            if (t->space)
                put(t, " ", 1);
            t->space = false;
            put(t, s, 1);
        }
    }
}

static bool named(const xmlNode *n, const char *const *names)
{
    for (; *names; names++)
        if (xmlStrcasecmp(n->name, (const xmlChar *)*names) == 0)
            return true;
    return false;
}

static const char *const hidden[] = {"head", "script", "style", "noscript", "template",
                                     "iframe", "object", "svg", NULL};
static const char *const blocks[] = {
    "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", NULL};
static const char *const cells[] = {"td", "th", NULL};

static void walk(text_t *t, const xmlNode *n, bool pre)
{
    for (; n && !t->out.failed; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                put_text(t, (const char *)n->content, pre);
            continue;
        }
        if (n->type != XML_ELEMENT_NODE || named(n, hidden))
            continue;
        /* A table row is one line, its cells separated by a space. */
        bool cell = named(n, cells);
        bool block = !cell && named(n, blocks);
        if (block)
            line_break(t);
        else if (cell && !at_line_start(t))
            t->space = true;
        walk(t, n->children, pre || xmlStrcasecmp(n->name, (const xmlChar *)"pre") == 0);
        if (block)
            line_break(t);
    }
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    /* libxml2 parses in several threads once initialized from one. */
    xmlInitParser();
}

bool zhs_html_sniff(const char *text, size_t nbytes)
{
    size_t i = 0;
    while (i < nbytes && isspace((unsigned char)text[i]))
        i++;
    static const char *const starts[] = {"<!doctype html", "<html", NULL};
    for (const char *const *s = starts; *s; s++) {
        size_t n = strlen(*s);
        if (nbytes - i >= n && strncasecmp(text + i, *s, n) == 0)
            return true;
    }
    return false;
}

zhs_status_t zhs_html_to_text(const char *html, size_t nbytes, char **out, size_t *out_nbytes,
                              zhs_error_t *err)
{
    *out = NULL;
    if (out_nbytes)
        *out_nbytes = 0;
    if (nbytes > INT_MAX)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "an HTML page over 2 GiB");
    pthread_once(&init_once, init_libxml);
    htmlDocPtr doc = htmlReadMemory(html, (int)nbytes, NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    if (!doc)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "not an HTML page libxml2 can read");
    text_t t = {0};
    walk(&t, xmlDocGetRootElement(doc), false);
    xmlFreeDoc(doc);
    if (!(*out = zhs_textbuf_take(&t.out, out_nbytes)))
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory reading an HTML page");
    return ZHS_OK;
}
