/*
 * common.c: authentication, the svc context of a request, the audit helper,
 * and small rendering helpers shared by the resource files.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api_int.h"
#include "svc/svc_totp.h"

const struct api_route *const api_tables[] = {
	api_ref_routes, api_orgs_routes, api_reports_routes, api_audit_routes,
	api_advisories_routes, api_notify_routes, api_session_routes,
	api_disclosures_routes, api_stats_routes, api_stix_routes,
	api_deps_routes, api_modes_routes, api_council_routes,
	api_drills_routes, api_exercises_routes, api_import_routes,
	api_obs_routes, api_search_routes,
	api_export_routes, api_surveys_routes,
	api_risks_routes, api_attachments_routes,
	api_inquiries_routes, api_password_routes,
	api_peers_routes,
	api_totp_routes, api_retention_routes, NULL
};

const struct api_route *const api_taxii_tables[] = {
	api_taxii_routes, NULL
};

/* A federation peer's account: the policy keeps RED and drills from it. */
static enum cs_err
fed_peer_mark(struct api_req *r, struct cs_error *e)
{
	if (store_peer_org_is(r->st, r->org.id, &r->who.fed_peer) != CS_OK)
		return cs_fail(e, CS_ESTORE, "", "store error");
	return CS_OK;
}

/* Must the authenticated user enroll a second factor first (svc_totp)? */
static enum cs_err
totp_due(struct api_req *r, bool *due, struct cs_error *e)
{
	struct svc_ctx c;

	*due = false;
	if (r->cfg == NULL || (r->cfg->require_totp_roles & r->user.roles) == 0)
		return CS_OK;
	api_svc_ctx(r, &c);
	if (svc_totp_enroll_due(&c, &r->user, due) != CS_OK)
		return cs_fail(e, CS_ESTORE, "", "store error");
	return CS_OK;
}

/*
 * --require-totp ROLES: a user of those roles without an active second
 * factor (due) may only read /me and its session and enroll (svc_totp).
 */
static enum cs_err
totp_gate(struct api_req *r, bool due, struct cs_error *e)
{
	char own[48];
	size_t n;

	if (!due || r->path == NULL || strcmp(r->path, "/me") == 0 ||
	    strcmp(r->path, "/session") == 0)
		return CS_OK;
	cs_fmt(own, sizeof(own), "/users/%lld/totp", (long long)r->user.id);
	n = strlen(own);
	if (strncmp(r->path, own, n) == 0 && (r->path[n] == '\0' ||
	    strcmp(r->path + n, "/confirm") == 0))
		return CS_OK;
	return cs_fail(e, CS_EPERM, "totp", "your role requires a second "
	    "factor: enroll one (POST /users/%lld/totp) first",
	    (long long)r->user.id);
}

/*
 * HTTP Basic (TAXII): any login with an API token as the password goes
 * the bearer way; else login and password through the password check and
 * its lockout, as POST /login.
 */
static enum cs_err
authenticate_basic(struct api_req *r, struct cs_error *e)
{
	const char *login = r->basic, *pw = r->basic + strlen(r->basic) + 1;
	unsigned char hash[32];
	int64_t id, user;
	bool due;
	enum cs_err rc;

	if (core_token_parse(pw, &id, hash) == 0) {
		r->bearer = pw;
		return CS_OK;
	}
	if ((rc = api_password_check(r, login, pw, &user, e)) != CS_OK)
		return rc;
	if (store_user_get(r->st, user, &r->user) != CS_OK)
		return cs_fail(e, CS_EAUTH, "", "unknown user");
	if (store_org_get(r->st, r->user.org, &r->org) != CS_OK) {
		store_user_fini(&r->user);
		return cs_fail(e, CS_EAUTH, "", "user's organisation no longer "
		    "exists");
	}
	svc_principal_fill(&r->user, &r->org, &r->who);
	r->authed = true;
	if ((rc = totp_due(r, &due, e)) != CS_OK ||
	    (rc = totp_gate(r, due, e)) != CS_OK)
		return rc;
	return fed_peer_mark(r, e);
}

