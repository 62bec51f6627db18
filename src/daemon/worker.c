/*
 * worker.c: the background thread of `cishared serve` (see worker.h):
 * alert reminders, the notification sender (SMTP and webhooks through
 * libcurl) and the retention purge (daemon/purge.c).
 *
 * Sending: one persistent curl multi handle runs up to WORKER_INFLIGHT
 * transfers at once, at most one per channel, so one hanging receiver
 * delays nobody else.  curl_multi_poll() is also the thread's tick, and
 * worker_stop() ends it at once with curl_multi_wakeup(); transfers still
 * running are abandoned and stay pending.
 *
 * Store transactions are taken only to read or record state, never while
 * a transfer waits on the network.  Everything in `w` except `running`
 * (guarded by `lock`) and `stopping` (atomic) belongs to the thread
 * between worker_start() and the join in worker_stop().
 */
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "util/net.h"
#include "daemon/worker.h"
#include "daemon/purge.h"

#define WORKER_TICK_MS		200
#define WORKER_TICK_US		(INT64_C(1000) * WORKER_TICK_MS)
#define WORKER_REMIND_EVERY_US	INT64_C(1000000)	/* shortest reminder scan period */
#define WORKER_REMIND_BATCH	100
#define WORKER_TRIM_EVERY_US	INT64_C(10000000)	/* malloc_trim, at most this often */
#define WORKER_INFLIGHT		20	/* concurrent transfers */
#define WORKER_FETCH		50	/* due rows looked at per tick */
#define WORKER_LEASE_US		INT64_C(900000000)	/* 15 min claim on a send */
#define WORKER_TIMEOUT_S	10L
#define WORKER_BACKOFF_DEF_US	INT64_C(30000000)
#define WORKER_BACKOFF_MAX_US	INT64_C(3600000000)
#define WORKER_ATTEMPTS_DEF	6
#define WORKER_MAIL_MAX		(1024 * 1024)
/* Raw bytes per RFC 2047 encoded-word: 52 base64 chars, 64-char words. */
#define WORKER_SUBJ_CHUNK	39
#define WORKER_B64_LINE		76
#define WORKER_ERR_MAX		200

/* An upload source for curl's read callback. */
struct upload {
	const char	*p;
	size_t		 len;
	size_t		 off;
};

/* One transfer in flight; owns the notification and everything curl reads. */
struct job {
	struct store_notification x;
	enum store_channel_kind	 kind;
	CURL			*c;
	struct curl_slist	*list;	/* webhook headers or mail recipients */
	struct curl_slist	*resolve; /* webhook: host:port:checked address */
	char			*msg;	/* the mail message */
	struct upload		 up;
	char			 ebuf[CURL_ERROR_SIZE];
};

struct worker {
	struct store		*st;
	const struct svc_config	*cfg;
	struct worker_config	 wc;		/* smtp_url, mail_from point below */
	char			*smtp_url;	/* owned; NULL when unset */
	char			*mail_from;	/* owned */
	CURLM			*multi;
	struct job		*jobs[WORKER_INFLIGHT];
	size_t			 njobs;
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	bool			 running;
	atomic_bool		 stopping;
};

static void	*worker_main(void *);
static void	 remind(int64_t);
static void	 fetch_due(int64_t);
static bool	 busy(const struct store_notification *);
static void	 start(struct store_notification *);
static void	 reap(void);
static void	 finish(struct job *, CURLcode);
static void	 abandon_all(void);
static void	 job_free(struct job *);
static void	 record(struct store_notification *, bool, bool, const char *);
static int64_t	 backoff(int);
static bool	 webhook_setup(struct job *, const struct store_channel *, char *,
		    size_t);
static bool	 mail_setup(struct job *, const struct store_channel *, char *,
		    size_t);
static char	*mail_compose(const struct store_notification *, const char *);
static void	 mail_date(char *, size_t);
static void	 b64_add(struct cs_buf *, const unsigned char *, size_t, size_t);
static bool	 curl_new(struct job *, char *, size_t);
static void	 curl_err(CURLcode, const char *, char *, size_t);
static size_t	 discard_cb(char *, size_t, size_t, void *);
static size_t	 read_cb(char *, size_t, size_t, void *);

static struct worker w = { .lock = PTHREAD_MUTEX_INITIALIZER };

