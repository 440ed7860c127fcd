/* The search page for people: static files from a web directory found at start. */
#ifndef ZHS_SERVER_WEB_H
#define ZHS_SERVER_WEB_H

/* The web directory: $ZHSEARCH_WEB, else the installed `$(pkgdatadir)/web`, else `web`
 * under the working directory; the first that is a directory. A new string (caller
 * frees with free()), or NULL when there is none. */
char *srv_webdir_find(void);

/* The Content-Type for a file name, by extension. Static. */
const char *srv_web_content_type(const char *name);

/* Whether a decoded URL path may be served from the web directory: starts with '/',
 * no empty, `.`, `..` or hidden (`.name`) segment, no backslash. */
int srv_web_path_ok(const char *path);

#endif
