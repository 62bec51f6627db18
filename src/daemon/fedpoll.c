/*
 * fedpoll.c: the federation poller (fedpoll.h).
 *
 * One transfer at a time, blocking, with connect and total timeouts, a
 * size limit (FED_BODY_MAX, checked as the bytes arrive), no redirects,
 * http and https only; the progress callback aborts it when the daemon
 * stops.  Everything here but `stopping` belongs to the thread.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "daemon/fedpoll.h"
#include "interop/fed.h"
#include "svc/svc_peer.h"

#define FEDPOLL_TICK_MS		500
#define FEDPOLL_DUE		8
#define FEDPOLL_ERR_MAX		300

static struct {
	struct store		*st;
	const struct svc_config	*cfg;
	struct fedpoll_config	 fc;
	pthread_t		 thread;
	bool			 running;
	atomic_bool		 stopping;
} f;

/* A response being received. */
struct resp {
	struct cs_buf	 body;
	bool		 too_big;
	char		 last[FED_CURSOR_MAX + 1];	/* X-TAXII-Date-Added-Last */
};

static size_t
body_cb(char *p, size_t size, size_t n, void *arg)
{
	struct resp *r = arg;

	if (cs_buf_len(&r->body) + size * n > FED_BODY_MAX) {
		r->too_big = true;
		return 0;
	}
	cs_buf_add(&r->body, p, size * n);
	return size * n;
}

static size_t
header_cb(char *p, size_t size, size_t n, void *arg)
{
	struct resp *r = arg;
	static const char name[] = "X-TAXII-Date-Added-Last:";
	size_t len = size * n, k = sizeof(name) - 1;

	if (len > k && strncasecmp(p, name, k) == 0) {
		size_t a = k, b = len;

		while (a < b && (p[a] == ' ' || p[a] == '\t'))
			a++;
		while (b > a && (p[b - 1] == '\r' || p[b - 1] == '\n' ||
		    p[b - 1] == ' '))
			b--;
		if (b - a <= FED_CURSOR_MAX) {
			memcpy(r->last, p + a, b - a);
			r->last[b - a] = '\0';
		}
	}
	return len;
}

static int
progress_cb(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	(void)arg; (void)dt; (void)dn; (void)ut; (void)un;
	return atomic_load(&f.stopping) ? 1 : 0;
}

/* GET url for p into r; false with err on any failure. */
static bool
fetch(const struct store_peer *p, const char *url, struct resp *r, char *err,
    size_t errsz)
{
	struct curl_slist *h = NULL;
	char ebuf[CURL_ERROR_SIZE] = "", *auth = NULL;
	long status = 0;
	CURLcode cc;
	CURL *c;

	if ((c = curl_easy_init()) == NULL) {
		cs_fmt(err, errsz, "cannot start a transfer");
		return false;
	}
	h = curl_slist_append(h, "Accept: application/taxii+json;version=2.1");
	if (p->auth == PEER_AUTH_BEARER && p->secret != NULL) {
		auth = xasprintf("Authorization: Bearer %s", p->secret);
		h = curl_slist_append(h, auth);
	} else if (p->auth == PEER_AUTH_BASIC && p->secret != NULL) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, p->login != NULL ?
		    p->login : "");
		curl_easy_setopt(c, CURLOPT_PASSWORD, p->secret);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, f.fc.connect_timeout_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, f.fc.timeout_s);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)FED_BODY_MAX);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, body_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "cishared-federation/1");
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	if (auth != NULL) {
		memset(auth, 0, strlen(auth));
		free(auth);
	}
	if (r->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		cs_fmt(err, errsz, "the page is over %d bytes", FED_BODY_MAX);
		return false;
	}
	if (cc != CURLE_OK) {
		cs_fmt(err, errsz, "%s", *ebuf ? ebuf : curl_easy_strerror(cc));
		return false;
	}
	if (status != 200) {
		cs_fmt(err, errsz, "HTTP %ld from the peer", status);
		return false;
	}
	return true;
}