enum cs_err
worker_start(struct store *st, const struct svc_config *cfg,
    const struct worker_config *wc)
{
	enum cs_err rc = CS_EINTERNAL;

	pthread_mutex_lock(&w.lock);
	if (w.running) {
		rc = CS_ECONFLICT;
		goto out;
	}
	if (wc->mail_from != NULL && (wc->mail_from[0] == '\0' ||
	    strpbrk(wc->mail_from, "\r\n<>\" ") != NULL)) {
		rc = CS_EINVAL;
		goto out;
	}
	if ((w.multi = curl_multi_init()) == NULL)
		goto out;
	w.st = st;
	w.cfg = cfg;
	w.wc = *wc;
	w.smtp_url = wc->smtp_url != NULL && wc->smtp_url[0] != '\0' ?
	    xstrdup(wc->smtp_url) : NULL;
	w.mail_from = xstrdup(wc->mail_from != NULL ? wc->mail_from :
	    "cishare@localhost");
	w.wc.smtp_url = w.smtp_url;
	w.wc.mail_from = w.mail_from;
	if (w.wc.backoff_base_us <= 0)
		w.wc.backoff_base_us = WORKER_BACKOFF_DEF_US;
	if (w.wc.max_attempts <= 0)
		w.wc.max_attempts = WORKER_ATTEMPTS_DEF;
	w.njobs = 0;
	atomic_store(&w.stopping, false);
	if (pthread_create(&w.thread, NULL, worker_main, NULL) != 0) {
		curl_multi_cleanup(w.multi);
		w.multi = NULL;
		free(w.smtp_url);
		free(w.mail_from);
		w.smtp_url = w.mail_from = NULL;
		goto out;
	}
	w.running = true;
	rc = CS_OK;
out:
	pthread_mutex_unlock(&w.lock);
	return rc;
}

void
worker_stop(void)
{
	pthread_mutex_lock(&w.lock);
	if (!w.running) {
		pthread_mutex_unlock(&w.lock);
		return;
	}
	atomic_store(&w.stopping, true);
	curl_multi_wakeup(w.multi);
	pthread_join(w.thread, NULL);
	curl_multi_cleanup(w.multi);
	w.multi = NULL;
	free(w.smtp_url);
	free(w.mail_from);
	w.smtp_url = w.mail_from = NULL;
	w.wc.smtp_url = w.wc.mail_from = NULL;
	w.running = false;
	pthread_mutex_unlock(&w.lock);
}

static void *
worker_main(void *arg)
{
	int64_t now, last_remind = 0, last_fetch = 0, last_purge = 0;
	int64_t last_trim = 0;
	int running;

	(void)arg;
	log_info("event=worker_start reminder_s=%lld smtp=%s backoff_ms=%lld "
	    "max_attempts=%d", (long long)(w.cfg->reminder_us / 1000000),
	    w.smtp_url != NULL ? "yes" : "no",
	    (long long)(w.wc.backoff_base_us / 1000), w.wc.max_attempts);
	while (!atomic_load(&w.stopping)) {
		now = cs_time_now_us();
		/* The scan costs: every tenth of the interval, between 1 s and 30 s. */
		if (w.cfg->reminder_us > 0 && now - last_remind >=
		    (w.cfg->reminder_us / 10 < WORKER_REMIND_EVERY_US ?
		    WORKER_REMIND_EVERY_US : w.cfg->reminder_us / 10 >
		    30 * WORKER_REMIND_EVERY_US ? 30 * WORKER_REMIND_EVERY_US :
		    w.cfg->reminder_us / 10)) {
			last_remind = now;
			remind(now);
		}
		/* Retention (docs/internals/retention.md): at start, then periodically. */
		if (now - last_purge >= (w.wc.purge_every_us > 0 ?
		    w.wc.purge_every_us : INT64_C(3600000000))) {
			int64_t purged[RET__COUNT];

			last_purge = now;
			(void)purge_run(w.st, w.cfg, now, purged);
		}
		/*
		 * A thread per connection, each with a malloc arena that
		 * keeps what it freed: give it back now and then (glibc).
		 */
		if (now - last_trim >= WORKER_TRIM_EVERY_US) {
			last_trim = now;
#ifdef __GLIBC__
			(void)malloc_trim(0);
#endif
		}
		if (now - last_fetch >= WORKER_TICK_US &&
		    w.njobs < WORKER_INFLIGHT) {
			last_fetch = now;
			fetch_due(now);
		}
		if (curl_multi_perform(w.multi, &running) != CURLM_OK)
			log_warn("event=notify_multi_failed");
		reap();
		/* Sleeps until a transfer needs us, the tick, or worker_stop(). */
		(void)curl_multi_poll(w.multi, NULL, 0, WORKER_TICK_MS, NULL);
	}
	abandon_all();
	log_info("event=worker_stop");
	return NULL;
}