/*
 * The principals of bearer tokens, as the full check below found them,
 * kept with the generation of authentication facts they were read at
 * (store_generations, migration 26: every committed change to a
 * token but its last use, a user, an organisation, a second factor's
 * activation or the peer registry moves it, in its own transaction).  A
 * request reads the generation in its own transaction: an entry of
 * another generation is not used, so the first request after such a
 * change (on any daemon) sees it.  A hit still checks the clock (session
 * age and idle time, expiry) and the scope; whatever it would refuse, and
 * a session that looks idle (its cached last use may be older than the
 * stored one), goes the full way, which gives the answer.  A request
 * that records the token's use (once a minute) drops the entry: the next
 * one reads the new last use.  Direct-mapped by token id.
 */
#define AUTH_SLOTS	1024

struct auth_slot {
	int64_t			 token;		/* 0: empty */
	uint64_t		 store;		/* store_serial() */
	int64_t			 gen;
	unsigned char		 hash[32];
	bool			 session;
	int64_t			 created_us;
	int64_t			 expires_us;
	int64_t			 last_used_us;
	int			 scope;
	bool			 totp_due;
	bool			 fed_peer;
	struct store_user	 user;
	struct store_org	 org;
};

static struct auth_slot auth_slots[AUTH_SLOTS];
static pthread_mutex_t auth_lock = PTHREAD_MUTEX_INITIALIZER;

static struct auth_slot *
auth_slot(int64_t token)
{
	return &auth_slots[((uint64_t)token * 0x9e3779b97f4a7c15ULL) >> 54];
}

/* slot emptied; auth_lock held */
static void
slot_clear(struct auth_slot *s)
{
	store_user_fini(&s->user);
	store_org_fini(&s->org);
	memset(s, 0, sizeof(*s));
}

static void
cache_drop(struct api_req *r, int64_t token)
{
	struct auth_slot *s = auth_slot(token);

	pthread_mutex_lock(&auth_lock);
	if (s->token == token && s->store == store_serial(r->st))
		slot_clear(s);
	pthread_mutex_unlock(&auth_lock);
}

static void
cache_put(struct api_req *r, const struct store_token *tok, bool session,
    int64_t gen, bool due)
{
	struct auth_slot *s = auth_slot(tok->id);

	pthread_mutex_lock(&auth_lock);
	slot_clear(s);
	s->token = tok->id;
	s->store = store_serial(r->st);
	s->gen = gen;
	memcpy(s->hash, tok->hash, sizeof(s->hash));
	s->session = session;
	s->created_us = tok->created_us;
	s->expires_us = tok->expires_us;
	s->last_used_us = tok->last_used_us;
	s->scope = tok->scope;
	s->totp_due = due;
	s->fed_peer = r->who.fed_peer;
	store_user_copy(&s->user, &r->user);
	store_org_copy(&s->org, &r->org);
	pthread_mutex_unlock(&auth_lock);
}

/*
 * A cached principal of token id, valid at generation gen, that the full
 * check would accept now: r's user, org, principal and scope set, *due
 * whether it must enroll a second factor, *last_used its last use.
 */
static bool
cache_hit(struct api_req *r, int64_t id, const unsigned char hash[32],
    int64_t gen, int64_t idle_us, bool *due, int64_t *last_used)
{
	struct auth_slot *s = auth_slot(id);
	bool ok;

	pthread_mutex_lock(&auth_lock);
	ok = s->token == id && s->store == store_serial(r->st) &&
	    s->gen == gen && core_hash_eq(hash, s->hash) &&
	    !(s->session && r->now_us - s->created_us > API_SESSION_TTL_US) &&
	    !(s->session && r->now_us - (s->last_used_us != 0 ?
	    s->last_used_us : s->created_us) > idle_us) &&
	    !(s->expires_us != 0 && r->now_us >= s->expires_us) &&
	    !(s->scope == TOKEN_SCOPE_READ && r->method != NULL &&
	    strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0);
	if (ok) {
		store_user_copy(&r->user, &s->user);
		store_org_copy(&r->org, &s->org);
		r->token_scope = s->scope;
		*due = s->totp_due;
		*last_used = s->last_used_us;
		r->who.fed_peer = s->fed_peer;
	}
	pthread_mutex_unlock(&auth_lock);
	return ok;
}

