/* Query trees for C: terms, phrases, boolean combinations, value ranges, weight
 * scaling. Each handle owns one reference-counted Xapian::Query, so combining copies
 * references and never takes ownership of the caller's handles. */
#include "config.h"

#include <cstdlib>
#include <cstring>

#include "xapian_internal.h"

namespace {

/* Reads the operator as the int a C caller may have put there: loading an out-of-range
 * value as the C++ enum type would be undefined behaviour. */
Xapian::Query::op combine_op(const zhs_qop_t *op)
{
    static_assert(sizeof(zhs_qop_t) == sizeof(int), "zhs_qop_t is an int-sized enum");
    int raw;
    memcpy(&raw, op, sizeof raw);
    switch (raw) {
    case ZHS_QOP_AND:
        return Xapian::Query::OP_AND;
    case ZHS_QOP_OR:
        return Xapian::Query::OP_OR;
    case ZHS_QOP_AND_NOT:
        return Xapian::Query::OP_AND_NOT;
    case ZHS_QOP_AND_MAYBE:
        return Xapian::Query::OP_AND_MAYBE;
    case ZHS_QOP_FILTER:
        return Xapian::Query::OP_FILTER;
    case ZHS_QOP_SYNONYM:
        return Xapian::Query::OP_SYNONYM;
    }
    throw Xapian::InvalidArgumentError("unknown query operator " + std::to_string(raw));
}

/* zx::guard for the constructors, which return the new handle or NULL. */
template <typename Body>
zhs_query_t *guard_query(zhs_error_t *err, const char *what, Body &&body) noexcept
{
    zhs_query_t *q = nullptr;
    zx::guard(err, what, [&] { q = new zhs_query{body()}; });
    return q;
}

} // namespace

extern "C" {

zhs_query_t *zhs_query_term(const char *term, size_t nbytes, unsigned wqf,
                            zhs_error_t *err) noexcept
{
    return guard_query(err, __func__, [&] {
        return Xapian::Query(zx::term_arg(term, nbytes, false), wqf);
    });
}

zhs_query_t *zhs_query_prefix(const char *prefix, size_t nbytes, zhs_error_t *err) noexcept
{
    return guard_query(err, __func__, [&] {
        return zx::wildcard(zx::term_arg(prefix, nbytes, false));
    });
}

zhs_query_t *zhs_query_phrase(const char *const *terms, const size_t *nbytes, size_t n,
                              unsigned window, zhs_error_t *err) noexcept
{
    return guard_query(err, __func__, [&] {
        zx::need(terms, "terms");
        zx::need(n > 0, "a phrase needs at least one term");
        std::vector<Xapian::Query> subs;
        subs.reserve(n);
        for (size_t i = 0; i < n; i++) {
            zx::need(terms[i], "terms[i]");
            size_t len = nbytes ? nbytes[i] : strlen(terms[i]);
            subs.emplace_back(zx::term_arg(terms[i], len, false));
        }
        return Xapian::Query(Xapian::Query::OP_PHRASE, subs.begin(), subs.end(), window);
    });
}

zhs_query_t *zhs_query_combine(zhs_qop_t op, zhs_query_t *const *subs, size_t n,
                               zhs_error_t *err) noexcept
{
    return guard_query(err, __func__, [&] {
        Xapian::Query::op xop = combine_op(&op);
        zx::need(subs, "subs");
        zx::need(n > 0, "a combination needs at least one subquery");
        std::vector<Xapian::Query> qs;
        qs.reserve(n);
        for (size_t i = 0; i < n; i++) {
            zx::need(subs[i], "subs[i]");
            qs.push_back(subs[i]->q);
        }
        return Xapian::Query(xop, qs.begin(), qs.end());
    });
}

zhs_query_t *zhs_query_value_range(unsigned slot, const char *lo, const char *hi,
                                   zhs_error_t *err) noexcept
{
    return guard_query(err, __func__, [&] {
        Xapian::valueno s = zx::slot_arg(slot);
        if (lo && hi)
            return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, s, lo, hi);
        if (hi)
            return Xapian::Query(Xapian::Query::OP_VALUE_LE, s, hi);
        /* VALUE_GE "" is every document: Xapian turns it into MatchAll itself. */
        return Xapian::Query(Xapian::Query::OP_VALUE_GE, s, lo ? lo : "");
    });
}

zhs_query_t *zhs_query_scale(const zhs_query_t *q, double factor, zhs_error_t *err) noexcept
{
    return guard_query(err, __func__, [&] {
        zx::need(q, "q");
        zx::need(factor >= 0, "scale factor must be a number >= 0");
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor);
    });
}

zhs_query_t *zhs_query_match_all(zhs_error_t *err) noexcept
{
    return guard_query(err, __func__, [&] {
        return Xapian::Query::MatchAll;
    });
}

char *zhs_query_describe(const zhs_query_t *q) noexcept
{
    try {
        if (!q)
            return nullptr;
        char *s = nullptr;
        zx::copy_out(q->q.get_description(), &s, nullptr);
        return s;
    } catch (...) {
        return nullptr;
    }
}

void zhs_query_free(zhs_query_t *q) noexcept
{
    delete q;
}

} // extern "C"
