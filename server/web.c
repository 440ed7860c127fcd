/* Serving the search page: the web directory's files under `/`, and a short page
 * saying the search page is not installed when there is none. */
#include "config.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"
#include "params.h"
#include "web.h"

#ifndef ZHS_DATADIR
#define ZHS_DATADIR "/usr/local/share/zhsearch"
#endif

static bool is_dir(const char *path)
{
    struct stat st;
    return path && *path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *srv_webdir_find(void)
{
    const char *env = getenv("ZHSEARCH_WEB");
    const char *candidates[] = {env, ZHS_DATADIR "/web", "web"};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
        if (is_dir(candidates[i]))
            return realpath(candidates[i], NULL);
    return NULL;
}

const char *srv_web_content_type(const char *name)
{
    static const struct {
        const char *ext;
        const char *type;
    } types[] = {
        {".html", SRV_CTYPE_HTML},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", SRV_CTYPE_JSON},
        {".txt", "text/plain; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".webmanifest", "application/manifest+json"},
    };
    const char *dot = strrchr(name, '.');
    const char *slash = strrchr(name, '/');
    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

int srv_web_path_ok(const char *path)
{
    if (path[0] != '/' || strchr(path, '\\'))
        return 0;
    for (const char *seg = path + 1;;) {
        size_t n = strcspn(seg, "/");
        if (n == 0 || seg[0] == '.')
            return 0;
        if (!seg[n])
            return 1;
        seg += n + 1;
    }
}

static const char not_installed_page[] =
    "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
    "<title>zhsearch</title></head>\n<body><h1>zhsearch</h1>\n"
    "<p>The search page is not installed (no web directory: set ZHSEARCH_WEB, or run "
    "<code>make install</code>). The API works: try "
    "<a href=\"/search?q=%E7%9F%A5%E8%AF%86%E4%BA%A7%E6%9D%83\">/search?q=知识产权</a>, "
    "<a href=\"/stats\">/stats</a>, <a href=\"/health\">/health</a>.</p>\n"
    "</body></html>\n";

/* Puts the file webdir + path into out; false when there is no such regular file. The
 * page's files are small, so they are read whole. */
static bool serve_file(const char *webdir, const char *path, srv_reply_t *out)
{
    char full[4096];
    if ((size_t)snprintf(full, sizeof full, "%s%s", webdir, path) >= sizeof full)
        return false;
    int fd = open(full, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    struct evbuffer *buf = NULL;
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (buf = evbuffer_new());
    for (int n = 1; ok && n > 0;)
        ok = (n = evbuffer_read(buf, fd, 65536)) >= 0;
    close(fd);
    if (!ok) {
        if (buf)
            evbuffer_free(buf);
        return false;
    }
    srv_reply_buffer(out, 200, srv_web_content_type(path), buf);
    return true;
}

void srv_handle_web(srv_request_t *rq, srv_reply_t *out)
{
    const char *webdir = rq->worker->cfg->webdir;
    bool home = strcmp(rq->path, "/") == 0;
    srv_error_t e = {0};
    char *path = srv_uri_decode(rq->path, strlen(rq->path), false, "path", &e);
    if (!path) {
        srv_reply_error(out, &e);
        return;
    }
    bool served = webdir && srv_web_path_ok(home ? "/index.html" : path) &&
                  serve_file(webdir, home ? "/index.html" : path, out);
    if (!served && home)
        srv_reply_bytes(out, 200, SRV_CTYPE_HTML, not_installed_page,
                        sizeof not_installed_page - 1);
    else if (!served)
        srv_reply_fail(out, SRV_ERR_NOT_FOUND, "no such path: %.200s", path);
    free(path);
}