enum cs_err
api_authenticate(struct api_req *r, struct cs_error *e)
{
	struct store_token tok;
	unsigned char hash[32];
	int64_t id, idle_us, gen, last_used;
	bool session, due, touched = false;
	enum cs_err rc;

	if (r->bearer == NULL && !r->has_basic)
		return cs_fail(e, CS_EAUTH, "", "missing bearer token");
	/* Both generations, in this transaction (the cache, and q->data_gen). */
	if ((rc = store_generations(r->st, &gen, &r->data_gen)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if (r->bearer == NULL && r->has_basic) {
		if ((rc = authenticate_basic(r, e)) != CS_OK || r->authed)
			return rc;
	}
	if (r->bearer == NULL)
		return cs_fail(e, CS_EAUTH, "", "missing bearer token");
	if (core_token_parse(r->bearer, &id, hash) != 0)
		return cs_fail(e, CS_EAUTH, "", "malformed bearer token");
	idle_us = r->cfg != NULL && r->cfg->session_idle_us > 0 ?
	    r->cfg->session_idle_us : API_SESSION_IDLE_US;
	if (cache_hit(r, id, hash, gen, idle_us, &due, &last_used)) {
		bool peer = r->who.fed_peer;

		/* Its last use, to the minute; never on a snapshot (no writes). */
		if (!r->snapshot && r->now_us - last_used > TOKEN_TOUCH_US) {
			if (store_token_touch(r->st, id, r->now_us) != CS_OK) {
				store_user_fini(&r->user);
				store_org_fini(&r->org);
				return cs_fail(e, CS_ESTORE, "", "store error");
			}
			cache_drop(r, id);
		}
		svc_principal_fill(&r->user, &r->org, &r->who);
		r->who.fed_peer = peer;
		r->authed = true;
		return totp_gate(r, due, e);
	}
	/* Token, user and organisation in one query. */
	rc = store_token_principal(r->st, id, &tok, &r->user, &r->org);
	if (rc == CS_ENOENT)
		return cs_fail(e, CS_EAUTH, "", "unknown or revoked token");
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	session = tok.label != NULL && strcmp(tok.label, "session") == 0;
	if (!core_hash_eq(hash, tok.hash))
		rc = cs_fail(e, CS_EAUTH, "", "unknown or revoked token");
	else if (session && r->now_us - tok.created_us > API_SESSION_TTL_US)
		rc = cs_fail(e, CS_EAUTH, "", "session expired; log in again");
	else if (session && r->now_us - (tok.last_used_us != 0 ?
	    tok.last_used_us : tok.created_us) > idle_us)
		rc = cs_fail(e, CS_EAUTH, "", "session idle for too long; log in "
		    "again");
	else if (tok.expires_us != 0 && r->now_us >= tok.expires_us)
		rc = cs_fail(e, CS_EAUTH, "", "token expired");
	else if (r->user.id == 0)
		rc = cs_fail(e, CS_EAUTH, "", "token's user no longer exists");
	else if (r->org.id == 0)
		rc = cs_fail(e, CS_EAUTH, "", "token's organisation no longer exists");
	/* A read-only token reads (ASVS 13.1: scoped API keys). */
	if (rc == CS_OK && tok.scope == TOKEN_SCOPE_READ && r->method != NULL &&
	    strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		rc = cs_fail(e, CS_EPERM, "", "this token may only read");
	/* Its last use, to the minute; never on a snapshot (no writes). */
	if (rc == CS_OK && !r->snapshot && r->now_us - tok.last_used_us >
	    TOKEN_TOUCH_US) {
		if (store_token_touch(r->st, tok.id, r->now_us) != CS_OK)
			rc = cs_fail(e, CS_ESTORE, "", "store error");
		touched = true;
	}
	r->token_scope = tok.scope;
	if (rc != CS_OK) {
		store_token_fini(&tok);
		store_user_fini(&r->user);
		store_org_fini(&r->org);
		return rc;
	}
	svc_principal_fill(&r->user, &r->org, &r->who);
	r->authed = true;
	if ((rc = totp_due(r, &due, e)) != CS_OK ||
	    (rc = fed_peer_mark(r, e)) != CS_OK) {
		store_token_fini(&tok);
		return rc;
	}
	/* Kept unless this request wrote a new last use (the next one reads it). */
	if (!touched)
		cache_put(r, &tok, session, gen, due);
	store_token_fini(&tok);
	return totp_gate(r, due, e);
}

void
api_req_fini(struct api_req *r)
{
	if (r->authed) {
		store_user_fini(&r->user);
		store_org_fini(&r->org);
		r->authed = false;
	}
	store_org_fini(&r->sealer);
	if (r->has_basic)
		sodium_memzero(r->basic, sizeof(r->basic));
	if (r->bearer == r->cookie)
		r->bearer = NULL;
	sodium_memzero(r->cookie, sizeof(r->cookie));
	r->has_basic = false;
	api_stream_free(r->stream);
	r->stream = NULL;
	json_decref(r->out);		/* NULL-safe, as free() */
	free(r->set_cookie);
	r->out = NULL;
	r->set_cookie = NULL;
	if (r->prep_free != NULL)
		r->prep_free(r->prep);
	r->prep = NULL;
	r->prep_free = NULL;
}

void
api_req_undo(struct api_req *r)
{
	if (r->authed) {
		store_user_fini(&r->user);
		store_org_fini(&r->org);
	}
	memset(&r->user, 0, sizeof(r->user));
	memset(&r->org, 0, sizeof(r->org));
	memset(&r->who, 0, sizeof(r->who));
	r->authed = false;
	r->data_gen = 0;
	r->token_scope = 0;
	store_org_fini(&r->sealer);
	memset(&r->sealer, 0, sizeof(r->sealer));
	api_stream_free(r->stream);
	r->stream = NULL;
	json_decref(r->out);
	r->out = NULL;
	free(r->set_cookie);
	r->set_cookie = NULL;
	r->status = 0;
	r->content_type = NULL;
	r->events = false;
	r->fanout = 0;
	r->retry_after_s = 0;
	r->keep_on_error = false;
	r->dry_run = false;
	r->mode_changed = false;
	r->nheaders = 0;
}

/* ---- stored JSON served unparsed ------------------------------------------ */

static pthread_once_t slot_once = PTHREAD_ONCE_INIT;
static char slot_nonce[33];

static void
slot_init(void)
{
	unsigned char b[16];

	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(slot_nonce, sizeof(slot_nonce), b, sizeof(b));
}

json_t *
api_raw_slot(size_t i)
{
	char s[64];

	pthread_once(&slot_once, slot_init);
	cs_fmt(s, sizeof(s), "\x01%s:%zu", slot_nonce, i);
	return json_string(s);
}

char *
api_dump_spliced(const json_t *j, const char *const *raw, size_t n,
    size_t *len)
{
	char *text = json_dumps(j, JSON_COMPACT), pre[48], *num, *out;
	const char *p, *at, *end;
	struct cs_buf b;
	size_t prelen, total;
	unsigned long long k;

	pthread_once(&slot_once, slot_init);
	/* A slot as jansson dumps it: "\u0001<nonce>:<i>" */
	cs_fmt(pre, sizeof(pre), "\"\\u0001%s:", slot_nonce);
	prelen = strlen(pre);
	total = strlen(text);
	for (size_t i = 0; i < n; i++)
		total += strlen(raw[i]);
	cs_buf_init(&b, total + 1);
	for (p = text; (at = strstr(p, pre)) != NULL; p = end + 1) {
		k = strtoull(at + prelen, &num, 10);
		end = num;
		if (*end != '"' || k >= n)
			break;		/* not ours (cannot happen): left as it is */
		cs_buf_add(&b, p, (size_t)(at - p));
		cs_buf_adds(&b, raw[k]);
	}
	cs_buf_adds(&b, p);
	free(text);
	*len = cs_buf_len(&b);
	if ((out = cs_buf_finish(&b)) == NULL)
		out = xstrdup("{}");	/* cannot happen: the cap is the sum */
	return out;
}

static json_t	*raws_parsed(json_t *, const struct api_raws *, size_t,
		    const char *);

json_t *
api_raws_take(struct api_raws *r, char *text)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	r->v[r->n] = text;
	return api_raw_slot(r->n++);
}

void
api_raws_send(struct api_req *q, json_t *j, struct api_raws *r)
{
	size_t len;
	char *out, pre[48];

	if (q->want_out) {
		/* An internal caller (export) reads the items: parsed in place. */
		pthread_once(&slot_once, slot_init);
		cs_fmt(pre, sizeof(pre), "\x01%s:", slot_nonce);
		(void)raws_parsed(j, r, strlen(pre), pre);
		json_decref(q->out);
		q->out = j;
		q->status = 200;
		api_raws_fini(r);
		return;
	}
	out = api_dump_spliced(j, (const char *const *)r->v, r->n, &len);

	api_send_json_text(q, 200, out, len);
	free(out);
	json_decref(j);
	api_raws_fini(r);
}

/* Each slot of j replaced by its stored text, parsed (want_out). */
static json_t *
raws_parsed(json_t *j, const struct api_raws *r, size_t prelen, const char *pre)
{
	const char *key, *sv;
	json_t *v;
	size_t i;

	if (json_is_string(j)) {
		sv = json_string_value(j);
		if (strncmp(sv, pre, prelen) == 0 &&
		    (i = strtoull(sv + prelen, NULL, 10)) < r->n)
			return json_loads(r->v[i], JSON_DECODE_ANY, NULL);
		return NULL;
	}
	if (json_is_object(j)) {
		json_object_foreach(j, key, v)
			if ((v = raws_parsed(v, r, prelen, pre)) != NULL)
				json_object_set_new(j, key, v);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if ((v = raws_parsed(v, r, prelen, pre)) != NULL)
				json_array_set_new(j, i, v);
	}
	return NULL;
}

void
api_raws_fini(struct api_raws *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

void
api_send_json_text(struct api_req *q, int status, const char *text, size_t len)
{
	struct api_stream *s = xcalloc(1, sizeof(*s));

	cs_buf_init(&s->first, len + 1);
	cs_buf_add(&s->first, text, len);
	s->done = true;
	s->length = (int64_t)len;
	s->content_type = "application/json; charset=utf-8";
	api_stream_free(q->stream);
	q->stream = s;
	q->status = status;
}

/* ---- rendered answers ------------------------------------------------------ */

#define RENDER_SLOTS	512

/* A kept answer's bytes: the slot holds a reference, each answer sent one. */
struct render_text {
	atomic_int		 refs;
	_Atomic(struct api_kept *) kept;	/* src/http's response of it */
	size_t			 len;
	char			 text[];
};

struct render_slot {
	int			 kind;		/* 0: empty */
	int64_t			 id;
	uint64_t		 store;
	int64_t			 data_gen;
	int64_t			 at_us;		/* monotonic */
	struct cs_principal	 who;
	int			 aux;
	struct render_text	*t;
};

static void
render_text_release(void *arg)
{
	struct render_text *t = arg;
	struct api_kept *k;

	if (t == NULL || atomic_fetch_sub(&t->refs, 1) != 1)
		return;
	if ((k = atomic_load(&t->kept)) != NULL)
		k->free(k);
	free(t);
}

static struct render_slot render_slots[RENDER_SLOTS];
static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;

/* Field by field (no padding compared). */
static bool
principal_eq(const struct cs_principal *a, const struct cs_principal *b)
{
	return a->user_id == b->user_id && a->org_id == b->org_id &&
	    a->org_type == b->org_type && a->org_sectors == b->org_sectors &&
	    a->roles == b->roles && a->nda_contractor == b->nda_contractor &&
	    a->org_pre_arranged == b->org_pre_arranged &&
	    a->ls_sectors == b->ls_sectors && a->fed_peer == b->fed_peer;
}

static struct render_slot *
render_slot(int kind, int64_t id, const struct cs_principal *who)
{
	uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ULL ^
	    (uint64_t)who->user_id * 0xc2b2ae3d27d4eb4fULL ^ (uint64_t)kind;

	return &render_slots[(h >> 32) % RENDER_SLOTS];
}

bool
api_render_get(struct api_req *q, int kind, int64_t id, int *aux)
{
	struct render_slot *s;
	struct render_text *t = NULL;
	struct api_stream *st;
	int64_t now = cs_time_mono_us();

	/* The last committed state only: its generation is exact. */
	if (!q->authed || !store_snapshot_active(q->st))
		return false;
	s = render_slot(kind, id, &q->who);
	pthread_mutex_lock(&render_lock);
	if (s->kind == kind && s->id == id && s->store == store_serial(q->st) &&
	    s->data_gen == q->data_gen && principal_eq(&s->who, &q->who) &&
	    now - s->at_us < API_RENDER_TTL_US) {
		*aux = s->aux;
		t = s->t;
		atomic_fetch_add(&t->refs, 1);
	}
	pthread_mutex_unlock(&render_lock);
	if (t == NULL)
		return false;
	/* The kept bytes themselves go out (no copy): a reference each. */
	st = xcalloc(1, sizeof(*st));
	st->done = true;
	st->length = (int64_t)t->len;
	st->content_type = "application/json; charset=utf-8";
	st->whole = t->text;
	st->nwhole = t->len;
	st->whole_free = render_text_release;
	st->whole_arg = t;
	st->kept = &t->kept;
	api_stream_free(q->stream);
	q->stream = st;
	q->status = 200;
	return true;
}

void
api_render_put(struct api_req *q, int kind, int64_t id, const char *text,
    size_t len, int aux)
{
	struct render_slot *s;
	struct render_text *t, *old;

	if (!q->authed || len > API_RENDER_MAX || !store_snapshot_active(q->st))
		return;
	t = xmalloc(sizeof(*t) + len + 1);
	atomic_init(&t->refs, 1);
	atomic_init(&t->kept, NULL);
	t->len = len;
	memcpy(t->text, text, len);
	t->text[len] = '\0';
	s = render_slot(kind, id, &q->who);
	pthread_mutex_lock(&render_lock);
	old = s->t;
	s->kind = kind;
	s->id = id;
	s->store = store_serial(q->st);
	s->data_gen = q->data_gen;
	s->at_us = cs_time_mono_us();
	s->who = q->who;
	s->aux = aux;
	s->t = t;
	pthread_mutex_unlock(&render_lock);
	render_text_release(old);
}

void
api_svc_ctx(struct api_req *r, struct svc_ctx *c)
{
	svc_ctx_system(c, r->st, r->cfg, r->now_us);
	if (r->authed) {
		c->who = r->who;
		c->user = &r->user;
		c->org = &r->org;
	}
	c->sealer = &r->sealer;
}

void
api_svc_done(struct api_req *r, const struct svc_ctx *c)
{
	if (c->events)
		r->events = true;
	r->fanout += c->fanout;
}

enum cs_err
api_audit(struct api_req *r, const char *action, const char *item,
    json_t *detail, bool anon)
{
	struct svc_ctx c;

	api_svc_ctx(r, &c);
	return svc_audit(&c, action, item, detail, anon);
}

enum cs_err
api_changed(struct api_req *r, const char *action, json_t *detail,
    int status, json_t *out, struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = api_audit(r, action, NULL, detail, false)) != CS_OK) {
		json_decref(out);
		return cs_fail(e, rc, "", "audit failed");
	}
	r->status = status;
	r->out = out;
	return CS_OK;
}

enum cs_err
api_created(struct api_req *r, const char *action, json_t *detail,
    int64_t id, struct cs_error *e)
{
	return api_changed(r, action, detail, 201, json_pack("{s:I}", "id",
	    (json_int_t)id), e);
}

enum cs_err
api_check_keys(json_t *body, const char *const *allowed, struct cs_error *e)
{
	const char *key;
	json_t *v;

	json_object_foreach(body, key, v) {
		const char *const *a;

		for (a = allowed; *a != NULL; a++)
			if (strcmp(*a, key) == 0)
				break;
		if (*a == NULL)
			return cs_fail(e, CS_EINVAL, key, "unknown field");
	}
	return CS_OK;
}

json_t *
api_list_json(json_t *items_take, bool more, int64_t last)
{
	json_t *j = json_pack("{s:o}", "items", items_take);
	char c[32];

	if (more && last > 0) {
		cs_fmt(c, sizeof(c), "c%lld", (long long)last);
		json_object_set_new(j, "next_cursor", json_string(c));
	} else
		json_object_set_new(j, "next_cursor", json_null());
	return j;
}

enum cs_err
api_list_limit(struct api_req *r, int *limit, int64_t *cursor, struct cs_error *e)
{
	const char *l = r->query(r->conn, "limit");
	const char *c = r->query(r->conn, "cursor");
	int64_t v;

	*limit = 50;
	*cursor = 0;
	if (l != NULL) {
		if (cs_str_to_i64(l, 1, 500, &v) != CS_OK)
			return cs_fail(e, CS_EINVAL, "limit", "limit must be an "
			    "integer from 1 to 500");
		*limit = (int)v;
	}
	if (c != NULL) {
		if (c[0] != 'c' || cs_str_to_i64(c + 1, 1, INT64_MAX, &v) != CS_OK)
			return cs_fail(e, CS_EINVAL, "cursor", "malformed cursor");
		*cursor = v;
	}
	return CS_OK;
}

enum cs_err
api_page_begin(struct api_req *r, struct api_page *p, struct cs_error *e)
{
	memset(p, 0, sizeof(*p));
	return api_list_limit(r, &p->limit, &p->cursor, e);
}

bool
api_page_full(struct api_page *p)
{
	if (p->items == NULL || (int)json_array_size(p->items) < p->limit)
		return false;
	p->more = true;
	return true;
}

void
api_page_add(struct api_page *p, json_t *item, int64_t key)
{
	if (p->items == NULL)
		p->items = json_array();
	json_array_append_new(p->items, item);
	p->last = key;
}

enum cs_err
api_page_end(struct api_req *r, struct api_page *p)
{
	r->out = api_list_json(p->items != NULL ? p->items : json_array(),
	    p->more, p->last);
	p->items = NULL;
	r->status = 200;
	return CS_OK;
}

enum cs_err
api_page_end_raws(struct api_req *r, struct api_page *p, struct api_raws *raws)
{
	api_raws_send(r, api_list_json(p->items != NULL ? p->items :
	    json_array(), p->more, p->last), raws);
	p->items = NULL;
	return CS_OK;
}

void
api_page_fini(struct api_page *p)
{
	json_decref(p->items);
	p->items = NULL;
}

json_t *
api_time(int64_t us)
{
	return svc_time(us);
}

json_t *
api_bits_json(uint32_t set, int n, const char *(*id)(int))
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		if (set & (1u << i))
			json_array_append_new(a, json_string(id(i)));
	return a;
}

