/*
 * sse: an incremental parser for server-sent events, the "event stream"
 * format of the WHATWG HTML standard (text/event-stream), as sent by
 * GET /api/v1/inbox/stream.
 *
 * Bytes are fed in whatever pieces the network delivers; lines may end in
 * CRLF, LF or CR and may be split anywhere, even between CR and LF.  A
 * line starting with ':' is a comment (heartbeat) and is ignored;
 * "event:", "data:", "id:" and "retry:" set the fields of the event being
 * built; a blank line dispatches it to the handler.  As the standard says,
 * an event without data is not dispatched, but its id still becomes the
 * last event id, and an unfinished event at the end of a stream is
 * dropped.  The last event id and the retry time outlive a connection, so
 * a reconnecting client can send Last-Event-ID.
 *
 * Dependencies: util.  Not thread-safe: one parser per stream.
 */
#ifndef CS_CLI_SSE_H
#define CS_CLI_SSE_H

#include <stddef.h>

#include "util/util.h"

/* Longest line, and largest event data, accepted. */
#define SSE_MAX_LINE	(4UL * 1024 * 1024)
#define SSE_MAX_DATA	(4UL * 1024 * 1024)
/* Longest event type and event id kept. */
#define SSE_MAX_FIELD	256

/* One dispatched event.  All strings are borrowed for the handler call. */
struct sse_event {
	const char	*id;		/* the last event id, "" if none yet */
	const char	*type;		/* "message" unless "event:" set it */
	const char	*data;		/* "data:" lines joined with \n */
	size_t		 datalen;
};

/*
 * Called for each dispatched event.  Returns 0 to go on, or nonzero to
 * stop: sse_feed() then returns SSE_STOP and ignores the rest of its
 * input.
 */
typedef int	(*sse_handler)(const struct sse_event *, void *);

enum sse_result {
	SSE_OK = 0,
	SSE_STOP,		/* the handler asked to stop */
	SSE_ETOOBIG		/* a line or event was over its cap */
};

/* Fields are private to sse.c. */
struct sse_parser {
	sse_handler	 handler;
	void		*arg;
	struct cs_buf	 line;		/* the line being read */
	struct cs_buf	 data;		/* the event's data so far */
	char		 type[SSE_MAX_FIELD];
	char		 idbuf[SSE_MAX_FIELD];	/* the "last event ID buffer" */
	char		 last_id[SSE_MAX_FIELD];	/* set on dispatch */
	long		 retry_ms;	/* -1: the server sent none */
	int		 after_cr;	/* the last byte seen was a CR */
	int		 at_start;	/* no line of this stream seen yet */
	int		 have_data;	/* a "data:" line came for this event */
	enum sse_result	 state;		/* sticky SSE_STOP or SSE_ETOOBIG */
};

/*
 * Prepares p; handler(event, arg) receives the events.  The caller must
 * call sse_fini().
 */
void		 sse_init(struct sse_parser *p, sse_handler handler, void *arg);
void		 sse_fini(struct sse_parser *p);
/*
 * Starts a new stream (a reconnection): drops a half-read line or event,
 * keeps the last event id and the retry time.
 */
void		 sse_restart(struct sse_parser *p);
/*
 * Parses the n bytes at buf.  Returns SSE_OK, SSE_STOP once the handler
 * has asked to stop (and on every later call), or SSE_ETOOBIG, after
 * which the stream is unusable until sse_restart().
 */
enum sse_result	 sse_feed(struct sse_parser *p, const char *buf, size_t n)
		    CS_WUR;
/* The last event id ("" if none); borrowed until the next sse_feed(). */
const char	*sse_last_id(const struct sse_parser *p);
/* Sets the last event id, e.g. from the command line. */
void		 sse_set_last_id(struct sse_parser *p, const char *id);
/* The reconnection time the server asked for in ms, or -1. */
long		 sse_retry_ms(const struct sse_parser *p);

#endif
