/*
 * st_report.c: reports (情報連絡) with their path, shares and extra
 * recipients, the candidates behind report lists, the immutable versions,
 * and the requests to widen a report's TLP or sectors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_REPORT_INSERT, Q_REPORT_UPDATE, Q_REPORT_SET_ANON, Q_REPORT_GET,
	Q_REPORT_PATH, Q_REPORT_SHARES, Q_REPORT_EXTRA,
	Q_CANDIDATES, Q_CANDIDATES_SECTOR, Q_CANDIDATES_ANON,
	Q_PATH_ADD, Q_SHARE_ADD, Q_EXTRA_ADD,
	Q_VERSION_INSERT, Q_VERSION_LIST,
	Q_WIDEN_INSERT, Q_WIDEN_UPDATE, Q_WIDEN_GET, Q_WIDEN_LIST,
	Q__COUNT
};

#define REPORT_COLS	"r.id, r.route, r.legal_duty, r.tlp, r.sector, r.state," \
			" r.submitter_org, r.anonymised, r.anon_tag," \
			" r.sealed_identity, r.ceptoar_org, r.r_number," \
			" r.nversions, r.created_us, r.updated_us"

/*
 * The newest `limit` of each relation, merged: the newest `limit` of their
 * union are among them.  Each branch walks one index.
 */
#define CANDIDATES(cond)						\
	"SELECT id FROM ("						\
	" SELECT * FROM (SELECT id FROM reports"			\
	"  WHERE submitter_org = CAST(?2 AS bigint)" cond		\
	"  AND id < ?1 ORDER BY id DESC LIMIT ?3) a"			\
	" UNION SELECT * FROM (SELECT report FROM report_path"		\
	"  WHERE org = CAST(?2 AS bigint)" cond				\
	"  AND report < ?1 ORDER BY report DESC LIMIT ?3) b"		\
	" UNION SELECT * FROM (SELECT report FROM report_shares"	\
	"  WHERE org = CAST(?2 AS bigint)" cond				\
	"  AND report < ?1 ORDER BY report DESC LIMIT ?3) c) u"		\
	" ORDER BY id DESC LIMIT ?3"