json_t *
api_org_json(const struct store_org *o, bool full)
{
	json_t *j, *sec;

	sec = api_bits_json(o->sectors, CS_NSECTORS, core_sector_id);
	j = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)o->id,
	    "name", o->name ? o->name : "", "type", core_org_type_id(o->type),
	    "sectors", sec);
	json_object_set_new(j, "ceptoar", o->ceptoar ?
	    json_integer(o->ceptoar) : json_null());
	if (o->type == ORG_CS_AGENCY)
		json_object_set_new(j, "pre_arranged", json_boolean(o->pre_arranged));
	if (full)
		json_object_set_new(j, "created_at", api_time(o->created_us));
	return j;
}

enum cs_err
api_bool_arg(json_t *body, const char *key, bool null_ok, bool *out,
    struct cs_error *e)
{
	json_t *v = json_object_get(body, key);

	*out = v != NULL && json_is_true(v);
	if (v != NULL && !json_is_boolean(v) && !(null_ok && json_is_null(v)))
		return cs_fail(e, CS_EINVAL, key, "must be a boolean");
	return CS_OK;
}

enum cs_err
api_sectors_arg(json_t *v, uint32_t *set, struct cs_error *e)
{
	char path[32];
	json_t *s;
	size_t i;
	int sec;

	*set = 0;
	if (!json_is_array(v) || json_array_size(v) > CS_NSECTORS)
		return cs_fail(e, CS_EINVAL, "sectors", "must be an array of "
		    "sector ids");
	json_array_foreach(v, i, s) {
		cs_fmt(path, sizeof(path), "sectors.%zu", i);
		if (!json_is_string(s) ||
		    (sec = core_sector_parse(json_string_value(s))) < 0)
			return cs_fail(e, CS_EINVAL, path, "unknown sector id");
		*set |= 1u << sec;
	}
	return CS_OK;
}

