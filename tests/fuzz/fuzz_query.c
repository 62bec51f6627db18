/*
 * fuzz_query.c: a request's query string as src/http and the list
 * endpoints read it.  The input is the query (without '?'): split at '&'
 * and '=' and '+' made a space as libmicrohttpd does, each key and value
 * decoded by http_unescape_str() and, when not clean (http_value_clean),
 * replaced by http_malformed, as the server's query_get() does; the first
 * of a repeated key wins, keys compared without case.  Then the parsers:
 * api_list_limit() (?limit= ?cursor= of every list), api_report_query()
 * (GET /reports), api_audit_query() (GET /audit), api_stats_query()
 * (GET /stats), api_search_query() and svc_search_cursor_parse()
 * (GET /search).
 *
 * Invariants:
 *  - the unescaper equals a reference decoder (percent and two hex
 *    digits, a decoded NUL or control byte 0xff), never lengthens, never
 *    leaves a control byte;
 *  - each parser answers CS_OK or CS_EINVAL naming one of the parameters
 *    it reads, present in the query; a parameter holding the malformed
 *    marker is never accepted;
 *  - limit and cursor are accepted exactly when a hand-written decimal
 *    reader says so (limit 1-500, default 50; cursor "c" and 1..2^63-1),
 *    and the values are the reference's; a cursor written by
 *    api_list_json() reads back to the same key;
 *  - an accepted report query's sector, TLP and anonymised values are
 *    the ids given, q at most 256 bytes of UTF-8; a stats group is a
 *    comma list of known dimensions, an audit action [a-z_.]{1,64},
 *    org >= 1, item 1-64 bytes of UTF-8;
 *  - a search cursor read back from its own writing is the same key, and
 *    any four numbers >= 0 written as a cursor read back to themselves.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/analysis.h"
#include "fuzz.h"
#include "http/http.h"
#include "svc/svc_search.h"
#include "svc/svc_stats.h"

#define NQ	32

struct query {
	char	*k[NQ];
	char	*v[NQ];		/* NULL: "key" without '=' */
	int	 n;
};

/* The reference decoder: percent and two hex digits; controls to 0xff. */
static size_t
ref_unescape(const char *in, unsigned char *out)
{
	size_t o = 0;

	for (size_t i = 0; in[i] != '\0'; ) {
		unsigned b = (unsigned char)in[i];

		if (in[i] == '%' && isxdigit((unsigned char)in[i + 1]) &&
		    isxdigit((unsigned char)in[i + 2])) {
			char hx[3] = { in[i + 1], in[i + 2], '\0' };

			b = (unsigned)strtoul(hx, NULL, 16);
			i += 3;
		} else
			i++;
		out[o++] = (unsigned char)(b < 0x20 || b == 0x7f ? 0xff : b);
	}
	return o;
}

/* Decode one key or value in place as the server does, checked. */
static char *
decode(char *s)
{
	unsigned char *ref = xmalloc(strlen(s) + 1);
	size_t orig = strlen(s), rn, n;

	for (char *p = s; *p; p++)
		if (*p == '+')
			*p = ' ';
	rn = ref_unescape(s, ref);
	n = http_unescape_str(s);
	FUZZ_CHECK(n == rn && n == strlen(s) && memcmp(s, ref, n) == 0,
	    "unescape differs from the reference");
	FUZZ_CHECK(n <= orig, "unescape lengthened");
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK((unsigned char)s[i] >= 0x20 && s[i] != 0x7f,
		    "a control byte left");
	FUZZ_CHECK(http_value_clean(s, n) == (memchr(s, 0xff, n) == NULL),
	    "clean-value rule");
	free(ref);
	return s;
}

static const char *
get(void *arg, const char *key)
{
	struct query *q = arg;

	for (int i = 0; i < q->n; i++)
		if (strcasecmp(q->k[i], key) == 0) {
			if (q->v[i] == NULL)
				return NULL;
			return http_value_clean(q->v[i], strlen(q->v[i])) ?
			    q->v[i] : http_malformed;
		}
	return NULL;
}

