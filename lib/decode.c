/* Encoding detection and decoding of source files: UTF-8 when the bytes are valid
 * UTF-8, otherwise the more plausible of GB18030 (which covers GBK and GB2312) and
 * Big5, always to UTF-8 with LF line ends and no byte-order mark. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "zhsearch/analyzer.h"
#include "zhsearch/document.h"

/* Scoring looks at this much decoded text at most: plenty to tell two decodings apart. */
#define SCORE_MAX_NBYTES (256u * 1024u)

const char *zhs_encoding_name(zhs_encoding_t enc)
{
    switch (enc) {
    case ZHS_ENCODING_UTF8: return "utf-8";
    case ZHS_ENCODING_GB18030: return "gb18030";
    case ZHS_ENCODING_BIG5: return "big5";
    }
    return "unknown";
}

/* One attempt at decoding the file. */
typedef struct {
    zhs_encoding_t enc;
    char *text;        /* UTF-8, NUL-terminated; NULL when the decoder refused */
    size_t nbytes;
    size_t bad;        /* offset of the first byte the decoder refused */
    zhs_damage_t damage;   /* a lenient reading's refused bytes (iconv_decode) */
    bool refused_inside;   /* ... some of them before a last character cut short */
} candidate_t;

/* Is the damage small enough to read the file anyway: a few bytes in a thousand, or
 * only a character cut at the very end? */
static bool tolerable(const candidate_t *c, size_t nbytes)
{
    return !c->refused_inside ||
           c->damage.nbytes * 1000 <= nbytes * ZHS_DAMAGE_MAX_PER_MILLE;
}

/* Reads raw as `from` into c. Strict: when the decoder refuses a byte, c->text stays
 * NULL and c->bad is that byte's offset. Lenient: every run of refused bytes becomes
 * one U+FFFD, counted in c->damage; c->text stays NULL when they are more than
 * tolerable (the reading stops there). A libc without the encoding accepts nothing. */
static zhs_status_t iconv_decode(const char *from, const char *raw, size_t nbytes,
                                 bool lenient, candidate_t *c, zhs_error_t *err)
{
    static const char replacement[] = "\xEF\xBF\xBD";
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        c->bad = 0;
        return ZHS_OK;
    }
    /* An input byte gives at most three output bytes (two give at most four, a 4-byte
     * GB18030 sequence four; a refused one U+FFFD): three times the input plus the NUL
     * always fits, and E2BIG cannot happen. */
    size_t cap = nbytes * 3 + 1;
    char *out = malloc(cap);
    if (!out) {
        iconv_close(cd);
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory decoding %s", from);
    }
    char *in = (char *)raw, *op = out, *after_replacement = NULL;
    size_t inleft = nbytes, outleft = cap - 1;
    bool refused = false;
    while (inleft > 0 && iconv(cd, &in, &inleft, &op, &outleft) == (size_t)-1) {
        refused = true;
        if (!lenient)
            break;
        /* EILSEQ: one byte is skipped (the next may start a character); EINVAL: the
         * input ends inside a character, which is all skipped. */
        size_t skip = errno == EINVAL ? inleft : 1;
        c->refused_inside = c->refused_inside || errno != EINVAL;
        if (!c->damage.nbytes)
            c->damage.first = (size_t)(in - raw);
        c->damage.nbytes += skip;
        in += skip;
        inleft -= skip;
        if (!tolerable(c, nbytes))
            break;    /* past what would be read: a file of another kind */
        if (op != after_replacement) {
            memcpy(op, replacement, 3);
            op += 3;
            outleft -= 3;
            after_replacement = op;
        }
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    refused = (iconv(cd, NULL, NULL, &op, &outleft) == (size_t)-1 || refused) &&
              (!lenient || !tolerable(c, nbytes));
    iconv_close(cd);
    if (refused) {
        c->bad = (size_t)(in - raw);
        free(out);
        return ZHS_OK;
    }
    *op = '\0';
    c->text = out;
    c->nbytes = (size_t)(op - out);
    /* What iconv calls UTF-8 must be what the rest of zhsearch does. */
    if (lenient && zhs_utf8_validate(c->text, c->nbytes, NULL) != ZHS_OK) {
        free(c->text);
        c->text = NULL;
    }
    return ZHS_OK;
}

