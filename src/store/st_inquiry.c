/*
 * st_inquiry.c: inquiries (問合せ) a ministry sends NISC about an advisory
 * and NISC's answers, the questions an operator or CEPTOAR secretariat
 * asks its ministry (which the ministry forwards as an inquiry or answers
 * itself), NISC's handling state (未処理/担当/処理済) of received reports,
 * and the read-only queries behind a user's task list (GET /tasks).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_INQ_INSERT, Q_INQ_GET, Q_INQ_BY_ADV, Q_INQ_OPEN, Q_INQ_ANSWER,
	Q_QST_INSERT, Q_QST_GET, Q_QST_BY_ADV, Q_QST_OPEN, Q_QST_FORWARD,
	Q_QST_ANSWER, Q_QST_OF_INQ,
	Q_TRIAGE_SET, Q_TRIAGE_GET, Q_TRIAGE_LIST,
	Q_T_AT_HOP, Q_T_NISC_OPEN, Q_T_UNACKED, Q_T_UNRELAYED, Q_T_OVERDUE,
	Q_T_ADV_STATE, Q_T_WIDEN, Q_T_REVIEWS,
	Q__COUNT
};

#define INQ_COLS	"id, advisory, org, \"user\", text, question, created_us," \
			" answer, answered_by, answered_us"
#define QST_COLS	"id, advisory, org, \"user\", ministry, text, created_us," \
			" inquiry, answer, answered_by, answered_us"
#define TRIAGE_COLS	"report, state, assignee, by_user, updated_us"
#define NOT_DRILL(kind, col)						\
	" AND NOT EXISTS (SELECT 1 FROM drill_items di WHERE di.kind = " kind \
	" AND di.item = " col ")"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_INQ_INSERT] = { .returning = "id", .nparm = 6, .sql =
	    "INSERT INTO inquiries(advisory, org, \"user\", text, question,"
	    " created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
	[Q_INQ_GET] = { .nparm = 1, .sql =
	    "SELECT " INQ_COLS " FROM inquiries WHERE id = ?1" },
	[Q_INQ_BY_ADV] = { .nparm = 1, .sql =
	    "SELECT " INQ_COLS " FROM inquiries WHERE advisory = ?1 ORDER BY id" },
	[Q_INQ_OPEN] = { .nparm = 1, .sql =
	    "SELECT " INQ_COLS " FROM inquiries WHERE answered_us IS NULL"
	    " ORDER BY id LIMIT ?1" },
	/* Answered once. */
	[Q_INQ_ANSWER] = { .nparm = 4, .sql =
	    "UPDATE inquiries SET answer = ?2, answered_by = ?3, answered_us = ?4"
	    " WHERE id = ?1 AND answered_us IS NULL" },
	[Q_QST_INSERT] = { .returning = "id", .nparm = 6, .sql =
	    "INSERT INTO adv_questions(advisory, org, \"user\", ministry, text,"
	    " created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
	[Q_QST_GET] = { .nparm = 1, .sql =
	    "SELECT " QST_COLS " FROM adv_questions WHERE id = ?1" },
	[Q_QST_BY_ADV] = { .nparm = 1, .sql =
	    "SELECT " QST_COLS " FROM adv_questions WHERE advisory = ?1"
	    " ORDER BY id" },
	/* Neither forwarded nor answered: the ministry's to-do. */
	[Q_QST_OPEN] = { .nparm = 2, .sql =
	    "SELECT " QST_COLS " FROM adv_questions WHERE ministry = ?1"
	    " AND inquiry IS NULL AND answered_us IS NULL ORDER BY id LIMIT ?2" },
	[Q_QST_FORWARD] = { .nparm = 2, .sql =
	    "UPDATE adv_questions SET inquiry = ?2 WHERE id = ?1"
	    " AND inquiry IS NULL AND answered_us IS NULL" },
	[Q_QST_ANSWER] = { .nparm = 4, .sql =
	    "UPDATE adv_questions SET answer = ?2, answered_by = ?3,"
	    " answered_us = ?4 WHERE id = ?1 AND inquiry IS NULL"
	    " AND answered_us IS NULL" },
	[Q_QST_OF_INQ] = { .nparm = 1, .sql =
	    "SELECT " QST_COLS " FROM adv_questions WHERE inquiry = ?1" },
	[Q_TRIAGE_SET] = { .nparm = 5, .sql =
	    "INSERT INTO report_triage(report, state, assignee, by_user,"
	    " updated_us) VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT (report) DO UPDATE SET state = excluded.state,"
	    " assignee = excluded.assignee, by_user = excluded.by_user,"
	    " updated_us = excluded.updated_us" },
	[Q_TRIAGE_GET] = { .nparm = 1, .sql =
	    "SELECT " TRIAGE_COLS " FROM report_triage WHERE report = ?1" },
	[Q_TRIAGE_LIST] = { .nparm = 1, .sql =
	    "SELECT " TRIAGE_COLS " FROM report_triage ORDER BY report DESC"
	    " LIMIT ?1" },
	/* Tasks: (a, b, c) rows, documented at store_task_query(). */
	[Q_T_AT_HOP] = { .nparm = 3, .sql =
	    "SELECT r.id, r.updated_us, r.route FROM reports r"
	    " JOIN report_path p ON p.report = r.id WHERE p.org = ?1"
	    " AND r.state = ?2" NOT_DRILL("0", "r.id")
	    " ORDER BY r.id DESC LIMIT ?3" },
	[Q_T_NISC_OPEN] = { .nparm = 3, .sql =
	    "SELECT r.id, COALESCE(t.state, 0), COALESCE(t.assignee, 0)"
	    " FROM reports r LEFT JOIN report_triage t ON t.report = r.id"
	    " WHERE r.state = ?1 AND COALESCE(t.state, 0) <> ?2"
	    NOT_DRILL("0", "r.id") " ORDER BY r.id DESC LIMIT ?3" },
	[Q_T_UNACKED] = { .nparm = 3, .sql =
	    "SELECT d.advisory, d.delivered_us, a.importance FROM deliveries d"
	    " JOIN advisories a ON a.id = d.advisory WHERE d.org = ?1"
	    " AND d.ack_us IS NULL AND a.state = ?2" NOT_DRILL("1", "a.id")
	    " ORDER BY d.id DESC LIMIT ?3" },
	/* Delivered to ?1 by issue or relay, not passed on by ?1 yet; not RED (?4). */
	[Q_T_UNRELAYED] = { .nparm = 4, .sql =
	    "SELECT d.advisory, d.delivered_us, a.importance FROM deliveries d"
	    " JOIN advisories a ON a.id = d.advisory WHERE d.org = ?1"
	    " AND a.state = ?2 AND a.tlp <> ?4 AND d.via IN ('issue', 'relay')"
	    " AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE"
	    " e.advisory = d.advisory AND e.parent_org = d.org)"
	    NOT_DRILL("1", "a.id") " ORDER BY d.id DESC LIMIT ?3" },
	/* Per advisory: unacknowledged deliveries older than ?1. */
	[Q_T_OVERDUE] = { .nparm = 3, .sql =
	    "SELECT d.advisory, COUNT(*), MIN(d.delivered_us) FROM deliveries d"
	    " JOIN advisories a ON a.id = d.advisory WHERE d.ack_us IS NULL"
	    " AND d.delivered_us < ?1 AND a.state = ?2" NOT_DRILL("1", "a.id")
	    " GROUP BY d.advisory ORDER BY d.advisory DESC LIMIT ?3" },
	[Q_T_ADV_STATE] = { .nparm = 2, .sql =
	    "SELECT id, created_by, created_us FROM advisories WHERE state = ?1"
	    " ORDER BY id DESC LIMIT ?2" },
	[Q_T_WIDEN] = { .nparm = 2, .sql =
	    "SELECT id, report, created_us FROM widening_requests WHERE state = ?1"
	    " ORDER BY id DESC LIMIT ?2" },
	[Q_T_REVIEWS] = { .nparm = 3, .sql =
	    "SELECT advisory, MIN(report), MIN(created_us) FROM advisory_reviews"
	    " WHERE org = ?1 AND state = ?2 GROUP BY advisory"
	    " ORDER BY advisory DESC LIMIT ?3" },
};

