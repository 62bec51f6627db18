/*
 * accept.c: the listening socket of a plain-HTTP daemon, so that live
 * inboxes can live in a daemon of their own.
 *
 * libmicrohttpd gives each connection one memory pool of a size fixed per
 * daemon, and touches about all of it: the main daemon's 64 KiB (request
 * headers up to some 60 KiB, as hostile input tests send) would make
 * 10,000 open streams cost 400 MB.  So one thread accepts every
 * connection, waits for its first bytes, peeks at the request line
 * (recv(MSG_PEEK): nothing is consumed) and hands the connection with
 * MHD_add_connection() to the streams daemon, whose pools are small, when
 * it is GET /api/v1/inbox/stream with a short head, and to the main daemon
 * otherwise.  A connection that has sent nothing decisive within
 * ACC_WAIT_US goes to the main daemon, which has its own timeouts.  Under TLS the request line
 * cannot be read here, and the main daemon listens itself (server.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/http_int.h"

#define ACC_WAIT_US	5000000	/* for the head of a request */
/*
 * A live inbox whose request head (request line and headers) is longer
 * goes to the main daemon: the streams daemon's pools hold about 3 KiB.
 */
#define ACC_HEAD_MAX	2048
#define ACC_TICK_MS	250	/* deadline sweep */
#define ACC_EVENTS	256

/* What the acceptor recognises: the stream's request line, to the path's end. */
static const char STREAM_LINE[] = "GET " API_PREFIX "/inbox/stream";

/* A connection accepted, its first bytes awaited (a FIFO: one timeout). */
struct pending {
	int			 fd;
	struct sockaddr_in	 addr;
	socklen_t		 addrlen;
	int64_t			 deadline_us;
	struct pending		*prev, *next;
};

struct http_acceptor {
	int			 lfd;		/* the listening socket */
	int			 ep;
	int			 wake[2];	/* a pipe: stop */
	bool			 listening;	/* lfd in ep (not while out of fds) */
	pthread_t		 thread;
	struct MHD_Daemon	*main, *streams;
	struct pending		*head, *tail;
	atomic_bool		 stop;
};

/*
 * 1: a live inbox whose whole head is in b; 0: anything else (a head
 * longer than ACC_HEAD_MAX too); -1: too short to tell yet.
 */
static int
route_of(const char *b, size_t n)
{
	size_t k = sizeof(STREAM_LINE) - 1;

	if (n <= k)
		return memcmp(b, STREAM_LINE, n) == 0 ? -1 : 0;
	if (memcmp(b, STREAM_LINE, k) != 0 ||
	    (b[k] != ' ' && b[k] != '?' && b[k] != '/'))
		return 0;
	for (size_t i = k; i + 1 < n; i++)	/* the blank line: CR LF or LF */
		if (b[i] == '\n' && (b[i + 1] == '\n' ||
		    (b[i + 1] == '\r' && i + 2 < n && b[i + 2] == '\n')))
			return 1;
	return n >= ACC_HEAD_MAX ? 0 : -1;
}

static int
nonblock_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
		return -1;
	return 0;
}

static void
unlink_pending(struct http_acceptor *a, struct pending *p)
{
	if (p->prev != NULL)
		p->prev->next = p->next;
	else
		a->head = p->next;
	if (p->next != NULL)
		p->next->prev = p->prev;
	else
		a->tail = p->prev;
}

/* Out of the wait: to daemon d (NULL: closed), p freed. */
static void
hand_over(struct http_acceptor *a, struct pending *p, struct MHD_Daemon *d)
{
	(void)epoll_ctl(a->ep, EPOLL_CTL_DEL, p->fd, NULL);
	unlink_pending(a, p);
	if (d == NULL)
		close(p->fd);
	else	/* closes the socket itself if it cannot take it */
		(void)MHD_add_connection(d, p->fd,
		    (const struct sockaddr *)&p->addr, p->addrlen);
	free(p);
}

static void
accept_all(struct http_acceptor *a)
{
	for (;;) {
		struct pending *p = xcalloc(1, sizeof(*p));
		struct epoll_event ev;

		p->addrlen = sizeof(p->addr);
		p->fd = accept(a->lfd, (struct sockaddr *)&p->addr, &p->addrlen);
		if (p->fd >= 0 && nonblock_cloexec(p->fd) != 0) {
			close(p->fd);
			free(p);
			continue;
		}
		if (p->fd < 0) {
			int err = errno;

			free(p);
			if (err == EMFILE || err == ENFILE || err == ENOBUFS ||
			    err == ENOMEM) {
				/* Out of descriptors: stop listening until the sweep. */
				(void)epoll_ctl(a->ep, EPOLL_CTL_DEL, a->lfd, NULL);
				a->listening = false;
				log_warn("event=accept_paused errno=%d", err);
			}
			return;		/* EAGAIN, or a connection that went */
		}
		p->deadline_us = cs_time_mono_us() + ACC_WAIT_US;
		memset(&ev, 0, sizeof(ev));
		/* Edge-triggered: what was peeked at stays readable. */
		ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
		ev.data.ptr = p;
		if (epoll_ctl(a->ep, EPOLL_CTL_ADD, p->fd, &ev) != 0) {
			close(p->fd);
			free(p);
			continue;
		}
		p->prev = a->tail;
		if (a->tail != NULL)
			a->tail->next = p;
		else
			a->head = p;
		a->tail = p;
	}
}