/* The reference decimal reader: [-]digits, no overflow, within [lo, hi]. */
static bool
ref_dec(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	bool neg = *s == '-';
	uint64_t v = 0;
	const char *p = s + neg;

	if (*p == '\0')
		return false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > (uint64_t)INT64_MAX + neg)
			return false;
	}
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return *out >= lo && *out <= hi;
}

static bool
marked(const char *v)
{
	return v == http_malformed;
}

/* A refusal names a parameter of `reads`, present in the query. */
static void
refusal_ok(const char *who, struct query *q, const char *const *reads,
    enum cs_err rc, const struct cs_error *e)
{
	bool known = false;

	FUZZ_CHECK(rc == CS_EINVAL && e->code == CS_EINVAL, "%s: code %d", who,
	    (int)rc);
	for (const char *const *r = reads; *r != NULL; r++)
		known |= strcmp(*r, e->field) == 0;
	FUZZ_CHECK(known, "%s: refusal names %s", who, e->field);
	FUZZ_CHECK(get(q, e->field) != NULL || (strcmp(e->field, "q") == 0 &&
	    strcmp(who, "search") == 0), "%s: %s refused but absent", who,
	    e->field);
}

/* An accepted parser saw no marked parameter among those it reads. */
static void
no_marker(const char *who, struct query *q, const char *const *reads)
{
	for (const char *const *r = reads; *r != NULL; r++)
		FUZZ_CHECK(!marked(get(q, *r)), "%s: malformed %s accepted", who,
		    *r);
}

static void
check_list_limit(struct api_req *r, struct query *q)
{
	static const char *const reads[] = { "limit", "cursor", NULL };
	const char *l = get(q, "limit"), *c = get(q, "cursor");
	struct cs_error e;
	int64_t rl = 50, rcur = 0, cursor;
	bool lok, cok;
	int limit;
	enum cs_err rc;

	lok = l == NULL || ref_dec(l, 1, 500, &rl);
	cok = c == NULL || (c[0] == 'c' && ref_dec(c + 1, 1, INT64_MAX, &rcur));
	cs_error_clear(&e);
	rc = api_list_limit(r, &limit, &cursor, &e);
	FUZZ_CHECK((rc == CS_OK) == (lok && cok), "limit/cursor: %d, reference "
	    "%d %d", (int)rc, lok, cok);
	if (rc != CS_OK) {
		refusal_ok("list", q, reads, rc, &e);
		FUZZ_CHECK(strcmp(e.field, lok ? "cursor" : "limit") == 0,
		    "list: names %s", e.field);
		return;
	}
	no_marker("list", q, reads);
	FUZZ_CHECK(limit == rl && cursor == rcur, "limit %d cursor %lld, "
	    "reference %lld %lld", limit, (long long)cursor, (long long)rl,
	    (long long)rcur);
	/* The next page's cursor as api_list_json() writes it reads back. */
	if (cursor > 0) {
		json_t *page = api_list_json(json_array(), true, cursor);
		const char *next = json_string_value(json_object_get(page,
		    "next_cursor"));
		struct query q2 = { .n = 1 };
		int l2;
		int64_t c2;

		FUZZ_CHECK(next != NULL, "no next_cursor");
		q2.k[0] = (char *)"cursor";
		q2.v[0] = (char *)next;
		r->conn = &q2;
		FUZZ_CHECK(api_list_limit(r, &l2, &c2, &e) == CS_OK && c2 == cursor &&
		    l2 == 50, "cursor %s does not read back", next);
		r->conn = q;
		json_decref(page);
	}
}