/* The lenient reading (UTF-8, GB18030, Big5) that refuses the fewest bytes, when that
 * is tolerable: *out, its text the caller's, and *found true; *found false when none
 * is. */
static zhs_status_t least_damaged(const char *raw, size_t nbytes, candidate_t *out,
                                  bool *found, zhs_error_t *err)
{
    static const struct {
        const char *name;
        zhs_encoding_t enc;
    } encodings[] = {{"UTF-8", ZHS_ENCODING_UTF8},
                     {"GB18030", ZHS_ENCODING_GB18030},
                     {"BIG5", ZHS_ENCODING_BIG5}};
    *found = false;
    for (size_t i = 0; i < sizeof encodings / sizeof encodings[0]; i++) {
        candidate_t c = {.enc = encodings[i].enc};
        zhs_status_t st = iconv_decode(encodings[i].name, raw, nbytes, true, &c, err);
        if (st != ZHS_OK) {
            if (*found)
                free(out->text);
            return st;
        }
        /* Earlier encodings win ties: UTF-8 is the likelier of a few damaged bytes. */
        if (c.text && (!*found || c.damage.nbytes < out->damage.nbytes)) {
            if (*found)
                free(out->text);
            *out = c;
            *found = true;
        } else {
            free(c.text);
        }
    }
    return ZHS_OK;
}

static zhs_status_t utf8_decode(const char *raw, size_t nbytes, candidate_t *c,
                                zhs_error_t *err)
{
    zhs_error_t verr = {0};
    if (zhs_utf8_validate(raw, nbytes, &verr) != ZHS_OK) {
        c->bad = verr.offset;
        return ZHS_OK;
    }
    c->text = doc_strndup(raw, nbytes);
    if (!c->text)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory decoding UTF-8");
    c->nbytes = nbytes;
    return ZHS_OK;
}

/* Is cp a character of GB2312's symbol rows (A1-A3: punctuation, full-width forms)
 * or of its level-1 Han block (B0-D7: the 3755 most frequent characters)? */
static bool is_common_char(iconv_t to_gb2312, const char *ch, size_t len)
{
    char buf[8], *in = (char *)ch, *op = buf;
    size_t inleft = len, outleft = sizeof buf;
    if (iconv(to_gb2312, &in, &inleft, &op, &outleft) == (size_t)-1) {
        iconv(to_gb2312, NULL, NULL, NULL, NULL);
        return false;
    }
    unsigned char lead = (unsigned char)buf[0];
    return op - buf == 2 && ((lead >= 0xA1 && lead <= 0xA3) || (lead >= 0xB0 && lead <= 0xD7));
}

/* How plausible a decoding is as Chinese text: the share of its non-ASCII characters
 * that are common (see is_common_char) once Traditional characters are mapped to
 * Simplified. A Big5 file read as GB18030 gives kana, Greek and rare characters; a
 * GBK file read as Big5 gives a random mix of Traditional characters. Both score far
 * below the right reading. */
static double plausibility(const char *text, size_t nbytes)
{
    if (nbytes > SCORE_MAX_NBYTES) {
        nbytes = SCORE_MAX_NBYTES;
        while (nbytes > 0 && ((unsigned char)text[nbytes] & 0xC0) == 0x80)
            nbytes--;    /* cut at a character boundary */
    }
    zhs_normalized_t norm = {0};
    const char *s = text;
    size_t n = nbytes;
    if (zhs_analyzer_init(NULL) == ZHS_OK &&
        zhs_normalize(text, nbytes, 0, &norm, NULL) == ZHS_OK) {
        s = norm.text;
        n = norm.nbytes;
    }
    iconv_t gb = iconv_open("GB2312", "UTF-8");
    size_t total = 0, common = 0;
    for (size_t i = 0; i < n;) {
        size_t len = 1;
        if ((unsigned char)s[i] >= 0x80) {
            doc_utf8_next(s + i, &len);
            total++;
            if (gb != (iconv_t)-1 && is_common_char(gb, s + i, len))
                common++;
        }
        i += len;
    }
    if (gb != (iconv_t)-1)
        iconv_close(gb);
    zhs_normalized_release(&norm);
    return total ? (double)common / (double)total : 1.0;
}