struct store_area st_inquiry_area = { "inquiry", stmts, Q__COUNT, 0 };
#define A	(&st_inquiry_area)

#define I_(f, t)	COL(struct store_inquiry, f, t)
static const struct store_col inq_cols[] = {
	I_(id, CT_I64), I_(advisory, CT_I64), I_(org, CT_I64), I_(user, CT_I64),
	I_(text, CT_TEXT_NN), I_(question, CT_I64), I_(created_us, CT_I64),
	I_(answer, CT_TEXT), I_(answered_by, CT_I64), I_(answered_us, CT_I64),
};
static const struct store_codec inq_codec = CODEC(struct store_inquiry, inq_cols);

#define Q_(f, t)	COL(struct store_question, f, t)
static const struct store_col qst_cols[] = {
	Q_(id, CT_I64), Q_(advisory, CT_I64), Q_(org, CT_I64), Q_(user, CT_I64),
	Q_(ministry, CT_I64), Q_(text, CT_TEXT_NN), Q_(created_us, CT_I64),
	Q_(inquiry, CT_I64), Q_(answer, CT_TEXT), Q_(answered_by, CT_I64),
	Q_(answered_us, CT_I64),
};
static const struct store_codec qst_codec = CODEC(struct store_question, qst_cols);

#define T_(f, t)	COL(struct store_triage, f, t)
static const struct store_col triage_cols[] = {
	T_(report, CT_I64), T_(state, CT_INT), T_(assignee, CT_I64),
	T_(by_user, CT_I64), T_(updated_us, CT_I64),
};
static const struct store_codec triage_codec = CODEC(struct store_triage,
    triage_cols);

