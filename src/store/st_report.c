/*
 * st_report.c: reports with their path, shares and extra recipients, the
 * candidates behind report lists, and the immutable versions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_REPORT_INSERT, Q_REPORT_UPDATE, Q_REPORT_SET_ANON, Q_REPORT_GET,
	Q_CANDIDATES, Q_CANDIDATES_SECTOR, Q_CANDIDATES_ANON,
	Q_PATH_ADD, Q_SHARE_ADD, Q_EXTRA_ADD,
	Q_VERSION_INSERT, Q_VERSION_LIST,
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

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_REPORT_INSERT] = { .nparm = 14, .sql =
	    "INSERT INTO reports(route, legal_duty, tlp, sector, state,"
	    " submitter_org, anonymised, anon_tag, sealed_identity, ceptoar_org,"
	    " r_number, nversions, created_us, updated_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
	    " ON CONFLICT DO NOTHING RETURNING id" },
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
	[Q_REPORT_GET] = { .nparm = 1, .sql =
	    "SELECT " REPORT_COLS ","
	    " (SELECT string_agg(p.org || ',' || p.org_type || ',' || p.joined_us,"
	    "  ';' ORDER BY p.joined_us, p.ord) FROM report_path p"
	    "  WHERE p.report = r.id),"
	    " (SELECT string_agg(s.org || ',' || s.by_org || ',' || s.at_us,"
	    "  ';' ORDER BY s.at_us, s.ord) FROM report_shares s"
	    "  WHERE s.report = r.id),"
	    " (SELECT string_agg(x.org::text, ';' ORDER BY x.org)"
	    "  FROM report_extra x WHERE x.report = r.id)"
	    " FROM reports r WHERE r.id = ?1",
	    /* SQLite 3.40 has no ORDER BY inside group_concat(). */
	    .sqlite =
	    "SELECT " REPORT_COLS ","
	    " (SELECT group_concat(v, ';') FROM (SELECT p.org || ',' || p.org_type"
	    "  || ',' || p.joined_us AS v FROM report_path p WHERE p.report = r.id"
	    "  ORDER BY p.joined_us, p.rowid)),"
	    " (SELECT group_concat(v, ';') FROM (SELECT s.org || ',' || s.by_org"
	    "  || ',' || s.at_us AS v FROM report_shares s WHERE s.report = r.id"
	    "  ORDER BY s.at_us, s.rowid)),"
	    " (SELECT group_concat(v, ';') FROM (SELECT x.org AS v"
	    "  FROM report_extra x WHERE x.report = r.id ORDER BY x.org))"
	    " FROM reports r WHERE r.id = ?1" },
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
	    " ON CONFLICT DO NOTHING RETURNING 1" },
	[Q_VERSION_LIST] = { .nparm = 1, .sql =
	    "SELECT report, version, hop, form, sealed_form, by_org, by_user,"
	    " created_us FROM report_versions WHERE report = ?1"
	    " ORDER BY version, hop" },
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

#define V_(f, t)	COL(struct store_version, f, t)
static const struct store_col version_cols[] = {
	V_(report, CT_I64), V_(version, CT_INT), V_(hop, CT_INT), V_(form, CT_TEXT),
	V_(sealed_form, CT_TEXT), V_(by_org, CT_I64), V_(by_user, CT_I64),
	V_(created_us, CT_I64),
};
static const struct store_codec version_codec = CODEC(struct store_version,
    version_cols);

static const struct store_col id_cols[] = { { CT_I64, 0, 0 } };
static const struct store_codec id_codec = { id_cols, 1, sizeof(int64_t) };

enum cs_err
store_report_insert(struct store *st, struct store_report *r)
{
	struct store_parm p[] = {
		P_INT(r->route), P_INT(r->legal_duty), P_INT(r->tlp),
		P_INT(r->sector), P_INT(r->state), P_ID(r->submitter_org),
		P_INT(r->anonymised), r->anonymised ? P_BLOB32(r->anon_tag) : P_NULL,
		P_TEXT(r->sealed_identity), P_ID(r->ceptoar_org),
		P_ID(r->r_number), P_INT(r->nversions), P_INT(r->created_us),
		P_INT(r->updated_us),
	};

	return st_insert(st, A, Q_REPORT_INSERT, p, NPARM(p), &r->id);
}

enum cs_err
store_report_update(struct store *st, const struct store_report *r)
{
	struct store_parm p[] = {
		P_INT(r->id), P_INT(r->state), P_INT(r->tlp), P_ID(r->r_number),
		P_INT(r->nversions), P_INT(r->updated_us),
	};

	return st_run(st, A, Q_REPORT_UPDATE, p, NPARM(p));
}

