/*
 * st_search.c: the full-text index (docs/analysis.md "Search").  One row
 * per version stored in clear (a report version at one hop, an advisory
 * version): its text folded as ident matching folds it (ident_fold_json),
 * keyed by store_search_key().  SQLite indexes it with FTS5's trigram
 * tokenizer (search_fts, an external-content table fed by a trigger),
 * PostgreSQL with a pg_trgm GIN index; a query is a folded substring on
 * both, so both answer the same rows.  A sealed form (an anonymised
 * report's source text) is never indexed: the index holds only what is
 * stored in clear.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "core/ident.h"
#include "store/store_int.h"

enum {
	Q_SEARCH_PUT, Q_SEARCH_PUT_MANY, Q_SEARCH_FIND, Q_SEARCH_SCAN,
	Q_SEARCH_REPORT_ROWS, Q_SEARCH_ADV_ROWS,
	Q_SEARCH_FIND_PENDING, Q_SEARCH_INDEX, Q_SEARCH_INDEXED,
	Q_SEARCH_PENDING,
	Q__COUNT
};

#define FIND_COLS	"kind, item, key"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_SEARCH_PUT] = { .nparm = 6, .flags = STMT_NO_GEN, .sql =
	    "INSERT INTO search_docs(key, kind, item, version, hop, body)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING" },
	/*
	 * The rows a batch kept (store_search_put inside a transaction), in
	 * one statement: ?1 a JSON array of [key, kind, item, version, hop,
	 * body].  On SQLite one statement is one FTS5 flush: FTS5 writes its
	 * pending terms out as a new segment at every savepoint and statement
	 * end, so a row a statement made one segment per report version.
	 * (SQLite: the WHERE tells ON CONFLICT from a join's ON.)
	 */
	[Q_SEARCH_PUT_MANY] = { .nparm = 1, .flags = STMT_NO_GEN | STMT_DEFER,
	    .sqlite =
	    "INSERT INTO search_docs(key, kind, item, version, hop, body)"
	    " SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),"
	    " json_extract(value, '$[2]'), json_extract(value, '$[3]'),"
	    " json_extract(value, '$[4]'), json_extract(value, '$[5]')"
	    " FROM json_each(?1) WHERE true ON CONFLICT DO NOTHING",
	    .pg =
	    "INSERT INTO search_docs(key, kind, item, version, hop, body)"
	    " SELECT (e->>0)::bigint, (e->>1)::integer, (e->>2)::bigint,"
	    " (e->>3)::integer, (e->>4)::integer, e->>5"
	    " FROM json_array_elements(CAST(?1 AS json)) AS e"
	    " ON CONFLICT DO NOTHING" },
	/*
	 * ?1: SQLite an FTS5 phrase (a trigram phrase is a substring, three
	 * characters or more), PostgreSQL a LIKE pattern (pg_trgm's index);
	 * ?2 the kind (-1: any), ?3 keys below it, ?4 the limit.
	 */
	[Q_SEARCH_FIND] = { .nparm = 4,
	    .sqlite =
	    "SELECT d.kind, d.item, d.key FROM search_fts"
	    " JOIN search_docs d ON d.key = search_fts.rowid"
	    " WHERE search_fts MATCH ?1 AND search_fts.rowid < ?3"
	    " AND (?2 < 0 OR d.kind = ?2) ORDER BY search_fts.rowid DESC LIMIT ?4",
	    .pg =
	    "SELECT " FIND_COLS " FROM search_docs WHERE body LIKE ?1 ESCAPE '\\'"
	    " AND key < ?3 AND (CAST(?2 AS integer) < 0 OR kind = CAST(?2 AS integer))"
	    " ORDER BY key DESC LIMIT ?4" },
	/* SQLite, one or two characters (fewer than a trigram): ?1 folded. */
	[Q_SEARCH_SCAN] = { .nparm = 4,
	    .sqlite =
	    "SELECT " FIND_COLS " FROM search_docs WHERE instr(body, ?1) > 0"
	    " AND key < ?3 AND (?2 < 0 OR kind = ?2) ORDER BY key DESC LIMIT ?4",
	    .pg = STORE_NONE },
	/* The backfill of the rows stored before the index (migration 12). */
	[Q_SEARCH_REPORT_ROWS] = { .nparm = 0, .sql =
	    "SELECT report, version, hop, form FROM report_versions"
	    " WHERE form IS NOT NULL ORDER BY report, version, hop" },
	[Q_SEARCH_ADV_ROWS] = { .nparm = 0, .sql =
	    "SELECT advisory, version, 0, form FROM advisory_versions"
	    " ORDER BY advisory, version" },
	/*
	 * SQLite's asynchronous indexer (migration 27): a row of search_docs
	 * is committed with its key in search_pending (a trigger), and goes
	 * into search_fts later, in a transaction of the indexer's own
	 * (store.c, store_search_index); until then a query finds it by
	 * scanning the pending rows' folded text.  ?1 folded, the rest as
	 * Q_SEARCH_FIND's.  PostgreSQL's GIN index has a pending list of its
	 * own (fastupdate): its rows are indexed as they are written.
	 */
	[Q_SEARCH_FIND_PENDING] = { .nparm = 4,
	    .sqlite =
	    "SELECT d.kind, d.item, d.key FROM search_pending p"
	    " JOIN search_docs d ON d.key = p.key"
	    " WHERE p.key < ?3 AND (?2 < 0 OR d.kind = ?2)"
	    " AND instr(d.body, ?1) > 0 ORDER BY p.key DESC LIMIT ?4",
	    .pg = STORE_NONE },
	/* The ?1 oldest pending rows into the trigram index, then off the list. */
	[Q_SEARCH_INDEX] = { .nparm = 1, .flags = STMT_NO_GEN,
	    .sqlite =
	    "INSERT INTO search_fts(rowid, body) SELECT d.key, d.body"
	    " FROM (SELECT key FROM search_pending ORDER BY key LIMIT ?1) p"
	    " JOIN search_docs d ON d.key = p.key",
	    .pg = STORE_NONE },
	[Q_SEARCH_INDEXED] = { .nparm = 1, .flags = STMT_NO_GEN,
	    .sqlite =
	    "DELETE FROM search_pending WHERE key IN"
	    " (SELECT key FROM search_pending ORDER BY key LIMIT ?1)",
	    .pg = STORE_NONE },
	[Q_SEARCH_PENDING] = { .nparm = 0,
	    .sqlite = "SELECT count(*) FROM search_pending",
	    .pg = STORE_NONE },
};