#define WIDEN_COLS	"id, report, tlp, sectors, reason, state, by_user, by_org," \
			" created_us, decided_us, decided_by_org, decided_by_user"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_REPORT_INSERT] = { .returning = "id", .nparm = 14, .sql =
	    "INSERT INTO reports(route, legal_duty, tlp, sector, state,"
	    " submitter_org, anonymised, anon_tag, sealed_identity, ceptoar_org,"
	    " r_number, nversions, created_us, updated_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
	    " ON CONFLICT DO NOTHING" },
	/* r_number is unique: a clash fails alone. */
	[Q_REPORT_UPDATE] = { .nparm = 6, .flags = STMT_GUARDED, .sql =
	    "UPDATE reports SET state = ?2, tlp = ?3, r_number = ?4,"
	    " nversions = ?5, updated_us = ?6 WHERE id = ?1" },
	[Q_REPORT_SET_ANON] = { .nparm = 3, .sql =
	    "UPDATE reports SET anon_tag = ?2, sealed_identity = ?3 WHERE id = ?1" },
	/*
	 * A report with its path, shares and extra recipients in one round
	 * trip: each list as "a,b,c;a,b,c" (integers only), in list order
	 * (insertion order breaks ties: SQLite's rowid, PostgreSQL's ord).
	 */
	/*
	 * PostgreSQL: a report with its path, shares and extra recipients in
	 * one round trip, each list as "a,b,c;a,b,c" (integers only), in list
	 * order.  SQLite (no round trips) reads the lists with the three
	 * statements below, faster than building and parsing the strings.
	 */
	[Q_REPORT_GET] = { .nparm = 1, .sql =
	    "SELECT " REPORT_COLS " FROM reports r WHERE r.id = ?1", .pg =
	    "SELECT " REPORT_COLS ","
	    " (SELECT string_agg(p.org || ',' || p.org_type || ',' || p.joined_us,"
	    "  ';' ORDER BY p.joined_us, p.ord) FROM report_path p"
	    "  WHERE p.report = r.id),"
	    " (SELECT string_agg(s.org || ',' || s.by_org || ',' || s.at_us,"
	    "  ';' ORDER BY s.at_us, s.ord) FROM report_shares s"
	    "  WHERE s.report = r.id),"
	    " (SELECT string_agg(x.org::text, ';' ORDER BY x.org)"
	    "  FROM report_extra x WHERE x.report = r.id)"
	    " FROM reports r WHERE r.id = ?1" },
	/* In the order organisations joined (then were shared with): rowid breaks ties. */
	[Q_REPORT_PATH] = { .nparm = 1, .pg = STORE_NONE, .sql =
	    "SELECT org, org_type, joined_us FROM report_path WHERE report = ?1"
	    " ORDER BY joined_us, rowid" },
	[Q_REPORT_SHARES] = { .nparm = 1, .pg = STORE_NONE, .sql =
	    "SELECT org, by_org, at_us FROM report_shares WHERE report = ?1"
	    " ORDER BY at_us, rowid" },
	[Q_REPORT_EXTRA] = { .nparm = 1, .pg = STORE_NONE, .sql =
	    "SELECT org FROM report_extra WHERE report = ?1 ORDER BY org" },
	[Q_CANDIDATES] = { .nparm = 3, .sql = CANDIDATES("") },
	[Q_CANDIDATES_SECTOR] = { .nparm = 4, .sql =
	    CANDIDATES(" AND sector = CAST(?4 AS integer)") },
	[Q_CANDIDATES_ANON] = { .nparm = 3, .sql =
	    "SELECT id FROM reports WHERE anonymised = 1 AND id < ?1"
	    " AND (CAST(?3 AS integer) < 0 OR sector = CAST(?3 AS integer))"
	    " ORDER BY id DESC LIMIT ?2" },
	/* The report's (immutable) sector beside each relation, for lists. */
	[Q_PATH_ADD] = { .nparm = 4, .sql =
	    "INSERT INTO report_path(report, org, org_type, joined_us, sector)"
	    " SELECT ?1, ?2, ?3, ?4, sector FROM reports WHERE id = ?1"
	    " ON CONFLICT DO NOTHING" },
	[Q_SHARE_ADD] = { .nparm = 4, .sql =
	    "INSERT INTO report_shares(report, org, by_org, at_us, sector)"
	    " SELECT ?1, ?2, ?3, ?4, sector FROM reports WHERE id = ?1"
	    " ON CONFLICT DO NOTHING" },
	[Q_EXTRA_ADD] = { .nparm = 2, .sql =
	    "INSERT INTO report_extra(report, org) VALUES (?1, ?2)"
	    " ON CONFLICT DO NOTHING" },
	[Q_VERSION_INSERT] = { .nparm = 8, .sql =
	    "INSERT INTO report_versions(report, version, hop, form, sealed_form,"
	    " by_org, by_user, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT DO NOTHING" },
	[Q_VERSION_LIST] = { .nparm = 1, .sql =
	    "SELECT report, version, hop, form, sealed_form, by_org, by_user,"
	    " created_us FROM report_versions WHERE report = ?1"
	    " ORDER BY version, hop" },
	[Q_WIDEN_INSERT] = { .returning = "id", .nparm = 8, .sql =
	    "INSERT INTO widening_requests(report, tlp, sectors, reason, state,"
	    " by_user, by_org, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)" },
	[Q_WIDEN_UPDATE] = { .nparm = 5, .sql =
	    "UPDATE widening_requests SET state = ?2, decided_us = ?3,"
	    " decided_by_org = ?4, decided_by_user = ?5 WHERE id = ?1" },
	[Q_WIDEN_GET] = { .nparm = 1, .sql =
	    "SELECT " WIDEN_COLS " FROM widening_requests WHERE id = ?1" },
	[Q_WIDEN_LIST] = { .nparm = 3, .sql =
	    "SELECT " WIDEN_COLS " FROM widening_requests"
	    " WHERE (CAST(?1 AS bigint) = 0 OR report = CAST(?1 AS bigint))"
	    " AND id > ?2 ORDER BY id LIMIT ?3" },
};