/*
 * Reminders: each delivery of an issued alert left unacknowledged for
 * reminder_us (since delivery or the last reminder) gets an inbox event,
 * queued notifications and a new reminded_us, in one transaction.
 */
static void
remind(int64_t now)
{
	struct svc_ctx c;
	struct store_delivery *d = NULL;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_begin(w.st)) != CS_OK) {
		log_warn("event=reminder_failed error=%s", cs_err_name(rc));
		return;
	}
	rc = store_delivery_due(w.st, now - w.cfg->reminder_us,
	    WORKER_REMIND_BATCH, &d, &n);
	svc_ctx_system(&c, w.st, w.cfg, now);
	for (size_t i = 0; rc == CS_OK && i < n; i++)
		rc = svc_adv_remind(&c, &d[i]);
	if (rc != CS_OK) {
		store_rollback(w.st);
		log_warn("event=reminder_failed error=%s", cs_err_name(rc));
		goto out;
	}
	if ((rc = store_commit(w.st)) != CS_OK) {
		log_warn("event=reminder_failed error=%s", cs_err_name(rc));
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		log_info("event=reminder advisory=%lld org=%lld delivery=%lld",
		    (long long)d[i].advisory, (long long)d[i].org,
		    (long long)d[i].id);
	if (n > 0 && w.wc.events_cb != NULL)
		w.wc.events_cb(w.wc.events_arg);
out:
	free(d);
}

/* Starts transfers for due notifications while slots are free. */
static void
fetch_due(int64_t now)
{
	struct store_notification *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	bool *take = NULL;
	size_t slots = WORKER_INFLIGHT - w.njobs;

	if ((rc = store_begin(w.st)) != CS_OK)
		goto fail;
	if ((rc = store_notif_due(w.st, now, WORKER_FETCH, &v, &n)) != CS_OK) {
		store_rollback(w.st);
		goto fail;
	}
	/*
	 * Lease what this process will send, in the same transaction: another
	 * cishared on the same database skips it until the lease runs out
	 * (or this process records the outcome).
	 */
	take = calloc(n + 1, sizeof(*take));
	for (size_t i = 0; take != NULL && i < n && slots > 0; i++) {
		bool dup = false;

		for (size_t j = 0; j < i; j++)
			dup |= take[j] && v[j].channel == v[i].channel;
		if (dup || busy(&v[i]))
			continue;
		v[i].next_us = now + WORKER_LEASE_US;
		if ((rc = store_notif_update(w.st, &v[i])) != CS_OK) {
			store_rollback(w.st);
			free(take);
			goto fail;
		}
		take[i] = true;
		slots--;
	}
	if ((rc = store_commit(w.st)) != CS_OK) {
		free(take);
		goto fail;
	}
	for (size_t i = 0; take != NULL && i < n; i++) {
		if (atomic_load(&w.stopping))
			break;
		if (take[i])
			start(&v[i]);
	}
	free(take);
	goto out;
fail:
	log_warn("event=notify_fetch_failed error=%s", cs_err_name(rc));
out:
	store_notifs_free(v, n);
}

/* Is this notification, or another of its channel, in flight? */
static bool
busy(const struct store_notification *x)
{
	for (size_t i = 0; i < w.njobs; i++)
		if (w.jobs[i]->x.id == x->id || w.jobs[i]->x.channel == x->channel)
			return true;
	return false;
}

/*
 * Loads the channel and starts the transfer, taking x's contents into the
 * job (x is left zeroed); or records an outcome that needs no network.
 */
