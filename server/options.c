/* Parsing of zhsearch-server's command line (getopt_long) into srv_options_t. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>

#include <event2/util.h>

#include "options.h"

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

const char srv_options_usage[] =
    "Usage: zhsearch-server [--db DIR]... [--listen ADDR:PORT] [--threads N]\n"
    "                       [--cache-mb N] [--cors ORIGIN] [--help]\n"
    "Serves a zhsearch index over HTTP (GET /search, /doc/ID, /stats, /health,\n"
    "/metrics and the search page at /).\n"
    "\n"
    "  --db DIR           index to serve; repeat to search several shards as one\n"
    "                     (default: $ZHSEARCH_DB, else " SRV_DEFAULT_DB ")\n"
    "  --listen ADDR:PORT address to listen on (default " SRV_DEFAULT_LISTEN ";\n"
    "                     port 0 picks a free port, printed at start)\n"
    "  --threads N        worker threads (default: one per core)\n"
    "  --cache-mb N       memory for answers to repeated searches, shared out among\n"
    "                     the workers and dropped when the index changes\n"
    "                     (default " STRINGIFY(SRV_DEFAULT_CACHE_MB) "; 0: none)\n"
    "  --cors ORIGIN      Access-Control-Allow-Origin value (default *)\n"
    "  --help             print this text and exit\n"
    "\n"
    "SIGHUP reopens the index in every thread; SIGTERM/SIGINT finish the requests\n"
    "in flight and exit 0. Build an index with: zhsearch-index --db DIR corpus/\n";

void srv_options_release(srv_options_t *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->ndbs; i++)
        free(o->dbs[i]);
    free(o->dbs);
    free(o->listen);
    free(o->cors);
    memset(o, 0, sizeof *o);
}

static int add_db(srv_options_t *o, const char *path)
{
    char **dbs = realloc(o->dbs, (o->ndbs + 1) * sizeof *dbs);
    if (!dbs)
        return -1;
    o->dbs = dbs;
    if (!(dbs[o->ndbs] = strdup(path)))
        return -1;
    o->ndbs++;
    return 0;
}

static int replace_str(char **dst, const char *src)
{
    char *s = strdup(src);
    if (!s)
        return -1;
    free(*dst);
    *dst = s;
    return 0;
}

/* A whole number from min to max. */
static int parse_count(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (errno || end == s || *end || n < min || n > max)
        return -1;
    *out = n;
    return 0;
}

/* ADDR:PORT with a numeric IPv4 address or a bracketed IPv6 one and a port from 0 to
 * 65535 (evutil_parse_sockaddr_port refuses port 0, which picks a free port). */
static int parse_listen(const char *s, struct sockaddr_storage *ss, int *len)
{
    const char *colon = strrchr(s, ':');
    if (!colon || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1))
        return -1;
    long port = strtol(colon + 1, NULL, 10);
    char host[64];
    size_t hlen = (size_t)(colon - s);
    bool v6 = s[0] == '[';
    if (v6 && (hlen < 2 || s[hlen - 1] != ']'))
        return -1;
    if (v6)
        s++, hlen -= 2;
    if (port > 65535 || hlen == 0 || hlen >= sizeof host)
        return -1;
    memcpy(host, s, hlen);
    host[hlen] = '\0';
    memset(ss, 0, sizeof *ss);
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        *len = (int)sizeof *a;
        return evutil_inet_pton(AF_INET6, host, &a->sin6_addr) == 1 ? 0 : -1;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    *len = (int)sizeof *a;
    return evutil_inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}

static int fail(srv_options_t *o, char *errbuf, size_t errlen, const char *fmt,
                const char *arg)
{
    snprintf(errbuf, errlen, fmt, arg);
    srv_options_release(o);
    return -1;
}

int srv_options_parse(int argc, char **argv, const char *default_db, unsigned ncpu,
                      srv_options_t *out, char *errbuf, size_t errlen)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"cache-mb", required_argument, NULL, 'm'},
        {"cors", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(out, 0, sizeof *out);
    out->threads = ncpu ? ncpu : 1;
    out->cache_mb = SRV_DEFAULT_CACHE_MB;
    if (replace_str(&out->listen, SRV_DEFAULT_LISTEN) || replace_str(&out->cors, "*"))
        return fail(out, errbuf, errlen, "%s", "out of memory");

    optind = 0;    /* glibc: 0 fully reinitializes, so tests may call this twice */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        int rc = 0;
        long n;
        switch (c) {
        case 'd':
            rc = add_db(out, optarg);
            break;
        case 'l':
            rc = replace_str(&out->listen, optarg);
            break;
        case 't':
            if (parse_count(optarg, 1, SRV_MAX_THREADS, &n))
                return fail(out, errbuf, errlen,
                            "--threads wants a number from 1 to 256, not '%s'", optarg);
            out->threads = (unsigned)n;
            break;
        case 'm':
            if (parse_count(optarg, 0, SRV_MAX_CACHE_MB, &n))
                return fail(out, errbuf, errlen,
                            "--cache-mb wants a number from 0 to 65536, not '%s'", optarg);
            out->cache_mb = (size_t)n;
            break;
        case 'c':
            rc = replace_str(&out->cors, optarg);
            break;
        case 'h':
            out->help = true;
            break;
        case ':':
            return fail(out, errbuf, errlen, "%s needs a value", argv[optind - 1]);
        default:
            return fail(out, errbuf, errlen, "unknown option '%s'", argv[optind - 1]);
        }
        if (rc)
            return fail(out, errbuf, errlen, "%s", "out of memory");
    }
    if (optind < argc)
        return fail(out, errbuf, errlen, "unexpected argument '%s'", argv[optind]);
    if (out->ndbs == 0 && add_db(out, default_db))
        return fail(out, errbuf, errlen, "%s", "out of memory");
    if (parse_listen(out->listen, &out->addr, &out->addrlen) != 0)
        return fail(out, errbuf, errlen,
                    "--listen wants ADDR:PORT (127.0.0.1:8080, [::1]:8080), not '%s'",
                    out->listen);
    return 0;
}
