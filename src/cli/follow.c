/*
 * follow.c: "inbox --follow": GET /inbox/stream through the SSE parser,
 * one line per event, reconnecting with Last-Event-ID until a signal,
 * --timeout or --max-events ends it.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/sse.h"

/*
 * The reconnection delay unless the server sets one ("retry:"), and how
 * long a silent stream (no event, no heartbeat) is trusted.
 */
#define FOLLOW_RETRY_MS	3000L
#define FOLLOW_RETRY_MIN_MS	500L
#define FOLLOW_RETRY_MAX_MS	60000L
#define FOLLOW_IDLE_S	60L

/* State of "inbox --follow", shared with the stream callbacks. */
struct follow {
	struct cmd_ctx	*ctx;
	int64_t		 max_events;	/* 0: no limit */
	int64_t		 nevents;
	int64_t		 deadline_us;	/* 0: none */
	int		 timed_out;
	int		 write_failed;	/* errno of the failed write, or 0 */
};

/* Set by SIGINT/SIGTERM while "inbox --follow" runs. */
static volatile sig_atomic_t got_signal;

static void	on_signal(int);
static int	follow_cancel(void *);
static int	follow_sleep(struct follow *, long);
static int	follow_event(const struct sse_event *, void *);

static void
on_signal(int sig)
{
	(void)sig;
	got_signal = 1;
}

/* Stop on a signal or at the deadline (polled by client_stream()). */
static int
follow_cancel(void *arg)
{
	struct follow *f = arg;

	if (got_signal)
		return 1;
	if (f->deadline_us > 0 && cs_time_now_us() >= f->deadline_us) {
		f->timed_out = 1;
		return 1;
	}
	return 0;
}

/* Sleeps ms milliseconds unless follow_cancel() says stop; returns it. */
static int
follow_sleep(struct follow *f, long ms)
{
	struct timespec ts;
	long step;

	while (ms > 0) {
		if (follow_cancel(f))
			return 1;
		step = ms < 200 ? ms : 200;
		ts.tv_sec = 0;
		ts.tv_nsec = step * 1000000L;
		(void)nanosleep(&ts, NULL);
		ms -= step;
	}
	return follow_cancel(f);
}

/* One event: a line of text, or its data as one JSON line (--json). */
static int
follow_event(const struct sse_event *ev, void *arg)
{
	struct follow *f = arg;
	json_error_t jerr;
	json_t *item;
	char when[40], *kind, *ident, *id, *imp, *tlp, *sum;

	item = json_loadb(ev->data, ev->datalen, 0, &jerr);
	if (!json_is_object(item)) {
		kind = safe_dup(ev->type, 1);
		id = safe_dup(ev->id, 1);
		fprintf(stderr, "cishare: warning: %s event %s: data is not"
		    " a JSON object; skipped\n", kind, id);
		free(kind);
		free(id);
		json_decref(item);
		return 0;
	}
	if (f->ctx->json) {
		(void)json_dumpf(item, stdout, JSON_COMPACT);
		fputc('\n', stdout);
	} else {
		cs_time_format(cs_time_now_us(), when, sizeof(when));
		kind = safe_dup(ev->type, 1);
		ident = jfield(item, "identification_number");
		id = jfield(item, "id");
		imp = importance_cell(item);
		tlp = tlp_text(json_object_get(item, "tlp"));
		sum = first_line(json_object_get(item, "summary"), 60);
		printf("%s  %s  %s (advisory %s)  %s  TLP:%s  %s\n", when, kind,
		    ident, id, imp, tlp, sum);
		free(kind);
		free(ident);
		free(id);
		free(imp);
		free(tlp);
		free(sum);
	}
	json_decref(item);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		f->write_failed = errno != 0 ? errno : EIO;
		return 1;
	}
	f->nevents++;
	return f->max_events > 0 && f->nevents >= f->max_events;
}

/*
 * inbox --follow: GET /inbox/stream, printing each event, reconnecting
 * with Last-Event-ID after the retry time (3 s unless the server says
 * otherwise) when the stream ends or drops.  A first connection that fails
 * is an error; so is a 4xx answer at any time.
 */
