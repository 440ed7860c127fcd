/* The listening socket every worker accepts on. */
#ifndef SRV_LISTENER_H
#define SRV_LISTENER_H

#include <sys/socket.h>

/* A bound, listening, non-blocking, close-on-exec TCP socket for addr whose accepted
 * connections have TCP_NODELAY set; or -1 with errno set. Caller closes it. */
int srv_listener_open(const struct sockaddr *addr, socklen_t addrlen);

#endif
