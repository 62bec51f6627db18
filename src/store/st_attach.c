/*
 * st_attach.c: attachments (別紙) of reports and advisories, their bytes
 * in chunks, and NISC's sample requests (検体).
 *
 * The bytes: one row per chunk of at most CS_ATTACH_CHUNK bytes of the
 * file (plus the seal's overhead when sealed).  On SQLite a chunk is
 * inserted as a zeroblob and written, and read back, with incremental
 * blob I/O (sqlite3_blob_open/write/read: the engine's blob_io), so no
 * statement copies it; PostgreSQL takes and gives it as a binary bytea
 * parameter / column.  The statements differ only there.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_ATT_INSERT, Q_ATT_GET, Q_ATT_LIST_REPORT, Q_ATT_LIST_ADV,
	Q_ATT_SET_SAMPLE, Q_CHUNK_PUT, Q_CHUNK_GET,
	Q_SAMPLE_INSERT, Q_SAMPLE_GET, Q_SAMPLE_PAGE, Q_SAMPLE_BY_REPORT,
	Q_SAMPLE_ANSWER,
	Q__COUNT
};

#define ATT_COLS	"id, report, advisory, version, hop, name, content_type," \
			" size, sha256, sealed_meta, sealed_key, nchunks," \
			" source, sample, by_org, by_user, created_us"
#define SAMPLE_COLS	"id, report, what, reason, by_org, by_user, at_us," \
			" state, attachment, decline, answered_by_org," \
			" answered_by_user, answered_us"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_ATT_INSERT] = { .returning = "id", .nparm = 16, .sql =
	    "INSERT INTO attachments(report, advisory, version, hop, name,"
	    " content_type, size, sha256, sealed_meta, sealed_key, nchunks,"
	    " source, sample, by_org, by_user, created_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?15, ?16)" },
	[Q_ATT_GET] = { .nparm = 1, .sql =
	    "SELECT " ATT_COLS " FROM attachments WHERE id = ?1" },
	[Q_ATT_LIST_REPORT] = { .nparm = 1, .sql =
	    "SELECT " ATT_COLS " FROM attachments WHERE report = ?1 ORDER BY id" },
	[Q_ATT_LIST_ADV] = { .nparm = 1, .sql =
	    "SELECT " ATT_COLS " FROM attachments WHERE advisory = ?1"
	    " ORDER BY id" },
	[Q_ATT_SET_SAMPLE] = { .nparm = 2, .sql =
	    "UPDATE attachments SET sample = ?2 WHERE id = ?1" },
	/* SQLite: room for the bytes, written by blob_io; PostgreSQL: the bytes. */
	[Q_CHUNK_PUT] = { .returning = "id", .nparm = 4,
	    .sqlite = "INSERT INTO attachment_chunks(att, seq, size, data)"
	    " VALUES (?1, ?2, ?3, COALESCE(?4, zeroblob(?3)))",
	    .pg = "INSERT INTO attachment_chunks(att, seq, size, data)"
	    " VALUES (?1, ?2, ?3, ?4)" },
	[Q_CHUNK_GET] = { .nparm = 2,
	    .sqlite = "SELECT id, size, NULL FROM attachment_chunks"
	    " WHERE att = ?1 AND seq = ?2",
	    .pg = "SELECT id, size, data FROM attachment_chunks"
	    " WHERE att = ?1 AND seq = ?2" },
	[Q_SAMPLE_INSERT] = { .returning = "id", .nparm = 7, .sql =
	    "INSERT INTO sample_requests(report, what, reason, by_org, by_user,"
	    " at_us, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)" },
	[Q_SAMPLE_GET] = { .nparm = 1, .sql =
	    "SELECT " SAMPLE_COLS " FROM sample_requests WHERE id = ?1" },
	[Q_SAMPLE_PAGE] = { .nparm = 2, .sql =
	    "SELECT " SAMPLE_COLS " FROM sample_requests"
	    " WHERE (?1 = 0 OR id < ?1) ORDER BY id DESC LIMIT ?2" },
	[Q_SAMPLE_BY_REPORT] = { .nparm = 1, .sql =
	    "SELECT " SAMPLE_COLS " FROM sample_requests WHERE report = ?1"
	    " ORDER BY id" },
	[Q_SAMPLE_ANSWER] = { .nparm = 8, .sql =
	    "UPDATE sample_requests SET state = ?2, attachment = ?3,"
	    " decline = ?4, answered_by_org = ?5, answered_by_user = ?6,"
	    " answered_us = ?7 WHERE id = ?1 AND state = ?8" },
};