static void
check_reports(struct api_req *r, struct query *q)
{
	static const char *const reads[] = { "limit", "cursor", "sector",
	    "event_type", "since", "until", "tlp", "importance", "cause",
	    "anonymised", "q", NULL };
	struct api_report_query rq;
	struct cs_error e;
	enum cs_err rc;
	const char *v;

	cs_error_clear(&e);
	rc = api_report_query(r, &rq, &e);
	if (rc != CS_OK) {
		refusal_ok("reports", q, reads, rc, &e);
		return;
	}
	no_marker("reports", q, reads);
	v = get(q, "sector");
	FUZZ_CHECK(v == NULL ? rq.sector == -1 : (rq.sector >= 0 &&
	    rq.sector < CS_NSECTORS && strcmp(core_sector_id(rq.sector), v) == 0),
	    "sector");
	v = get(q, "tlp");
	FUZZ_CHECK(rq.has_tlp == (v != NULL), "has_tlp");
	if (v != NULL)
		FUZZ_CHECK(strcmp(core_tlp_id(rq.tlp), v) == 0, "tlp %s", v);
	FUZZ_CHECK(rq.has_since == (get(q, "since") != NULL) &&
	    rq.has_until == (get(q, "until") != NULL), "since/until");
	v = get(q, "anonymised");
	FUZZ_CHECK(rq.mine_anon == (v != NULL) && (v == NULL ||
	    strcmp(v, "mine") == 0), "anonymised");
	v = get(q, "q");
	FUZZ_CHECK(rq.q == v, "q");
	if (v != NULL)
		FUZZ_CHECK(strlen(v) <= 256 && cs_utf8_len(v, strlen(v)) >= 0,
		    "q accepted: %zu bytes", strlen(v));
	FUZZ_CHECK(rq.event_type == get(q, "event_type") &&
	    rq.importance == get(q, "importance") && rq.cause == get(q, "cause"),
	    "strings");
	if (rq.event_type != NULL)
		FUZZ_CHECK(strncmp(rq.event_type, "event_", 6) == 0, "event_type");
}

static void
check_audit(struct api_req *r, struct query *q)
{
	static const char *const reads[] = { "limit", "cursor", "since",
	    "action", "org", "item", NULL };
	struct api_audit_query aq;
	struct cs_error e;
	enum cs_err rc;
	const char *v;
	int64_t org;

	cs_error_clear(&e);
	rc = api_audit_query(r, &aq, &e);
	if (rc != CS_OK) {
		refusal_ok("audit", q, reads, rc, &e);
		return;
	}
	no_marker("audit", q, reads);
	if ((v = aq.action) != NULL)
		FUZZ_CHECK(strlen(v) >= 1 && strlen(v) <= 64 &&
		    strspn(v, "abcdefghijklmnopqrstuvwxyz_.") == strlen(v), "action");
	v = get(q, "org");
	FUZZ_CHECK(v == NULL ? aq.org == 0 : (ref_dec(v, 1, INT64_MAX, &org) &&
	    org == aq.org), "org");
	if ((v = aq.item) != NULL)
		FUZZ_CHECK(strlen(v) >= 1 && strlen(v) <= 64 &&
		    cs_utf8_len(v, strlen(v)) >= 0, "item");
}

/* The reference for ?group=: a comma list of dimension ids, one at least. */
static bool
ref_group(const char *g, unsigned *dims)
{
	const char *p = g;

	*dims = 0;
	if (g == NULL || *g == '\0')
		g = p = "sector";
	if (strlen(g) >= 256)
		return false;
	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		int d = -1;

		for (int i = 0; n > 0 && i < STATS__COUNT; i++)
			if (strlen(stats_dim_id(i)) == n &&
			    memcmp(stats_dim_id(i), p, n) == 0)
				d = i;
		if (n > 0 && d < 0)
			return false;
		if (d >= 0)
			*dims |= 1u << d;
		p += n;
		if (*p == ',')
			p++;
	}
	return *dims != 0;
}