struct store_area st_search_area = { "search", stmts, Q__COUNT, 0 };
#define A	(&st_search_area)

int64_t
store_search_key(enum store_search_kind kind, int64_t item, int version,
    int hop)
{
	return (item << 16) | ((int64_t)version << 3) | ((int64_t)hop << 1) |
	    (int64_t)kind;
}

enum cs_err
store_search_put(struct store *st, enum store_search_kind kind, int64_t item,
    int version, int hop, const char *form)
{
	char *body;

	if (form == NULL || version < 1 || version >= STORE_SEARCH_MAX_VERSION ||
	    hop < 0 || hop > 3)
		return CS_OK;
	if ((body = ident_fold_json(form)) == NULL)
		return CS_OK;
	return store_search_put_folded(st, kind, item, version, hop, body);
}

enum cs_err
store_search_put_folded(struct store *st, enum store_search_kind kind,
    int64_t item, int version, int hop, char *body)
{
	struct store_search_doc d = { store_search_key(kind, item, version, hop),
	    kind, item, version, hop, body };
	enum cs_err rc;

	if (body == NULL || version < 1 || version >= STORE_SEARCH_MAX_VERSION ||
	    hop < 0 || hop > 3) {
		free(body);
		return CS_OK;
	}
	/* Inside a transaction: written with its batch (store.c). */
	if (store_search_defer(st, &d))
		return CS_OK;
	rc = st_run(st, A, Q_SEARCH_PUT, PARMS(P_INT(d.key), P_INT(kind),
	    P_INT(item), P_INT(version), P_INT(hop), P_TEXT(body)));
	free(body);
	if (rc == CS_OK)
		store_search_noted(st, 1);
	return rc;
}

/* s as a JSON string (the folded text: valid UTF-8, no NUL). */
void
st_json_str(struct cs_buf *b, const char *s)
{
	const char *run = s;

	cs_buf_add(b, "\"", 1);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		cs_buf_add(b, run, (size_t)(s - run));
		if (c == '"' || c == '\\') {
			cs_buf_add(b, "\\", 1);
			cs_buf_add(b, s, 1);
		} else
			cs_buf_printf(b, "\\u%04x", c);
		run = s + 1;
	}
	cs_buf_add(b, run, (size_t)(s - run));
	cs_buf_add(b, "\"", 1);
}