/* Drops a leading U+FEFF and turns CRLF and lone CR into LF, in place. */
static size_t tidy(char *s, size_t n)
{
    size_t r = 0, w = 0;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        r = 3;
    for (; r < n; r++) {
        if (s[r] == '\r') {
            s[w++] = '\n';
            if (r + 1 < n && s[r + 1] == '\n')
                r++;
        } else {
            s[w++] = s[r];
        }
    }
    s[w] = '\0';
    return w;
}

static void candidate_drop(candidate_t *c)
{
    free(c->text);
    c->text = NULL;
}

zhs_status_t zhs_decode(const char *raw, size_t nbytes, char **out, size_t *out_nbytes,
                        zhs_encoding_t *enc, zhs_damage_t *damage, zhs_error_t *err)
{
    if (out)
        *out = NULL;
    if (damage)
        *damage = (zhs_damage_t){0};
    if (!raw || !out || !out_nbytes || !enc)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_decode: NULL argument");
    /* Every supported encoding would read a NUL byte as U+0000, but a text file has
     * none (UTF-16 has many): refuse rather than cut the text short. */
    const char *nul = memchr(raw, '\0', nbytes);
    if (nul)
        return zhs_error_set_at(err, ZHS_ERR_BAD_ENCODING, (size_t)(nul - raw),
                                "NUL byte at offset %zu: not a text file", (size_t)(nul - raw));

    candidate_t cand[3] = {{.enc = ZHS_ENCODING_UTF8},
                           {.enc = ZHS_ENCODING_GB18030},
                           {.enc = ZHS_ENCODING_BIG5}};
    zhs_status_t st = utf8_decode(raw, nbytes, &cand[0], err);
    if (st == ZHS_OK && !cand[0].text) {
        st = iconv_decode("GB18030", raw, nbytes, false, &cand[1], err);
        if (st == ZHS_OK)
            st = iconv_decode("BIG5", raw, nbytes, false, &cand[2], err);
        if (st == ZHS_OK && !cand[2].text) {
            /* Hong Kong files use the HKSCS extension of Big5. */
            candidate_t hk = {.enc = ZHS_ENCODING_BIG5};
            st = iconv_decode("BIG5-HKSCS", raw, nbytes, false, &hk, err);
            if (hk.text || hk.bad > cand[2].bad)
                cand[2] = hk;
        }
    }
    if (st != ZHS_OK) {
        for (int i = 0; i < 3; i++)
            candidate_drop(&cand[i]);
        return st;
    }

    candidate_t *best = NULL;
    if (cand[0].text) {
        best = &cand[0];
    } else if (cand[1].text && cand[2].text) {
        best = plausibility(cand[1].text, cand[1].nbytes) >=
                       plausibility(cand[2].text, cand[2].nbytes)
                   ? &cand[1]
                   : &cand[2];
    } else if (cand[1].text) {
        best = &cand[1];
    } else if (cand[2].text) {
        best = &cand[2];
    }
    candidate_t lenient = {0};
    bool found = false;
    if (!best && (st = least_damaged(raw, nbytes, &lenient, &found, err)) != ZHS_OK)
        return st;
    if (found) {
        best = &lenient;
        if (damage)
            *damage = lenient.damage;
    }
    if (!best) {
        size_t bad = cand[0].bad;
        for (int i = 1; i < 3; i++)
            if (cand[i].bad > bad)
                bad = cand[i].bad;
        return zhs_error_set_at(err, ZHS_ERR_BAD_ENCODING, bad,
                                "not UTF-8, GB18030 or Big5: byte %zu (0x%02x) cannot be decoded",
                                bad, (unsigned)(unsigned char)raw[bad]);
    }
    for (int i = 0; i < 3; i++)
        if (&cand[i] != best)
            candidate_drop(&cand[i]);
    *out_nbytes = tidy(best->text, best->nbytes);
    *out = best->text;
    *enc = best->enc;
    return ZHS_OK;
}