/* Records the outcome of a poll of p (p's fields say what). */
static void
record(struct store_peer *p, int64_t received)
{
	enum cs_err rc;

	if ((rc = store_begin(f.st)) != CS_OK) {
		log_warn("event=peer_record_failed peer=%lld error=%s",
		    (long long)p->id, cs_err_name(rc));
		return;
	}
	rc = store_peer_record(f.st, p, received);
	if (rc == CS_OK)
		rc = store_commit(f.st);
	else
		store_rollback(f.st);
	if (rc != CS_OK && rc != CS_ENOENT)
		log_warn("event=peer_record_failed peer=%lld error=%s",
		    (long long)p->id, cs_err_name(rc));
}

static void
fail(struct store_peer *p, int64_t now, const char *err)
{
	p->last_try_us = now;
	p->failures++;
	p->next_us = cs_time_now_us() + fed_delay_us(p->interval_s, p->failures);
	free(p->last_error);
	p->last_error = xstrdup(err);
	log_warn("event=peer_sync_failed peer=%lld name=%s failures=%d "
	    "retry_in_s=%lld error=\"%s\"", (long long)p->id, p->name,
	    p->failures, (long long)((p->next_us - cs_time_now_us()) / 1000000),
	    err);
	record(p, 0);
}

/* Stores one page with the cursor it moves to, in one transaction. */
static bool
ingest(struct store_peer *p, const struct fed_page *pg, const char *cursor,
    int64_t now, int *stored, char *err, size_t errsz)
{
	struct svc_ctx c;
	struct cs_error e;
	char *old = p->cursor;
	enum cs_err rc;

	cs_error_clear(&e);
	if ((rc = store_begin(f.st)) != CS_OK) {
		cs_fmt(err, errsz, "store unavailable");
		return false;
	}
	svc_ctx_system(&c, f.st, f.cfg, now);
	rc = svc_peer_ingest(&c, p, pg, stored, &e);
	if (rc == CS_OK) {
		p->cursor = (char *)cursor;
		rc = store_peer_record(f.st, p, *stored);
		p->cursor = old;
		if (rc != CS_OK)
			cs_fail(&e, rc, "", "store error");
	}
	if (rc == CS_OK && (rc = store_commit(f.st)) != CS_OK)
		cs_fail(&e, rc, "", "commit failed");
	else if (rc != CS_OK)
		store_rollback(f.st);
	if (rc != CS_OK) {
		*stored = 0;
		cs_fmt(err, errsz, "the page was refused: %s%s%s", *e.field ?
		    e.field : "", *e.field ? ": " : "", e.msg);
		return false;
	}
	if (cursor != NULL && (old == NULL || strcmp(old, cursor) != 0)) {
		free(p->cursor);
		p->cursor = xstrdup(cursor);
	}
	return true;
}