#define R_(f)		COL(struct store_task_row, f, CT_I64)
static const struct store_col row_cols[] = { R_(a), R_(b), R_(c) };
static const struct store_codec row_codec = CODEC(struct store_task_row, row_cols);

/* ---- inquiries ---------------------------------------------------------- */

enum cs_err
store_inquiry_insert(struct store *st, struct store_inquiry *q)
{
	return st_insert(st, A, Q_INQ_INSERT, PARMS(P_INT(q->advisory),
	    P_INT(q->org), P_INT(q->user), P_TEXT(q->text), P_ID(q->question),
	    P_INT(q->created_us)), &q->id);
}

ST_DEFINE_GET(store_inquiry_get, struct store_inquiry, A, Q_INQ_GET, &inq_codec)
ST_DEFINE_LIST_BY(store_inquiry_list, struct store_inquiry, A, Q_INQ_BY_ADV,
    &inq_codec)
ST_DEFINE_FINI(store_inquiry_fini, struct store_inquiry, &inq_codec)
ST_DEFINE_FREE(store_inquiries_free, struct store_inquiry, &inq_codec)

enum cs_err
store_inquiry_open(struct store *st, int limit, struct store_inquiry **v,
    size_t *n)
{
	return st_list(st, A, Q_INQ_OPEN, PARMS(P_LIMIT(limit)), &inq_codec, v, n);
}

enum cs_err
store_inquiry_answer(struct store *st, int64_t id, const char *text,
    int64_t by_user, int64_t at_us)
{
	return st_update(st, A, Q_INQ_ANSWER, PARMS(P_INT(id), P_TEXT(text),
	    P_INT(by_user), P_INT(at_us)));
}

/* ---- questions to a ministry ---------------------------------------------- */

enum cs_err
store_question_insert(struct store *st, struct store_question *q)
{
	return st_insert(st, A, Q_QST_INSERT, PARMS(P_INT(q->advisory),
	    P_INT(q->org), P_INT(q->user), P_INT(q->ministry), P_TEXT(q->text),
	    P_INT(q->created_us)), &q->id);
}

ST_DEFINE_GET(store_question_get, struct store_question, A, Q_QST_GET, &qst_codec)
ST_DEFINE_LIST_BY(store_question_list, struct store_question, A, Q_QST_BY_ADV,
    &qst_codec)
