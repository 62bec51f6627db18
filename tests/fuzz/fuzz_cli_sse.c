/*
 * fuzz_cli_sse.c: the CLI's server-sent-events parser (src/cli/sse.c),
 * which reads whatever the server, or anything posing as it, streams to
 * "cishare inbox --follow".
 *
 * The first input byte chooses how the rest is cut into pieces; the rest
 * is the stream.  The invariants: the events, the result, the last event
 * id and the retry time do not depend on how the stream is cut (fed whole
 * or piece by piece, the network's choice); every event's type and id are
 * single lines within SSE_MAX_FIELD, its data within SSE_MAX_DATA and
 * without a CR; and a restarted parser keeps the last event id and still
 * parses.  Links only the cli objects and util.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "cli/sse.h"

/* The events of one run, serialised as type NUL id NUL len data. */
struct record {
	struct cs_buf	 b;
	size_t		 n;
};

static int
on_event(const struct sse_event *ev, void *arg)
{
	struct record *r = arg;
	size_t tl = strlen(ev->type), il = strlen(ev->id);

	FUZZ_CHECK(tl > 0 && tl < SSE_MAX_FIELD, "type of %zu bytes", tl);
	FUZZ_CHECK(il < SSE_MAX_FIELD, "id of %zu bytes", il);
	FUZZ_CHECK(strpbrk(ev->type, "\r\n") == NULL, "type \"%s\" holds a "
	    "line break", ev->type);
	FUZZ_CHECK(strpbrk(ev->id, "\r\n") == NULL, "id \"%s\" holds a line "
	    "break", ev->id);
	FUZZ_CHECK(ev->datalen <= SSE_MAX_DATA, "data of %zu bytes",
	    ev->datalen);
	FUZZ_CHECK(memchr(ev->data, '\r', ev->datalen) == NULL, "data holds "
	    "a CR");
	FUZZ_CHECK(ev->data[ev->datalen] == '\0', "data not terminated");
	(void)cs_buf_add(&r->b, ev->type, tl + 1);
	(void)cs_buf_add(&r->b, ev->id, il + 1);
	(void)cs_buf_printf(&r->b, "%zu:", ev->datalen);
	(void)cs_buf_add(&r->b, ev->data, ev->datalen);
	r->n++;
	/* Stop after many events, so that SSE_STOP is covered too. */
	return r->n >= 1000;
}

/* Feeds data in pieces of the sizes cut cycles through (0: whole). */
static enum sse_result
run(struct sse_parser *p, const char *data, size_t size, unsigned cut)
{
	enum sse_result rc = SSE_OK;
	size_t off = 0, piece, k = 0;

	if (cut == 0)
		return sse_feed(p, data, size);
	while (off < size) {
		piece = 1 + (cut + k++ * 7) % (cut + 1);
		if (piece > size - off)
			piece = size - off;
		rc = sse_feed(p, data + off, piece);
		off += piece;
	}
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sse_parser p1, p2;
	struct record r1, r2;
	enum sse_result e1, e2;
	const char *s;
	char *a, *b;
	size_t la, lb;

	if (size < 1 || size > 1024 * 1024)
		return 0;
	s = (const char *)data + 1;
	size--;
	cs_buf_init(&r1.b, 64UL * 1024 * 1024);
	cs_buf_init(&r2.b, 64UL * 1024 * 1024);
	r1.n = r2.n = 0;
	sse_init(&p1, on_event, &r1);
	sse_init(&p2, on_event, &r2);

	e1 = run(&p1, s, size, 0);
	e2 = run(&p2, s, size, data[0] % 17);
	FUZZ_CHECK(e1 == e2, "whole: %d, in pieces: %d", (int)e1, (int)e2);
	FUZZ_CHECK(r1.n == r2.n, "whole: %zu events, in pieces: %zu", r1.n,
	    r2.n);
	la = cs_buf_len(&r1.b);
	lb = cs_buf_len(&r2.b);
	a = cs_buf_finish(&r1.b);
	b = cs_buf_finish(&r2.b);
	FUZZ_CHECK(a != NULL && b != NULL, "record overflow");
	FUZZ_CHECK(la == lb && memcmp(a, b, la) == 0, "the events differ "
	    "with the cut");
	free(a);
	free(b);
	FUZZ_CHECK(strcmp(sse_last_id(&p1), sse_last_id(&p2)) == 0, "last "
	    "id \"%s\" vs \"%s\"", sse_last_id(&p1), sse_last_id(&p2));
	FUZZ_CHECK(sse_retry_ms(&p1) == sse_retry_ms(&p2), "retry %ld vs "
	    "%ld", sse_retry_ms(&p1), sse_retry_ms(&p2));
	FUZZ_CHECK(sse_retry_ms(&p1) >= -1, "retry %ld", sse_retry_ms(&p1));

	/* A reconnection keeps the last id and parses a fresh stream. */
	if (e1 == SSE_OK) {
		a = xstrdup(sse_last_id(&p1));
		sse_restart(&p1);
		FUZZ_CHECK(strcmp(a, sse_last_id(&p1)) == 0, "restart lost "
		    "the id");
		free(a);
		r1.n = 0;
		cs_buf_init(&r1.b, 4096);
		FUZZ_CHECK(sse_feed(&p1, "data: x\n\n", 10) == SSE_OK &&
		    r1.n == 1, "no event after a restart");
		cs_buf_fini(&r1.b);
	}
	sse_fini(&p1);
	sse_fini(&p2);
	return 0;
}