enum cs_err
st_search_write(struct store *st, const struct store_search_doc *d, size_t n)
{
	struct cs_buf b;
	enum cs_err rc;

	if (n == 0)
		return CS_OK;
	cs_buf_init(&b, SIZE_MAX / 2);
	cs_buf_add(&b, "[", 1);
	for (size_t i = 0; i < n; i++) {
		cs_buf_printf(&b, "%s[%lld,%d,%lld,%d,%d,", i > 0 ? "," : "",
		    (long long)d[i].key, d[i].kind, (long long)d[i].item,
		    d[i].version, d[i].hop);
		st_json_str(&b, d[i].body);
		cs_buf_add(&b, "]", 1);
	}
	cs_buf_add(&b, "]", 1);
	rc = cs_buf_failed(&b) ? CS_ESTORE : st_run(st, A, Q_SEARCH_PUT_MANY,
	    PARMS(P_TEXT(cs_buf_str(&b))));
	cs_buf_fini(&b);
	return rc;
}

struct hits {
	struct store_search_hit	*v;
	size_t			 n, cap;
};

static void
hit_row(const struct store_row *r, void *arg)
{
	struct hits *h = arg;

	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->v = xreallocarray(h->v, h->cap, sizeof(*h->v));
	}
	h->v[h->n].kind = (enum store_search_kind)row_i64(r, 0);
	h->v[h->n].item = row_i64(r, 1);
	h->v[h->n].key = row_i64(r, 2);
	h->n++;
}

/* folded with every " doubled, inside quotes: one FTS5 phrase. */
static char *
fts_phrase(const char *folded)
{
	size_t n = strlen(folded), o = 0;
	char *p = xmalloc(2 * n + 3);

	p[o++] = '"';
	for (const char *s = folded; *s; s++) {
		if (*s == '"')
			p[o++] = '"';
		p[o++] = *s;
	}
	p[o++] = '"';
	p[o] = '\0';
	return p;
}

/* %folded% with \, % and _ escaped by a backslash: a LIKE pattern. */
static char *
like_pattern(const char *folded)
{
	size_t n = strlen(folded), o = 0;
	char *p = xmalloc(2 * n + 3);

	p[o++] = '%';
	for (const char *s = folded; *s; s++) {
		if (*s == '\\' || *s == '%' || *s == '_')
			p[o++] = '\\';
		p[o++] = *s;
	}
	p[o++] = '%';
	p[o] = '\0';
	return p;
}

/*
 * SQLite: the FTS5 query's rows and the pending rows that match (p: found
 * first, by a statement of its own: a row the indexer takes off the list
 * in between is in the index by the FTS5 query), greatest key first, each
 * key once, at most limit.  Both lists come sorted.
 */
static void
merge(struct hits *h, const struct hits *p, int limit)
{
	struct store_search_hit *v;
	size_t i = 0, j = 0, n = 0;

	if (p->n == 0)
		return;
	v = xreallocarray(NULL, h->n + p->n, sizeof(*v));
	while ((i < h->n || j < p->n) && (limit < 0 || n < (size_t)limit)) {
		if (j == p->n || (i < h->n && h->v[i].key > p->v[j].key))
			v[n++] = h->v[i++];
		else if (i == h->n || p->v[j].key > h->v[i].key)
			v[n++] = p->v[j++];
		else {
			v[n++] = h->v[i++];
			j++;
		}
	}
	free(h->v);
	h->v = v;
	h->n = h->cap = n;
}

