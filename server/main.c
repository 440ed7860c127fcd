/* zhsearch-server: checks the index, opens the listening socket, starts the worker
 * threads, prints where it serves, then waits for signals (SIGHUP: reopen the index;
 * SIGTERM/SIGINT: drain and exit 0). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/thread.h>
#include <event2/util.h>

#include "listener.h"
#include "log.h"
#include "options.h"
#include "web.h"
#include "worker.h"

/* Opens the index once before serving, to fail early with a useful message and to
 * name its size in the start line. Returns 0, or -1 after printing why. */
static int check_index(const srv_options_t *o, zhs_index_stats_t *stats)
{
    zhs_searcher_t *s = NULL;
    zhs_error_t err = {0};
    zhs_status_t st = zhs_searcher_open((const char *const *)o->dbs, o->ndbs, &s, &err);
    if (st == ZHS_OK)
        st = zhs_searcher_stats(s, stats, &err);
    zhs_searcher_close(s);
    if (st == ZHS_OK)
        return 0;
    const char *why = err.message[0] ? err.message : zhs_status_str(st);
    if (st == ZHS_ERR_DB_MISSING)
        fprintf(stderr,
                "zhsearch-server: no index at %s (%s)\n"
                "Build it first:  zhsearch-index --db %s corpus/\n",
                o->dbs[0], why, o->dbs[0]);
    else
        fprintf(stderr, "zhsearch-server: cannot open the index at %s: %s\n", o->dbs[0],
                why);
    return -1;
}

/* The listening socket for o->addr, or -1 after printing why. */
static int open_listener(const srv_options_t *o)
{
    int fd = srv_listener_open((const struct sockaddr *)&o->addr, (socklen_t)o->addrlen);
    if (fd < 0)
        fprintf(stderr, "zhsearch-server: cannot listen on %s: %s\n", o->listen,
                strerror(errno));
    return fd;
}

/* "http://127.0.0.1:PORT/" for the socket's actual address (port 0 resolved). */
static void socket_url(int fd, char *buf, size_t len)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET6) {
            const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;
            evutil_inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof host);
            port = ntohs(s6->sin6_port);
        } else {
            const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ss;
            evutil_inet_ntop(AF_INET, &s4->sin_addr, host, sizeof host);
            port = ntohs(s4->sin_port);
        }
    }
    snprintf(buf, len, ss.ss_family == AF_INET6 ? "http://[%s]:%u/" : "http://%s:%u/",
             host, port);
}

/* Waits for signals until SIGTERM or SIGINT; SIGHUP asks every worker to reopen. */
static void wait_for_stop(const sigset_t *set)
{
    for (;;) {
        int sig = 0;
        if (sigwait(set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            srv_log("SIGHUP: reopening the index in every worker");
            srv_index_request_reopen();
            continue;
        }
        srv_log("%s: finishing the requests in flight, then exiting",
                sig == SIGINT ? "SIGINT" : "SIGTERM");
        return;
    }
}

static int serve(const srv_options_t *o, srv_config_t *cfg, int listen_fd,
                 const zhs_index_stats_t *stats)
{
    srv_worker_t *workers = calloc(o->threads, sizeof *workers);
    if (!workers)
        return 2;
    int rc = 0;
    for (unsigned i = 0; i < o->threads && rc == 0; i++)
        if (srv_worker_init(&workers[i], i, cfg, listen_fd) != 0 ||
            srv_worker_start(&workers[i]) != 0)
            rc = 2;
    if (rc == 0) {
        char url[128];
        socket_url(listen_fd, url, sizeof url);
        printf("zhsearch-server: serving %s (%llu documents, revision %llu) at %s\n",
               o->dbs[0], (unsigned long long)stats->documents,
               (unsigned long long)stats->revision, url);
        fflush(stdout);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGHUP);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        wait_for_stop(&set);
    }
    for (unsigned i = 0; i < o->threads; i++)
        srv_worker_stop(&workers[i]);
    for (unsigned i = 0; i < o->threads; i++)
        srv_worker_release(&workers[i]);
    free(workers);
    return rc;
}

int main(int argc, char **argv)
{
    const char *env_db = getenv("ZHSEARCH_DB");
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    srv_options_t o;
    char why[256];
    if (srv_options_parse(argc, argv, env_db && *env_db ? env_db : SRV_DEFAULT_DB,
                          ncpu > 0 ? (unsigned)ncpu : 1, &o, why, sizeof why) != 0) {
        fprintf(stderr, "zhsearch-server: %s\n%s", why, srv_options_usage);
        return 2;
    }
    if (o.help) {
        fputs(srv_options_usage, stdout);
        srv_options_release(&o);
        return 0;
    }
    /* Signals are taken by sigwait in this thread only: block them before any worker
     * thread exists, so every thread inherits the mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    srv_config_t cfg = {.opts = &o};
    clock_gettime(CLOCK_MONOTONIC, &cfg.started);
    zhs_index_stats_t stats = {0};
    int rc = 2;
    int fd = -1;
    char *webdir = NULL;
    if (evthread_use_pthreads() != 0) {
        fprintf(stderr, "zhsearch-server: libevent has no thread support\n");
    } else if (check_index(&o, &stats) == 0 && (fd = open_listener(&o)) >= 0) {
        cfg.webdir = webdir = srv_webdir_find();
        if (!webdir)
            srv_log("no web directory (set ZHSEARCH_WEB); / shows a placeholder page");
        rc = serve(&o, &cfg, fd, &stats);
    }
    if (fd >= 0)
        close(fd);
    free(webdir);
    srv_options_release(&o);
    libevent_global_shutdown();
    return rc;
}