struct store_area st_attach_area = { "attach", stmts, Q__COUNT, 0 };
#define A	(&st_attach_area)

#define T_(f, t)	COL(struct store_attachment, f, t)
static const struct store_col att_cols[] = {
	T_(id, CT_I64), T_(report, CT_I64), T_(advisory, CT_I64),
	T_(version, CT_INT), T_(hop, CT_INT), T_(name, CT_TEXT_NN),
	T_(content_type, CT_TEXT_NN), T_(size, CT_I64),
	COL_BLOB_HAS(struct store_attachment, sha256, has_sha256),
	T_(sealed_meta, CT_TEXT), T_(sealed_key, CT_TEXT), T_(nchunks, CT_INT),
	T_(source, CT_I64), T_(sample, CT_I64), T_(by_org, CT_I64),
	T_(by_user, CT_I64), T_(created_us, CT_I64),
};
static const struct store_codec att_codec = CODEC(struct store_attachment,
    att_cols);

#define S_(f, t)	COL(struct store_sample_request, f, t)
static const struct store_col sample_cols[] = {
	S_(id, CT_I64), S_(report, CT_I64), S_(what, CT_TEXT_NN),
	S_(reason, CT_TEXT_NN), S_(by_org, CT_I64), S_(by_user, CT_I64),
	S_(at_us, CT_I64), S_(state, CT_INT), S_(attachment, CT_I64),
	S_(decline, CT_TEXT), S_(answered_by_org, CT_I64),
	S_(answered_by_user, CT_I64), S_(answered_us, CT_I64),
};
static const struct store_codec sample_codec = CODEC(struct store_sample_request,
    sample_cols);

enum cs_err
store_attachment_insert(struct store *st, struct store_attachment *a)
{
	return st_insert(st, A, Q_ATT_INSERT, PARMS(P_ID(a->report),
	    P_ID(a->advisory), P_INT(a->version), P_INT(a->hop),
	    P_TEXT(a->name != NULL ? a->name : ""),
	    P_TEXT(a->content_type != NULL ? a->content_type : ""),
	    P_INT(a->size), a->has_sha256 ? P_BLOB32(a->sha256) : P_NULL,
	    P_TEXT(a->sealed_meta), P_TEXT(a->sealed_key), P_INT(a->nchunks),
	    P_ID(a->source), P_ID(a->sample), P_INT(a->by_org),
	    P_INT(a->by_user), P_INT(a->created_us)), &a->id);
}

ST_DEFINE_GET(store_attachment_get, struct store_attachment, A, Q_ATT_GET,
    &att_codec)
ST_DEFINE_FINI(store_attachment_fini, struct store_attachment, &att_codec)
ST_DEFINE_FREE(store_attachments_free, struct store_attachment, &att_codec)

enum cs_err
store_attachment_list(struct store *st, bool advisory, int64_t item,
    struct store_attachment **v, size_t *n)
{
	return st_list(st, A, advisory ? Q_ATT_LIST_ADV : Q_ATT_LIST_REPORT,
	    PARMS(P_INT(item)), &att_codec, v, n);
}

enum cs_err
store_attachment_set_sample(struct store *st, int64_t id, int64_t sample)
{
	return st_update(st, A, Q_ATT_SET_SAMPLE, PARMS(P_INT(id),
	    P_ID(sample)));
}