static void
check_stats(struct api_req *r, struct query *q)
{
	static const char *const reads[] = { "group", "since", "until", NULL };
	struct svc_stats_in in;
	struct cs_error e;
	unsigned dims;
	bool gok;
	enum cs_err rc;

	cs_error_clear(&e);
	gok = ref_group(get(q, "group"), &dims);
	rc = api_stats_query(r, &in, &e);
	if (rc != CS_OK) {
		refusal_ok("stats", q, reads, rc, &e);
		FUZZ_CHECK(gok == (strcmp(e.field, "group") != 0), "group: %s",
		    e.field);
		return;
	}
	no_marker("stats", q, reads);
	FUZZ_CHECK(gok && in.dims == dims, "group dims %#x, reference %#x",
	    in.dims, dims);
}

static void
check_search(struct api_req *r, struct query *q, const uint8_t *data,
    size_t size)
{
	static const char *const reads[] = { "type", "limit", "q", NULL };
	struct svc_search_in in;
	struct svc_search_key k, k2;
	struct cs_error e;
	char buf[SVC_SEARCH_CURSOR_MAX], buf2[SVC_SEARCH_CURSOR_MAX];
	const char *c = get(q, "cursor");
	enum cs_err rc;

	cs_error_clear(&e);
	rc = api_search_query(r, &in, &e);
	if (rc != CS_OK)
		refusal_ok("search", q, reads, rc, &e);
	else {
		FUZZ_CHECK(!marked(get(q, "type")) && !marked(get(q, "limit")),
		    "search: a malformed type or limit accepted");
		FUZZ_CHECK(in.limit >= 1 && in.limit <= 500 && in.q != NULL &&
		    in.cursor == c, "search query");
	}
	/* The cursor: what reads must read back from its own writing. */
	if (c != NULL && svc_search_cursor_parse(c, &k) == CS_OK) {
		FUZZ_CHECK(!marked(c), "search: a malformed cursor accepted");
		FUZZ_CHECK(k.rank >= 0 && k.updated_us >= 0 && k.kind >= 0 &&
		    k.id >= 0, "a negative cursor member");
		svc_search_cursor_fmt(&k, buf, sizeof(buf));
		FUZZ_CHECK(svc_search_cursor_parse(buf, &k2) == CS_OK &&
		    memcmp(&k, &k2, sizeof(k)) == 0, "cursor %s does not read "
		    "back", buf);
		svc_search_cursor_fmt(&k2, buf2, sizeof(buf2));
		FUZZ_CHECK(strcmp(buf, buf2) == 0, "cursor writing unstable");
	}
	/* Any four numbers >= 0, from the input's bytes. */
	if (size >= 32) {
		int64_t v[4];

		memcpy(v, data, sizeof(v));
		k = (struct svc_search_key){ v[0] & INT64_MAX, v[1] & INT64_MAX,
		    v[2] & INT64_MAX, v[3] & INT64_MAX };
		svc_search_cursor_fmt(&k, buf, sizeof(buf));
		FUZZ_CHECK(svc_search_cursor_parse(buf, &k2) == CS_OK &&
		    memcmp(&k, &k2, sizeof(k)) == 0, "key %s does not read back",
		    buf);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct query q = { .n = 0 };
	struct api_req r;
	char *s, *p;

	if (size > 8192)
		return 0;
	s = fuzz_cstr(data, size);
	for (p = s; p != NULL && q.n < NQ; ) {
		char *amp = strchr(p, '&'), *eq;

		if (amp != NULL)
			*amp++ = '\0';
		if (*p != '\0') {
			if ((eq = strchr(p, '=')) != NULL)
				*eq++ = '\0';
			q.k[q.n] = decode(p);
			q.v[q.n] = eq != NULL ? decode(eq) : NULL;
			q.n++;
		}
		p = amp;
	}
	memset(&r, 0, sizeof(r));
	r.query = get;
	r.conn = &q;
	check_list_limit(&r, &q);
	check_reports(&r, &q);
	check_audit(&r, &q);
	check_stats(&r, &q);
	check_search(&r, &q, data, size);
	free(s);
	return 0;
}