static void
start(struct store_notification *x)
{
	struct store_channel ch;
	struct job *j = NULL;
	char err[WORKER_ERR_MAX + 1];
	bool ok;
	enum cs_err rc;

	memset(&ch, 0, sizeof(ch));
	err[0] = '\0';
	if ((rc = store_begin(w.st)) == CS_OK) {
		if ((rc = store_channel_get(w.st, x->channel, &ch)) == CS_OK)
			rc = store_commit(w.st);
		else
			store_rollback(w.st);
	}
	if (rc == CS_ENOENT) {
		record(x, false, true, "channel not found");
		goto out;
	}
	if (rc != CS_OK) {
		/* The store, not the channel, failed: leave it pending. */
		log_warn("event=notify_channel_failed id=%lld error=%s",
		    (long long)x->id, cs_err_name(rc));
		goto out;
	}
	if (!ch.active) {
		record(x, false, true, "channel disabled");
		goto out;
	}
	if (ch.kind != CHAN_EMAIL && ch.kind != CHAN_WEBHOOK) {
		record(x, false, true, "unknown channel kind");
		goto out;
	}
	j = xcalloc(1, sizeof(*j));
	j->x = *x;
	memset(x, 0, sizeof(*x));
	j->kind = ch.kind;
	if (ch.kind == CHAN_EMAIL)
		ok = mail_setup(j, &ch, err, sizeof(err));
	else
		ok = webhook_setup(j, &ch, err, sizeof(err));
	if (ok && curl_multi_add_handle(w.multi, j->c) != CURLM_OK) {
		cs_fmt(err, sizeof(err), "curl_multi_add_handle failed");
		ok = false;
	}
	if (!ok) {
		record(&j->x, false, false, err);
		goto out;
	}
	w.jobs[w.njobs++] = j;
	j = NULL;
out:
	if (ch.secret != NULL)
		sodium_memzero(ch.secret, strlen(ch.secret));
	store_channel_fini(&ch);
	job_free(j);
}