static void
poll_peer(struct store_peer *p)
{
	int64_t now = cs_time_now_us(), total = 0;
	char err[FEDPOLL_ERR_MAX], *next = NULL;
	int pages = 0, red = 0, drill = 0;

	log_info("event=peer_sync_start peer=%lld name=%s cursor=%s",
	    (long long)p->id, p->name, p->cursor != NULL ? p->cursor : "-");
	do {
		struct resp r;
		struct fed_page pg;
		struct cs_error e;
		const char *cur;
		char *url;
		int stored = 0;
		bool ok;

		memset(&r, 0, sizeof(r));
		cs_buf_init(&r.body, FED_BODY_MAX + 1);
		url = fed_page_url(p->url, p->collection, p->cursor, next,
		    FED_PAGE_LIMIT);
		ok = url != NULL && fetch(p, url, &r, err, sizeof(err));
		if (url == NULL)
			cs_fmt(err, sizeof(err), "the page URL is too long");
		free(url);
		if (!ok) {
			cs_buf_fini(&r.body);
			free(next);
			fail(p, now, err);
			return;
		}
		cs_error_clear(&e);
		if (fed_page_parse(cs_buf_str(&r.body) != NULL ?
		    cs_buf_str(&r.body) : "", cs_buf_len(&r.body), &pg, &e) !=
		    CS_OK) {
			cs_buf_fini(&r.body);
			free(next);
			cs_fmt(err, sizeof(err), "not a TAXII envelope: %s%s%s",
			    *e.field ? e.field : "", *e.field ? ": " : "", e.msg);
			fail(p, now, err);
			return;
		}
		cs_buf_fini(&r.body);
		/* The page's last date_added moves the cursor; else it stays. */
		cur = fed_cursor_max(p->cursor, fed_cursor_valid(r.last) ?
		    r.last : NULL);
		p->last_try_us = now;
		p->last_ok_us = now;
		p->failures = 0;
		free(p->last_error);
		p->last_error = NULL;
		p->next_us = now + fed_delay_us(p->interval_s, 0);
		red += pg.dropped_red;
		drill += pg.dropped_drill;
		if (!ingest(p, &pg, cur, now, &stored, err, sizeof(err))) {
			fed_page_fini(&pg);
			free(next);
			fail(p, now, err);
			return;
		}
		total += stored;
		free(next);
		next = pg.more && pg.next != NULL ? xstrdup(pg.next) : NULL;
		fed_page_fini(&pg);
	} while (next != NULL && ++pages < FED_PAGES_MAX &&
	    !atomic_load(&f.stopping));
	free(next);
	log_info("event=peer_sync peer=%lld name=%s stored=%lld refused_red=%d "
	    "refused_drill=%d cursor=%s", (long long)p->id, p->name,
	    (long long)total, red, drill, p->cursor != NULL ? p->cursor : "-");
}

static void
sleep_tick(void)
{
	struct timespec ts = { 0, 50 * 1000000L };

	for (int i = 0; i < FEDPOLL_TICK_MS / 50 && !atomic_load(&f.stopping); i++)
		nanosleep(&ts, NULL);
}

static void *
fedpoll_main(void *arg)
{
	(void)arg;
	log_info("event=fedpoll_start connect_timeout_s=%ld timeout_s=%ld",
	    f.fc.connect_timeout_s, f.fc.timeout_s);
	while (!atomic_load(&f.stopping)) {
		struct store_peer *v = NULL;
		size_t n = 0;
		enum cs_err rc;

		if ((rc = store_begin_snapshot(f.st)) == CS_OK) {
			rc = store_peer_due(f.st, cs_time_now_us(), FEDPOLL_DUE,
			    &v, &n);
			store_rollback(f.st);
		}
		if (rc != CS_OK)
			log_warn("event=fedpoll_due_failed error=%s",
			    cs_err_name(rc));
		for (size_t i = 0; i < n && !atomic_load(&f.stopping); i++)
			poll_peer(&v[i]);
		store_peers_free(v, n);
		sleep_tick();
	}
	log_info("event=fedpoll_stop");
	return NULL;
}

enum cs_err
fedpoll_start(struct store *st, const struct svc_config *cfg,
    const struct fedpoll_config *fc)
{
	if (f.running)
		return CS_ECONFLICT;
	f.st = st;
	f.cfg = cfg;
	f.fc = *fc;
	if (f.fc.connect_timeout_s <= 0)
		f.fc.connect_timeout_s = 10;
	if (f.fc.timeout_s <= 0)
		f.fc.timeout_s = 30;
	atomic_store(&f.stopping, false);
	if (pthread_create(&f.thread, NULL, fedpoll_main, NULL) != 0)
		return CS_EINTERNAL;
	f.running = true;
	return CS_OK;
}

void
fedpoll_stop(void)
{
	if (!f.running)
		return;
	atomic_store(&f.stopping, true);
	pthread_join(f.thread, NULL);
	f.running = false;
}