enum cs_err
store_attachment_chunk_put(struct store *st, int64_t att, int seq,
    const void *p, size_t n)
{
	const struct store_engine *eng = store_engine_of(st);
	int64_t row = 0;
	enum cs_err rc;

	if (eng->blob_io == NULL)
		return st_insert(st, A, Q_CHUNK_PUT, PARMS(P_INT(att),
		    P_INT(seq), P_INT((int64_t)n), P_BLOB(p, n)), &row);
	if ((rc = st_insert(st, A, Q_CHUNK_PUT, PARMS(P_INT(att), P_INT(seq),
	    P_INT((int64_t)n), P_NULL), &row)) != CS_OK)
		return rc;
	return eng->blob_io(store_ctx(st), "attachment_chunks", "data", row, 0,
	    (void *)(uintptr_t)p, n, true);
}

struct chunk_row {
	int64_t		 id;
	int64_t		 size;
	struct cs_buf	*out;
	bool		 got;
	bool		 bad;
};

static void
chunk_row(const struct store_row *r, void *arg)
{
	struct chunk_row *c = arg;
	size_t len, room;
	char *p;

	c->got = true;
	c->id = row_i64(r, 0);
	c->size = row_i64(r, 1);
	if (r->eng->blob_io != NULL || c->size <= 0)
		return;
	/* PostgreSQL: the bytes come with the row. */
	len = cs_buf_len(c->out);
	room = (size_t)c->size;
	p = xmalloc(room);
	if (r->eng->col_bytes(r->h, r->i, 2, p, room) != room ||
	    cs_buf_add(c->out, p, room) != 0)
		c->bad = true;
	free(p);
	(void)len;
}

enum cs_err
store_attachment_chunk_get(struct store *st, int64_t att, int seq,
    struct cs_buf *out)
{
	const struct store_engine *eng = store_engine_of(st);
	struct chunk_row c = { .out = out };
	enum cs_err rc;
	char *p;

	if ((rc = st_first(st, A, Q_CHUNK_GET, PARMS(P_INT(att), P_INT(seq)),
	    chunk_row, &c)) != CS_OK)
		return rc;
	if (c.bad || c.size < 0)
		return CS_ESTORE;
	if (eng->blob_io == NULL || c.size == 0)
		return CS_OK;
	p = xmalloc((size_t)c.size);
	if ((rc = eng->blob_io(store_ctx(st), "attachment_chunks", "data", c.id,
	    0, p, (size_t)c.size, false)) == CS_OK &&
	    cs_buf_add(out, p, (size_t)c.size) != 0)
		rc = CS_ESTORE;
	free(p);
	return rc;
}

enum cs_err
store_sample_insert(struct store *st, struct store_sample_request *s)
{
	return st_insert(st, A, Q_SAMPLE_INSERT, PARMS(P_INT(s->report),
	    P_TEXT(s->what), P_TEXT(s->reason), P_INT(s->by_org),
	    P_INT(s->by_user), P_INT(s->at_us), P_INT(s->state)), &s->id);
}

ST_DEFINE_GET(store_sample_get, struct store_sample_request, A, Q_SAMPLE_GET,
    &sample_codec)
ST_DEFINE_FINI(store_sample_fini, struct store_sample_request, &sample_codec)
ST_DEFINE_FREE(store_samples_free, struct store_sample_request, &sample_codec)
ST_DEFINE_LIST_BY(store_sample_list_by_report, struct store_sample_request, A,
    Q_SAMPLE_BY_REPORT, &sample_codec)

enum cs_err
store_sample_page(struct store *st, int64_t before, int limit,
    struct store_sample_request **v, size_t *n)
{
	return st_list(st, A, Q_SAMPLE_PAGE, PARMS(P_INT(before),
	    P_LIMIT(limit)), &sample_codec, v, n);
}

enum cs_err
store_sample_answer(struct store *st, const struct store_sample_request *s,
    int open)
{
	return st_update(st, A, Q_SAMPLE_ANSWER, PARMS(P_INT(s->id),
	    P_INT(s->state), P_ID(s->attachment), P_TEXT(s->decline),
	    P_INT(s->answered_by_org), P_INT(s->answered_by_user),
	    P_INT(s->answered_us), P_INT(open)));
}