/* Records and releases every finished transfer. */
static void
reap(void)
{
	CURLMsg *msg;
	CURL *c;
	CURLcode cc;
	int left;

	while ((msg = curl_multi_info_read(w.multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		/* msg dies with the handle's removal: copy what we need. */
		c = msg->easy_handle;
		cc = msg->data.result;
		for (size_t i = 0; i < w.njobs; i++) {
			struct job *j = w.jobs[i];

			if (j->c != c)
				continue;
			curl_multi_remove_handle(w.multi, c);
			finish(j, cc);
			job_free(j);
			w.jobs[i] = w.jobs[--w.njobs];
			break;
		}
	}
}

static void
finish(struct job *j, CURLcode cc)
{
	char err[WORKER_ERR_MAX + 1];
	long code = 0;
	bool ok = false;

	err[0] = '\0';
	if (cc != CURLE_OK)
		curl_err(cc, j->ebuf, err, sizeof(err));
	else if (j->kind == CHAN_WEBHOOK) {
		curl_easy_getinfo(j->c, CURLINFO_RESPONSE_CODE, &code);
		if (code >= 200 && code <= 299)
			ok = true;
		else
			cs_fmt(err, sizeof(err), "HTTP %ld", code);
	} else
		ok = true;
	record(&j->x, ok, false, err);
}

/* On stop: transfers still running are dropped and stay pending. */
static void
abandon_all(void)
{
	for (size_t i = 0; i < w.njobs; i++) {
		log_info("event=notify_abandoned id=%lld", (long long)w.jobs[i]->x.id);
		curl_multi_remove_handle(w.multi, w.jobs[i]->c);
		job_free(w.jobs[i]);
		w.jobs[i] = NULL;
	}
	w.njobs = 0;
}

static void
job_free(struct job *j)
{
	if (j == NULL)
		return;
	if (j->c != NULL)
		curl_easy_cleanup(j->c);
	curl_slist_free_all(j->list);
	curl_slist_free_all(j->resolve);
	free(j->msg);
	free(j->x.subject);
	free(j->x.body);
	free(j->x.last_error);
	free(j);
}

/* Records an attempt: sent, or failed with back-off, or failed for good. */
static void
record(struct store_notification *x, bool ok, bool final, const char *err)
{
	int64_t now = cs_time_now_us();
	enum cs_err rc;

	x->attempts++;
	free(x->last_error);
	x->last_error = NULL;
	if (ok) {
		x->state = NOTIF_SENT;
		x->sent_us = now;
	} else {
		x->last_error = xstrdup(err[0] != '\0' ? err : "unknown error");
		x->next_us = now + backoff(x->attempts);
		if (final || x->attempts >= w.wc.max_attempts)
			x->state = NOTIF_FAILED;
	}
	if ((rc = store_begin(w.st)) == CS_OK) {
		if ((rc = store_notif_update(w.st, x)) == CS_OK)
			rc = store_commit(w.st);
		else
			store_rollback(w.st);
	}
	if (rc != CS_OK)
		log_warn("event=notify_record_failed id=%lld error=%s",
		    (long long)x->id, cs_err_name(rc));
	if (ok)
		log_info("event=notify_sent id=%lld channel=%lld advisory=%lld "
		    "attempts=%d", (long long)x->id, (long long)x->channel,
		    (long long)x->advisory, x->attempts);
	else
		log_warn("event=notify_failed id=%lld channel=%lld attempts=%d "
		    "final=%s error=\"%s\"", (long long)x->id,
		    (long long)x->channel, x->attempts,
		    x->state == NOTIF_FAILED ? "yes" : "no", x->last_error);
}

/* base * 2^(attempts-1), capped at one hour. */
static int64_t
backoff(int attempts)
{
	int64_t d = w.wc.backoff_base_us;

	if (d > WORKER_BACKOFF_MAX_US)
		d = WORKER_BACKOFF_MAX_US;
	for (int i = 1; i < attempts && d < WORKER_BACKOFF_MAX_US; i++)
		d *= 2;
	return d < WORKER_BACKOFF_MAX_US ? d : WORKER_BACKOFF_MAX_US;
}

/* ---- webhooks ------------------------------------------------------------ */

/* Signs the stored JSON body and sets up its POST; false with err if not. */
static bool
webhook_setup(struct job *j, const struct store_channel *ch, char *err,
    size_t errsz)
{
	crypto_auth_hmacsha256_state hs;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
	char ts[24], line[128];
	const char *body;
	struct curl_slist *t;
	bool ok = false;

	if (j->x.body == NULL)
		j->x.body = xstrdup("");
	body = j->x.body;
	if (ch->secret == NULL || ch->secret[0] == '\0') {
		cs_fmt(err, errsz, "channel has no signing secret");
		goto out;
	}
	cs_fmt(ts, sizeof(ts), "%lld", (long long)(cs_time_now_us() / 1000000));
	crypto_auth_hmacsha256_init(&hs, (const unsigned char *)ch->secret,
	    strlen(ch->secret));
	crypto_auth_hmacsha256_update(&hs, (const unsigned char *)ts, strlen(ts));
	crypto_auth_hmacsha256_update(&hs, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&hs, (const unsigned char *)body,
	    strlen(body));
	crypto_auth_hmacsha256_final(&hs, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));

#define HDR(...) do {							\
	cs_fmt(line, sizeof(line), __VA_ARGS__);			\
	if ((t = curl_slist_append(j->list, line)) == NULL) {		\
		cs_fmt(err, errsz, "out of memory");			\
		goto out;						\
	}								\
	j->list = t;							\
} while (0)
	HDR("Content-Type: application/json");
	HDR("X-Cishare-Event: %s", j->x.event);
	HDR("X-Cishare-Timestamp: %s", ts);
	HDR("X-Cishare-Signature: sha256=%s", hex);
	HDR("X-Cishare-Delivery: %lld", (long long)j->x.id);
	/* No 100-continue round trip (and its 1 s stall on HTTP/1.0 peers). */
	HDR("Expect:");
#undef HDR

	/*
	 * Checked again at send time, and the connection pinned to the
	 * address checked: a DNS answer that changed since registration
	 * (rebinding) cannot reach the deployment's own network.
	 */
	{
		struct net_url u;
		struct cs_error ne;
		char addr[64], pin[sizeof(u.host) + 96];
		bool v6;

		cs_error_clear(&ne);
		if (net_resolve_checked(ch->target, "target",
		    w.cfg->allow_loopback_webhooks, &u, addr, &ne) != CS_OK) {
			cs_fmt(err, errsz, "webhook refused: %s", ne.msg);
			goto out;
		}
		v6 = strchr(u.host, ':') != NULL;
		cs_fmt(pin, sizeof(pin), "%s%s%s:%d:%s%s%s", v6 ? "[" : "",
		    u.host, v6 ? "]" : "", u.port, strchr(addr, ':') ? "[" : "",
		    addr, strchr(addr, ':') ? "]" : "");
		if ((j->resolve = curl_slist_append(NULL, pin)) == NULL) {
			cs_fmt(err, errsz, "out of memory");
			goto out;
		}
	}
	if (!curl_new(j, err, errsz))
		goto out;
	curl_easy_setopt(j->c, CURLOPT_URL, ch->target);
	curl_easy_setopt(j->c, CURLOPT_RESOLVE, j->resolve);
	curl_easy_setopt(j->c, CURLOPT_PROTOCOLS_STR,
	    w.cfg->allow_loopback_webhooks ? "http,https" : "https");
	curl_easy_setopt(j->c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(j->c, CURLOPT_HTTPHEADER, j->list);
	/* Not copied by curl: the job owns the body until the transfer ends. */
	curl_easy_setopt(j->c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(j->c, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)strlen(body));
	curl_easy_setopt(j->c, CURLOPT_WRITEFUNCTION, discard_cb);
	ok = true;
out:
	sodium_memzero(&hs, sizeof(hs));
	return ok;
}

/* ---- e-mail ------------------------------------------------------------- */

static bool
mail_setup(struct job *j, const struct store_channel *ch, char *err,
    size_t errsz)
{
	char *s;
	struct curl_slist *t;

	if (w.smtp_url == NULL) {
		cs_fmt(err, errsz, "no SMTP server configured");
		return false;
	}
	if ((j->msg = mail_compose(&j->x, ch->target)) == NULL) {
		cs_fmt(err, errsz, "message too large");
		return false;
	}
	s = xasprintf("<%s>", ch->target);
	t = curl_slist_append(NULL, s);
	free(s);
	if (t == NULL) {
		cs_fmt(err, errsz, "out of memory");
		return false;
	}
	j->list = t;
	if (!curl_new(j, err, errsz))
		return false;
	j->up.p = j->msg;
	j->up.len = strlen(j->msg);
	j->up.off = 0;
	s = xasprintf("<%s>", w.mail_from);
	curl_easy_setopt(j->c, CURLOPT_URL, w.smtp_url);
	curl_easy_setopt(j->c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(j->c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(j->c, CURLOPT_MAIL_FROM, s);	/* copied */
	curl_easy_setopt(j->c, CURLOPT_MAIL_RCPT, j->list);
	curl_easy_setopt(j->c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(j->c, CURLOPT_READDATA, &j->up);
	curl_easy_setopt(j->c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)j->up.len);
	curl_easy_setopt(j->c, CURLOPT_UPLOAD, 1L);
	free(s);
	return true;
}

/*
 * An RFC 5322 message: the subject as RFC 2047 encoded-words (UTF-8,
 * base64, folded), the body as CRLF text in base64 lines of 76 characters.
 * Returns NULL if it would pass WORKER_MAIL_MAX.
 */
static char *
mail_compose(const struct store_notification *x, const char *to)
{
	struct cs_buf b, text;
	const char *subj = x->subject != NULL ? x->subject : "";
	const char *body = x->body != NULL ? x->body : "";
	const char *dom = strchr(w.mail_from, '@');
	unsigned char rnd[8];
	char date[48], rhex[2 * sizeof(rnd) + 1];
	size_t len = strlen(subj), i, j;
	char *msg = NULL;

	cs_buf_init(&b, WORKER_MAIL_MAX);
	cs_buf_init(&text, WORKER_MAIL_MAX);
	mail_date(date, sizeof(date));
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(rhex, sizeof(rhex), rnd, sizeof(rnd));
	cs_buf_printf(&b, "Date: %s\r\n", date);
	cs_buf_printf(&b, "From: %s\r\n", w.mail_from);
	cs_buf_printf(&b, "To: %s\r\n", to);
	cs_buf_adds(&b, "Subject:");
	for (i = 0; i < len || i == 0; i = j) {
		/* Cut on a UTF-8 character boundary. */
		j = i + WORKER_SUBJ_CHUNK < len ? i + WORKER_SUBJ_CHUNK : len;
		while (j > i && j < len && ((unsigned char)subj[j] & 0xC0) == 0x80)
			j--;
		if (j == i)
			j = len;
		cs_buf_adds(&b, i == 0 ? " =?UTF-8?B?" : "\r\n =?UTF-8?B?");
		b64_add(&b, (const unsigned char *)subj + i, j - i, 0);
		cs_buf_adds(&b, "?=");
		if (len == 0)
			break;
	}
	cs_buf_adds(&b, "\r\n");
	cs_buf_printf(&b, "Message-ID: <cishare.%lld.%s@%s>\r\n",
	    (long long)x->id, rhex, dom != NULL && dom[1] != '\0' ? dom + 1 :
	    "localhost");
	cs_buf_adds(&b, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "Auto-Submitted: auto-generated\r\n");
	cs_buf_printf(&b, "X-Cishare-Event: %s\r\n", x->event);
	cs_buf_printf(&b, "X-Cishare-Delivery: %lld\r\n\r\n", (long long)x->id);
	/* Text in canonical form (CRLF) before the transfer encoding. */
	for (i = 0; body[i] != '\0'; i++) {
		if (body[i] == '\r' && body[i + 1] == '\n')
			continue;
		if (body[i] == '\n')
			cs_buf_add(&text, "\r\n", 2);
		else
			cs_buf_add(&text, &body[i], 1);
	}
	if (cs_buf_failed(&text))
		goto out;
	b64_add(&b, (const unsigned char *)cs_buf_str(&text), cs_buf_len(&text),
	    WORKER_B64_LINE);
	msg = cs_buf_finish(&b);
out:
	cs_buf_fini(&b);
	cs_buf_fini(&text);
	return msg;
}

/* Appends base64 of p; with wrap > 0, in CRLF-terminated lines of wrap. */
static void
b64_add(struct cs_buf *b, const unsigned char *p, size_t n, size_t wrap)
{
	size_t sz = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = xmalloc(sz);
	size_t len;

	sodium_bin2base64(s, sz, p, n, sodium_base64_VARIANT_ORIGINAL);
	len = strlen(s);
	if (wrap == 0)
		cs_buf_add(b, s, len);
	else
		for (size_t off = 0; off < len; off += wrap) {
			cs_buf_add(b, s + off, len - off < wrap ? len - off : wrap);
			cs_buf_add(b, "\r\n", 2);
		}
	free(s);
}

/* RFC 5322 date in JST, without the locale: "Sat, 21 Nov 2026 13:15:00 +0900". */
static void
mail_date(char *out, size_t outsz)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const mons[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)(cs_time_now_us() / 1000000) + 9 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	cs_fmt(out, outsz, "%s, %02d %s %04d %02d:%02d:%02d +0900",
	    days[tm.tm_wday % 7], tm.tm_mday, mons[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ---- curl glue ------------------------------------------------------------ */

/* A fresh easy handle with the options every transfer shares. */
static bool
curl_new(struct job *j, char *err, size_t errsz)
{
	if ((j->c = curl_easy_init()) == NULL) {
		cs_fmt(err, errsz, "curl_easy_init failed");
		return false;
	}
	j->ebuf[0] = '\0';
	curl_easy_setopt(j->c, CURLOPT_ERRORBUFFER, j->ebuf);
	curl_easy_setopt(j->c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(j->c, CURLOPT_CONNECTTIMEOUT, WORKER_TIMEOUT_S);
	curl_easy_setopt(j->c, CURLOPT_TIMEOUT, WORKER_TIMEOUT_S);
	curl_easy_setopt(j->c, CURLOPT_USERAGENT, "cishared");
	return true;
}

/* A curl failure as one short line (no URL paths, no credentials). */
static void
curl_err(CURLcode cc, const char *ebuf, char *err, size_t errsz)
{
	size_t n;

	cs_fmt(err, errsz, "%s", ebuf[0] != '\0' ? ebuf : curl_easy_strerror(cc));
	n = strlen(err);
	while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == '\r'))
		err[--n] = '\0';
}

static size_t
discard_cb(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static size_t
read_cb(char *buf, size_t size, size_t n, void *arg)
{
	struct upload *up = arg;
	size_t want = size * n, left = up->len - up->off;

	if (want > left)
		want = left;
	memcpy(buf, up->p + up->off, want);
	up->off += want;
	return want;
}