enum cs_err
store_report_set_anon(struct store *st, const struct store_report *r)
{
	struct store_parm p[] = {
		P_INT(r->id), P_BLOB32(r->anon_tag), P_TEXT(r->sealed_identity),
	};

	return st_run(st, A, Q_REPORT_SET_ANON, p, NPARM(p));
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

struct report_get {
	struct store_report	*r;
	bool			 seen;
	bool			 ok;
};

static void
report_row(const struct store_row *row, void *arg)
{
	struct report_get *g = arg;
	struct store_report *r = g->r;
	const char *t;
	int64_t *v;
	size_t n;

	if (g->seen)
		return;
	g->seen = true;
	row_fill(row, 0, &report_codec, r);
	t = row->eng->col_text(row->h, row->i, 15);
	if (!(g->ok = int_list(t, 3, &v, &n)))
		return;
	if (n > 0) {
		r->path = xcalloc(n, sizeof(*r->path));
		for (size_t i = 0; i < n; i++) {
			r->path[i].org_id = v[3 * i];
			r->path[i].org_type = (enum cs_org_type)v[3 * i + 1];
			r->path[i].joined_us = v[3 * i + 2];
		}
		r->npath = n;
	}
	free(v);
	t = row->eng->col_text(row->h, row->i, 16);
	if (!(g->ok = int_list(t, 3, &v, &n)))
		return;
	if (n > 0) {
		r->shares = xcalloc(n, sizeof(*r->shares));
		for (size_t i = 0; i < n; i++) {
			r->shares[i].org = v[3 * i];
			r->shares[i].by_org = v[3 * i + 1];
			r->shares[i].at_us = v[3 * i + 2];
		}
		r->nshares = n;
	}
	free(v);
	t = row->eng->col_text(row->h, row->i, 17);
	g->ok = int_list(t, 1, &r->extra, &r->nextra);
}

enum cs_err
store_report_get(struct store *st, int64_t id, struct store_report *r)
{
	struct store_parm p[] = { P_INT(id) };
	struct report_get g = { r, false, true };
	enum cs_err rc;

	memset(r, 0, sizeof(*r));
	rc = st_exec(st, A, Q_REPORT_GET, p, NPARM(p), report_row, &g, NULL);
	if (rc == CS_OK && !g.seen)
		return CS_ENOENT;
	if (rc == CS_OK && !g.ok) {
		log_warn("event=store_report_lists_malformed report=%lld",
		    (long long)id);
		rc = CS_ESTORE;
	}
	if (rc != CS_OK)
		store_report_fini(r);
	return rc;
}

enum cs_err
store_report_candidates(struct store *st, const struct store_report_filter *f,
    int64_t **ids, size_t *n)
{
	int64_t before = f->before_id > 0 ? f->before_id : INT64_MAX;

	if (f->anonymised) {
		struct store_parm p[] = {
			P_INT(before), P_LIMIT(f->limit), P_INT(f->sector),
		};

		return st_list(st, A, Q_CANDIDATES_ANON, p, NPARM(p), &id_codec,
		    ids, n);
	}
	if (f->sector < 0) {
		struct store_parm p[] = {
			P_INT(before), P_INT(f->org), P_LIMIT(f->limit),
		};

		return st_list(st, A, Q_CANDIDATES, p, NPARM(p), &id_codec, ids, n);
	} else {
		struct store_parm p[] = {
			P_INT(before), P_INT(f->org), P_LIMIT(f->limit),
			P_INT(f->sector),
		};

		return st_list(st, A, Q_CANDIDATES_SECTOR, p, NPARM(p), &id_codec,
		    ids, n);
	}
}

void
store_report_fini(struct store_report *r)
{
	if (r == NULL)
		return;
	free(r->sealed_identity);
	free(r->path);
	free(r->shares);
	free(r->extra);
	memset(r, 0, sizeof(*r));
}

enum cs_err
store_report_path_add(struct store *st, int64_t id, const struct cs_path_entry *e)
{
	struct store_parm p[] = {
		P_INT(id), P_INT(e->org_id), P_INT(e->org_type), P_INT(e->joined_us),
	};

	return st_run(st, A, Q_PATH_ADD, p, NPARM(p));
}

enum cs_err
store_report_share_add(struct store *st, int64_t id, const struct store_share *s)
{
	struct store_parm p[] = {
		P_INT(id), P_INT(s->org), P_INT(s->by_org), P_INT(s->at_us),
	};

	return st_run(st, A, Q_SHARE_ADD, p, NPARM(p));
}

enum cs_err
store_report_extra_add(struct store *st, int64_t id, int64_t org)
{
	struct store_parm p[] = { P_INT(id), P_INT(org) };

	return st_run(st, A, Q_EXTRA_ADD, p, NPARM(p));
}

enum cs_err
store_version_insert(struct store *st, const struct store_version *v)
{
	struct store_parm p[] = {
		P_INT(v->report), P_INT(v->version), P_INT(v->hop), P_TEXT(v->form),
		P_TEXT(v->sealed_form), P_ID(v->by_org), P_ID(v->by_user),
		P_INT(v->created_us),
	};

	return st_insert(st, A, Q_VERSION_INSERT, p, NPARM(p), NULL);
}

enum cs_err
store_version_list(struct store *st, int64_t report, struct store_version **v,
    size_t *n)
{
	struct store_parm p[] = { P_INT(report) };

	return st_list(st, A, Q_VERSION_LIST, p, NPARM(p), &version_codec, v, n);
}

void
store_versions_free(struct store_version *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].form);
		free(v[i].sealed_form);
	}
	free(v);
}