struct store_area st_report_area = { "report", stmts, Q__COUNT, 0 };
#define A	(&st_report_area)

#define R_(f, t)	COL(struct store_report, f, t)
static const struct store_col report_cols[] = {
	R_(id, CT_I64), R_(route, CT_INT), R_(legal_duty, CT_BOOL), R_(tlp, CT_INT),
	R_(sector, CT_INT), R_(state, CT_INT), R_(submitter_org, CT_I64),
	R_(anonymised, CT_BOOL), R_(anon_tag, CT_BLOB32),
	R_(sealed_identity, CT_TEXT), R_(ceptoar_org, CT_I64),
	R_(r_number, CT_I64), R_(nversions, CT_INT), R_(created_us, CT_I64),
	R_(updated_us, CT_I64),
};
static const struct store_codec report_codec = CODEC(struct store_report,
    report_cols);

static const struct store_col path_cols[] = {
	COL(struct cs_path_entry, org_id, CT_I64),
	COL(struct cs_path_entry, org_type, CT_INT),
	COL(struct cs_path_entry, joined_us, CT_I64),
};
static const struct store_codec path_codec = CODEC(struct cs_path_entry, path_cols);

static const struct store_col share_cols[] = {
	COL(struct store_share, org, CT_I64), COL(struct store_share, by_org, CT_I64),
	COL(struct store_share, at_us, CT_I64),
};
static const struct store_codec share_codec = CODEC(struct store_share, share_cols);

#define V_(f, t)	COL(struct store_version, f, t)
static const struct store_col version_cols[] = {
	V_(report, CT_I64), V_(version, CT_INT), V_(hop, CT_INT), V_(form, CT_TEXT),
	V_(sealed_form, CT_TEXT), V_(by_org, CT_I64), V_(by_user, CT_I64),
	V_(created_us, CT_I64),
};
static const struct store_codec version_codec = CODEC(struct store_version,
    version_cols);

enum cs_err
store_report_insert(struct store *st, struct store_report *r)
{
	return st_insert(st, A, Q_REPORT_INSERT, PARMS(P_INT(r->route),
	    P_INT(r->legal_duty), P_INT(r->tlp), P_INT(r->sector),
	    P_INT(r->state), P_ID(r->submitter_org), P_INT(r->anonymised),
	    r->anonymised ? P_BLOB32(r->anon_tag) : P_NULL,
	    P_TEXT(r->sealed_identity), P_ID(r->ceptoar_org), P_ID(r->r_number),
	    P_INT(r->nversions), P_INT(r->created_us), P_INT(r->updated_us)),
	    &r->id);
}

/* Updates state, tlp, r_number, nversions, updated_us. */
enum cs_err
store_report_update(struct store *st, const struct store_report *r)
{
	return st_run(st, A, Q_REPORT_UPDATE, PARMS(P_INT(r->id),
	    P_INT(r->state), P_INT(r->tlp), P_ID(r->r_number),
	    P_INT(r->nversions), P_INT(r->updated_us)));
}

enum cs_err
store_report_set_anon(struct store *st, const struct store_report *r)
{
	return st_run(st, A, Q_REPORT_SET_ANON, PARMS(P_INT(r->id),
	    P_BLOB32(r->anon_tag), P_TEXT(r->sealed_identity)));
}

/*
 * Splits an aggregated list ("a,b,c;a,b,c") of `width` integers per item
 * into a new array of n * width values; false if it is not one.
 */