enum cs_err
store_search_find(struct store *st, const char *folded, int kind,
    int64_t before, int limit, struct store_search_hit **v, size_t *n)
{
	struct hits h = { NULL, 0, 0 }, p = { NULL, 0, 0 };
	enum store_dialect d = store_engine_of(st)->dialect;
	int64_t below = before > 0 ? before : INT64_MAX;
	char *arg = NULL;
	int q = Q_SEARCH_FIND;
	enum cs_err rc = CS_OK;

	*v = NULL;
	*n = 0;
	if (*folded == '\0')
		return CS_OK;
	if (d == STORE_PG)
		arg = like_pattern(folded);
	else if (u8_mbsnlen((const uint8_t *)folded, strlen(folded)) >= 3) {
		arg = fts_phrase(folded);
		/* The rows the indexer has not reached yet (before the index). */
		rc = st_exec(st, A, Q_SEARCH_FIND_PENDING, PARMS(P_TEXT(folded),
		    P_INT(kind), P_INT(below), P_LIMIT(limit)), hit_row, &p, NULL);
	} else {
		arg = xstrdup(folded);
		q = Q_SEARCH_SCAN;
	}
	if (rc == CS_OK)
		rc = st_exec(st, A, q, PARMS(P_TEXT(arg), P_INT(kind),
		    P_INT(below), P_LIMIT(limit)), hit_row, &h, NULL);
	free(arg);
	if (rc == CS_OK)
		merge(&h, &p, limit);
	free(p.v);
	if (rc != CS_OK) {
		free(h.v);
		return rc;
	}
	*v = h.v;
	*n = h.n;
	return CS_OK;
}

/* Counts rows into *(int64_t *)arg. */
static void
count_row(const struct store_row *r, void *arg)
{
	*(int64_t *)arg = row_i64(r, 0);
}

bool
st_search_async(struct store *st)
{
	return st_has(st, A, Q_SEARCH_INDEX);
}

enum cs_err
st_search_pending(struct store *st, int64_t *n)
{
	*n = 0;
	if (!st_has(st, A, Q_SEARCH_PENDING))
		return CS_OK;
	return st_exec(st, A, Q_SEARCH_PENDING, NULL, 0, count_row, n, NULL);
}

enum cs_err
st_search_index(struct store *st, int max, int64_t *n)
{
	enum cs_err rc;

	*n = 0;
	if (!st_has(st, A, Q_SEARCH_INDEX))
		return CS_OK;
	if ((rc = st_run(st, A, Q_SEARCH_INDEX, PARMS(P_INT(max)))) != CS_OK)
		return rc;
	return st_exec(st, A, Q_SEARCH_INDEXED, PARMS(P_INT(max)), NULL, NULL, n);
}

struct doc {
	int64_t		 item;
	int		 version;
	int		 hop;
	char		*form;
};

struct docs {
	struct doc	*v;
	size_t		 n, cap;
};

static void
doc_row(const struct store_row *r, void *arg)
{
	struct docs *d = arg;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 256;
		d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
	}
	d->v[d->n].item = row_i64(r, 0);
	d->v[d->n].version = (int)row_i64(r, 1);
	d->v[d->n].hop = (int)row_i64(r, 2);
	d->v[d->n].form = row_text(r, 3);
	d->n++;
}

/* Indexes every row of one statement's list. */
static enum cs_err
backfill(struct store *st, int q, enum store_search_kind kind)
{
	struct docs d = { NULL, 0, 0 };
	enum cs_err rc;

	rc = st_exec(st, A, q, NULL, 0, doc_row, &d, NULL);
	for (size_t i = 0; i < d.n; i++) {
		if (rc == CS_OK)
			rc = store_search_put(st, kind, d.v[i].item, d.v[i].version,
			    d.v[i].hop, d.v[i].form);
		free(d.v[i].form);
	}
	free(d.v);
	return rc;
}

enum cs_err
store_search_backfill(struct store *st, struct cs_error *e)
{
	char *state = NULL;
	enum cs_err rc;

	if ((rc = store_begin(st)) != CS_OK)
		return cs_fail(e, rc, "db", "cannot begin the search backfill");
	if (store_meta_get(st, "search_backfill", &state) != CS_OK ||
	    strcmp(state, "pending") != 0) {
		free(state);
		store_rollback(st);
		return CS_OK;
	}
	free(state);
	if ((rc = backfill(st, Q_SEARCH_REPORT_ROWS, STORE_SEARCH_REPORT)) != CS_OK ||
	    (rc = backfill(st, Q_SEARCH_ADV_ROWS, STORE_SEARCH_ADVISORY)) != CS_OK ||
	    (rc = store_meta_set(st, "search_backfill", "done")) != CS_OK) {
		store_rollback(st);
		return cs_fail(e, rc, "db", "search backfill failed");
	}
	if ((rc = store_commit(st)) != CS_OK)
		return cs_fail(e, rc, "db", "search backfill failed");
	return CS_OK;
}