enum cs_err
api_id_array(json_t *arr, const char *field, int64_t **ids, size_t *n,
    struct cs_error *e)
{
	char path[96];
	size_t i;
	json_t *v;
	int64_t *out;

	*ids = NULL;
	*n = 0;
	if (!json_is_array(arr))
		return cs_fail(e, CS_EINVAL, field, "must be an array of ids");
	if (json_array_size(arr) > CS_MAX_LIST)
		return cs_fail(e, CS_EINVAL, field, "more than %d ids", CS_MAX_LIST);
	out = xcalloc(json_array_size(arr) + 1, sizeof(*out));
	json_array_foreach(arr, i, v) {
		cs_fmt(path, sizeof(path), "%s.%zu", field, i);
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			free(out);
			return cs_fail(e, CS_EINVAL, path, "must be a positive "
			    "integer id");
		}
		out[i] = json_integer_value(v);
	}
	*ids = out;
	*n = json_array_size(arr);
	return CS_OK;
}

/* The "to" list of a share or relay: at least one organisation id. */
enum cs_err
api_to_list(struct api_req *q, int64_t **to, size_t *nto, struct cs_error *e)
{
	json_t *v;
	enum cs_err rc;

	v = json_object_get(q->body, "to");
	if (v == NULL)
		return cs_fail(e, CS_EINVAL, "to", "required field is missing");
	if ((rc = api_id_array(v, "to", to, nto, e)) != CS_OK)
		return rc;
	if (*nto == 0) {
		free(*to);
		*to = NULL;
		return cs_fail(e, CS_EINVAL, "to", "name at least one organisation");
	}
	return CS_OK;
}