static bool
int_list(const char *s, int width, int64_t **out, size_t *n)
{
	size_t items = 1, k = 0;
	int64_t *v;

	*out = NULL;
	*n = 0;
	if (s == NULL || *s == '\0')
		return true;
	for (const char *c = s; *c; c++)
		items += *c == ';';
	v = xcalloc(items * (size_t)width, sizeof(*v));
	for (size_t i = 0; i < items; i++) {
		for (int w = 0; w < width; w++) {
			char *end;
			long long x;

			errno = 0;
			x = strtoll(s, &end, 10);
			if (end == s || errno != 0 || *end != (w + 1 < width ?
			    ',' : i + 1 < items ? ';' : '\0')) {
				free(v);
				return false;
			}
			v[k++] = x;
			s = *end ? end + 1 : end;
		}
	}
	*out = v;
	*n = items;
	return true;
}

static void
put_path(void *rec, const int64_t *v)
{
	struct cs_path_entry *p = rec;

	p->org_id = v[0];
	p->org_type = (enum cs_org_type)v[1];
	p->joined_us = v[2];
}

static void
put_share(void *rec, const int64_t *v)
{
	struct store_share *s = rec;

	s->org = v[0];
	s->by_org = v[1];
	s->at_us = v[2];
}

/* An aggregated list of triples in column col as n records (NULL if none). */
static void *
triples(const struct store_row *row, int col, size_t size,
    void (*put)(void *, const int64_t *), size_t *n, bool *ok)
{
	char *recs = NULL;
	int64_t *v;

	*ok = *ok && int_list(row->eng->col_text(row->h, row->i, col), 3, &v, n);
	if (!*ok)
		return NULL;
	if (*n > 0)
		recs = xcalloc(*n, size);
	for (size_t i = 0; i < *n; i++)
		put(recs + i * size, &v[3 * i]);
	free(v);
	return recs;
}

struct report_get {
	struct store_report	*r;
	bool			 lists;		/* the lists came aggregated */
	bool			 ok;
};

static void
report_row(const struct store_row *row, void *arg)
{
	struct report_get *g = arg;
	struct store_report *r = g->r;

	row_fill(row, 0, &report_codec, r);
	if (!g->lists)
		return;
	r->path = triples(row, 15, sizeof(*r->path), put_path, &r->npath, &g->ok);
	r->shares = triples(row, 16, sizeof(*r->shares), put_share, &r->nshares,
	    &g->ok);
	g->ok = g->ok && int_list(row->eng->col_text(row->h, row->i, 17), 1,
	    &r->extra, &r->nextra);
}

enum cs_err
store_report_get(struct store *st, int64_t id, struct store_report *r)
{
	struct report_get g = { r, !st_has(st, A, Q_REPORT_PATH), true };
	enum cs_err rc;

	memset(r, 0, sizeof(*r));
	rc = st_first(st, A, Q_REPORT_GET, PARMS(P_INT(id)), report_row, &g);
	if (rc == CS_OK && !g.ok) {
		log_warn("event=store_report_lists_malformed report=%lld",
		    (long long)id);
		rc = CS_ESTORE;
	}
	if (rc == CS_OK && !g.lists &&
	    ((rc = st_list(st, A, Q_REPORT_PATH, PARMS(P_INT(id)), &path_codec,
	    &r->path, &r->npath)) != CS_OK ||
	    (rc = st_list(st, A, Q_REPORT_SHARES, PARMS(P_INT(id)), &share_codec,
	    &r->shares, &r->nshares)) != CS_OK ||
	    (rc = st_list(st, A, Q_REPORT_EXTRA, PARMS(P_INT(id)),
	    &store_i64_codec, &r->extra, &r->nextra)) != CS_OK))
		rc = CS_ESTORE;
	if (rc != CS_OK)
		store_report_fini(r);
	return rc;
}