ST_DEFINE_FINI(store_question_fini, struct store_question, &qst_codec)
ST_DEFINE_FREE(store_questions_free, struct store_question, &qst_codec)

enum cs_err
store_question_open(struct store *st, int64_t ministry, int limit,
    struct store_question **v, size_t *n)
{
	return st_list(st, A, Q_QST_OPEN, PARMS(P_INT(ministry), P_LIMIT(limit)),
	    &qst_codec, v, n);
}

enum cs_err
store_question_of_inquiry(struct store *st, int64_t inquiry,
    struct store_question *q)
{
	return st_get(st, A, Q_QST_OF_INQ, PARMS(P_INT(inquiry)), &qst_codec, q);
}

enum cs_err
store_question_forwarded(struct store *st, int64_t id, int64_t inquiry)
{
	return st_update(st, A, Q_QST_FORWARD, PARMS(P_INT(id), P_INT(inquiry)));
}

enum cs_err
store_question_answer(struct store *st, int64_t id, const char *text,
    int64_t by_user, int64_t at_us)
{
	return st_update(st, A, Q_QST_ANSWER, PARMS(P_INT(id), P_TEXT(text),
	    P_INT(by_user), P_INT(at_us)));
}

/* ---- NISC's handling state of received reports --------------------------- */

enum cs_err
store_triage_set(struct store *st, const struct store_triage *t)
{
	return st_run(st, A, Q_TRIAGE_SET, PARMS(P_INT(t->report), P_INT(t->state),
	    P_ID(t->assignee), P_INT(t->by_user), P_INT(t->updated_us)));
}

ST_DEFINE_GET(store_triage_get, struct store_triage, A, Q_TRIAGE_GET,
    &triage_codec)
ST_DEFINE_FREE(store_triages_free, struct store_triage, &triage_codec)

enum cs_err
store_triage_list(struct store *st, int limit, struct store_triage **v,
    size_t *n)
{
	return st_list(st, A, Q_TRIAGE_LIST, PARMS(P_LIMIT(limit)), &triage_codec,
	    v, n);
}

/* ---- task queries ---------------------------------------------------------- */

enum cs_err
store_task_query(struct store *st, enum store_task_q which, int64_t k1,
    int64_t k2, int64_t k3, int limit, struct store_task_row **v, size_t *n)
{
	switch (which) {
	case TASKQ_AT_HOP:
		return st_list(st, A, Q_T_AT_HOP, PARMS(P_INT(k1), P_INT(k2),
		    P_LIMIT(limit)), &row_codec, v, n);
	case TASKQ_NISC_OPEN:
		return st_list(st, A, Q_T_NISC_OPEN, PARMS(P_INT(k1), P_INT(k2),
		    P_LIMIT(limit)), &row_codec, v, n);
	case TASKQ_UNACKED:
		return st_list(st, A, Q_T_UNACKED, PARMS(P_INT(k1), P_INT(k2),
		    P_LIMIT(limit)), &row_codec, v, n);
	case TASKQ_UNRELAYED:
		return st_list(st, A, Q_T_UNRELAYED, PARMS(P_INT(k1), P_INT(k2),
		    P_LIMIT(limit), P_INT(k3)), &row_codec, v, n);
	case TASKQ_OVERDUE:
		return st_list(st, A, Q_T_OVERDUE, PARMS(P_INT(k1), P_INT(k2),
		    P_LIMIT(limit)), &row_codec, v, n);
	case TASKQ_ADV_STATE:
		return st_list(st, A, Q_T_ADV_STATE, PARMS(P_INT(k1),
		    P_LIMIT(limit)), &row_codec, v, n);
	case TASKQ_WIDEN:
		return st_list(st, A, Q_T_WIDEN, PARMS(P_INT(k1), P_LIMIT(limit)),
		    &row_codec, v, n);
	case TASKQ_REVIEWS:
		return st_list(st, A, Q_T_REVIEWS, PARMS(P_INT(k1), P_INT(k2),
		    P_LIMIT(limit)), &row_codec, v, n);
	}
	return CS_EINVAL;
}

void
store_task_rows_free(struct store_task_row *v, size_t n)
{
	(void)n;
	free(v);
}