int
inbox_follow(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	struct sigaction sa, old_int, old_term;
	struct sse_parser p;
	struct client_stream s;
	struct client_error ce;
	struct follow f;
	enum client_status st;
	const char *v;
	char *msg;
	int64_t n;
	long delay;
	int rc = EXIT_USAGE, ever = 0, parser_ready = 0, handlers = 0;

	memset(&f, 0, sizeof(f));
	f.ctx = ctx;
	if ((v = args_get(a, "max-events")) != NULL) {
		if (cs_str_to_i64(v, 1, INT64_MAX, &n) != CS_OK) {
			rc = usage_error(ctx->entry, "--max-events: expected a"
			    " positive integer, not \"%s\"", v);
			goto out;
		}
		f.max_events = n;
	}
	if ((v = args_get(a, "timeout")) != NULL) {
		if (cs_str_to_i64(v, 1, 31L * 86400, &n) != CS_OK) {
			rc = usage_error(ctx->entry, "--timeout: expected 1 to"
			    " %ld seconds, not \"%s\"", 31L * 86400, v);
			goto out;
		}
		f.deadline_us = cs_time_now_us() + n * 1000000;
	}
	sse_init(&p, follow_event, &f);
	parser_ready = 1;
	if ((v = args_get(a, "last-event-id")) != NULL) {
		if (cs_str_to_i64(v, 0, INT64_MAX, &n) != CS_OK) {
			rc = usage_error(ctx->entry, "--last-event-id: expected"
			    " an event id, not \"%s\"", v);
			goto out;
		}
		sse_set_last_id(&p, v);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: interrupt the waits */
	got_signal = 0;
	if (sigaction(SIGINT, &sa, &old_int) == 0) {
		if (sigaction(SIGTERM, &sa, &old_term) == 0)
			handlers = 2;
		else
			handlers = 1;
	}

	for (;;) {
		memset(&s, 0, sizeof(s));
		s.parser = &p;
		s.last_event_id = *sse_last_id(&p) != '\0' ? sse_last_id(&p) :
		    NULL;
		s.idle_timeout_s = FOLLOW_IDLE_S;
		s.cancel = follow_cancel;
		s.arg = &f;
		st = client_stream(ctx->client, "/inbox/stream", &s, &ce);
		ever |= s.connected;
		if (f.write_failed) {
			fprintf(stderr, "cishare: cannot write output: %s\n",
			    strerror(f.write_failed));
			rc = EXIT_FAIL;
			break;
		}
		if (s.stopped) {
			rc = 0;
			break;
		}
		if (s.cancelled)
			goto cancelled;
		if (st == CLIENT_EPROTO || (st == CLIENT_EHTTP &&
		    (ce.http_status < 500 || !ever)) ||
		    (st == CLIENT_ENET && !ever)) {
			rc = report_error(ctx, &ce);
			break;
		}
		delay = sse_retry_ms(&p) >= 0 ? sse_retry_ms(&p) :
		    FOLLOW_RETRY_MS;
		/* Neither a busy loop nor a day's wait, whatever it says. */
		if (delay < FOLLOW_RETRY_MIN_MS)
			delay = FOLLOW_RETRY_MIN_MS;
		if (delay > FOLLOW_RETRY_MAX_MS)
			delay = FOLLOW_RETRY_MAX_MS;
		if (st == CLIENT_OK)
			fprintf(stderr, "cishare: the server ended the stream;"
			    " reconnecting in %ld ms\n", delay);
		else {
			msg = safe_dup(ce.message, 1);
			if (st == CLIENT_EHTTP)
				fprintf(stderr, "cishare: error: %s (HTTP %ld);"
				    " reconnecting in %ld ms\n", msg,
				    ce.http_status, delay);
			else
				fprintf(stderr, "cishare: %s; reconnecting in"
				    " %ld ms\n", msg, delay);
			free(msg);
		}
		sse_restart(&p);
		if (follow_sleep(&f, delay))
			goto cancelled;
	}
	goto out;
cancelled:
	/*
	 * A signal ends --follow normally; so does --timeout, unless
	 * --max-events asked for more events than came.
	 */
	rc = f.timed_out && f.max_events > 0 ? EXIT_NET : 0;
	if (rc != 0)
		fprintf(stderr, "cishare: timed out after %" PRId64 " of %"
		    PRId64 " events\n", f.nevents, f.max_events);
out:
	if (handlers >= 1)
		(void)sigaction(SIGINT, &old_int, NULL);
	if (handlers == 2)
		(void)sigaction(SIGTERM, &old_term, NULL);
	if (parser_ready)
		sse_fini(&p);
	return rc;
}