/* Its first bytes arrived (or it closed): route it, or wait for more. */
static void
peek(struct http_acceptor *a, struct pending *p)
{
	char b[ACC_HEAD_MAX];
	ssize_t n;
	int r;

	n = recv(p->fd, b, sizeof(b), MSG_PEEK);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		hand_over(a, p, NULL);
		return;
	}
	if ((r = route_of(b, (size_t)n)) < 0)
		return;		/* more to come (an edge will say so) */
	hand_over(a, p, r == 1 ? a->streams : a->main);
}

static void *
acceptor_main(void *arg)
{
	struct http_acceptor *a = arg;
	struct epoll_event evs[ACC_EVENTS];

	while (!atomic_load(&a->stop)) {
		int n = epoll_wait(a->ep, evs, ACC_EVENTS, ACC_TICK_MS);
		int64_t now;

		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr == a)
				accept_all(a);
			else if (evs[i].data.ptr != NULL)
				peek(a, evs[i].data.ptr);
		}
		now = cs_time_mono_us();
		while (a->head != NULL && a->head->deadline_us <= now)
			hand_over(a, a->head, a->main);
		if (!a->listening) {
			struct epoll_event ev;

			memset(&ev, 0, sizeof(ev));
			ev.events = EPOLLIN;
			ev.data.ptr = a;
			a->listening = epoll_ctl(a->ep, EPOLL_CTL_ADD, a->lfd,
			    &ev) == 0;
		}
	}
	while (a->head != NULL)
		hand_over(a, a->head, NULL);
	return NULL;
}

enum cs_err
http_acceptor_listen(const struct sockaddr_in *sa, int *fd, int *port,
    struct cs_error *e)
{
	struct sockaddr_in got;
	socklen_t len = sizeof(got);
	int s, on = 1;

	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || nonblock_cloexec(s) != 0) {
		if (s >= 0)
			close(s);
		return cs_fail(e, CS_EIO, "listen", "socket: %s", strerror(errno));
	}
	(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(s, (const struct sockaddr *)sa, sizeof(*sa)) != 0 ||
	    listen(s, 4096) != 0 ||
	    getsockname(s, (struct sockaddr *)&got, &len) != 0) {
		close(s);
		return cs_fail(e, CS_EIO, "listen", "cannot listen: %s",
		    strerror(errno));
	}
	*fd = s;
	*port = ntohs(got.sin_port);
	return CS_OK;
}

enum cs_err
http_acceptor_start(int lfd, struct MHD_Daemon *main_d,
    struct MHD_Daemon *streams, struct http_acceptor **out)
{
	struct http_acceptor *a = xcalloc(1, sizeof(*a));
	struct epoll_event ev;

	a->lfd = lfd;
	a->main = main_d;
	a->streams = streams;
	a->wake[0] = a->wake[1] = -1;
	atomic_init(&a->stop, false);
	if ((a->ep = epoll_create1(EPOLL_CLOEXEC)) < 0 || pipe(a->wake) != 0)
		goto fail;
	if (nonblock_cloexec(a->wake[0]) != 0 || nonblock_cloexec(a->wake[1]) != 0)
		goto fail;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = a;
	if (epoll_ctl(a->ep, EPOLL_CTL_ADD, lfd, &ev) != 0)
		goto fail;
	a->listening = true;
	ev.data.ptr = NULL;		/* the wake pipe */
	if (epoll_ctl(a->ep, EPOLL_CTL_ADD, a->wake[0], &ev) != 0 ||
	    pthread_create(&a->thread, NULL, acceptor_main, a) != 0)
		goto fail;
	*out = a;
	return CS_OK;
fail:
	if (a->ep >= 0)
		close(a->ep);
	if (a->wake[0] >= 0) {
		close(a->wake[0]);
		close(a->wake[1]);
	}
	free(a);
	return CS_EINTERNAL;
}

void
http_acceptor_stop(struct http_acceptor *a)
{
	if (a == NULL)
		return;
	atomic_store(&a->stop, true);
	(void)write(a->wake[1], "x", 1);
	pthread_join(a->thread, NULL);
	close(a->ep);
	close(a->wake[0]);
	close(a->wake[1]);
	close(a->lfd);
	free(a);
}