enum cs_err
store_report_candidates(struct store *st, const struct store_report_filter *f,
    int64_t **ids, size_t *n)
{
	int64_t before = f->before_id > 0 ? f->before_id : INT64_MAX;

	if (f->anonymised)
		return st_list(st, A, Q_CANDIDATES_ANON, PARMS(P_INT(before),
		    P_LIMIT(f->limit), P_INT(f->sector)), &store_i64_codec, ids, n);
	if (f->sector < 0)
		return st_list(st, A, Q_CANDIDATES, PARMS(P_INT(before),
		    P_INT(f->org), P_LIMIT(f->limit)), &store_i64_codec, ids, n);
	return st_list(st, A, Q_CANDIDATES_SECTOR, PARMS(P_INT(before),
	    P_INT(f->org), P_LIMIT(f->limit), P_INT(f->sector)), &store_i64_codec, ids, n);
}

void
store_report_fini(struct store_report *r)
{
	if (r == NULL)
		return;
	free(r->path);
	free(r->shares);
	free(r->extra);
	st_fini(r, &report_codec);
}

enum cs_err
store_report_path_add(struct store *st, int64_t id, const struct cs_path_entry *e)
{
	return st_run(st, A, Q_PATH_ADD, PARMS(P_INT(id), P_INT(e->org_id),
	    P_INT(e->org_type), P_INT(e->joined_us)));
}

enum cs_err
store_report_share_add(struct store *st, int64_t id, const struct store_share *s)
{
	return st_run(st, A, Q_SHARE_ADD, PARMS(P_INT(id), P_INT(s->org),
	    P_INT(s->by_org), P_INT(s->at_us)));
}

enum cs_err
store_report_extra_add(struct store *st, int64_t id, int64_t org)
{
	return st_run(st, A, Q_EXTRA_ADD, PARMS(P_INT(id), P_INT(org)));
}

enum cs_err
store_version_insert(struct store *st, const struct store_version *v)
{
	return st_insert(st, A, Q_VERSION_INSERT, PARMS(P_INT(v->report),
	    P_INT(v->version), P_INT(v->hop), P_TEXT(v->form),
	    P_TEXT(v->sealed_form), P_ID(v->by_org), P_ID(v->by_user),
	    P_INT(v->created_us)), NULL);
}

ST_DEFINE_LIST_BY(store_version_list, struct store_version, A, Q_VERSION_LIST,
    &version_codec)
ST_DEFINE_FREE(store_versions_free, struct store_version, &version_codec)

#define W_(f, t)	COL(struct store_widening, f, t)
static const struct store_col widening_cols[] = {
	W_(id, CT_I64), W_(report, CT_I64), W_(tlp, CT_INT), W_(sectors, CT_U32),
	W_(reason, CT_TEXT), W_(state, CT_INT), W_(by_user, CT_I64),
	W_(by_org, CT_I64), W_(created_us, CT_I64), W_(decided_us, CT_I64),
	W_(decided_by_org, CT_I64), W_(decided_by_user, CT_I64),
};
static const struct store_codec widening_codec = CODEC(struct store_widening,
    widening_cols);

enum cs_err
store_widening_insert(struct store *st, struct store_widening *w)
{
	return st_insert(st, A, Q_WIDEN_INSERT, PARMS(P_INT(w->report), P_INT(w->tlp),
	    P_INT(w->sectors), P_TEXT(w->reason), P_INT(w->state),
	    P_INT(w->by_user), P_INT(w->by_org), P_INT(w->created_us)), &w->id);
}

enum cs_err
store_widening_update(struct store *st, const struct store_widening *w)
{
	return st_run(st, A, Q_WIDEN_UPDATE, PARMS(P_INT(w->id), P_INT(w->state),
	    P_ID(w->decided_us), P_ID(w->decided_by_org), P_ID(w->decided_by_user)));
}

/* report > 0: that report's requests; else all. */
ST_DEFINE_GET(store_widening_get, struct store_widening, A, Q_WIDEN_GET, &widening_codec)
ST_DEFINE_LIST_PAGE(store_widening_list, struct store_widening, A, Q_WIDEN_LIST,
    &widening_codec)
ST_DEFINE_FINI(store_widening_fini, struct store_widening, &widening_codec)
ST_DEFINE_FREE(store_widenings_free, struct store_widening, &widening_codec)
