/*
 * st_survey.c: the yearly self-assessment survey (安全基準等の浸透状況調査,
 * issue 14) — campaigns, each answering organisation's state (draft or
 * submitted, shared with its ministries or not) and its answers, one row
 * per control id.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_SV_INSERT, Q_SV_GET, Q_SV_LIST, Q_SV_CLOSE, Q_SV_PREV,
	Q_SO_TOUCH, Q_SO_GET, Q_SO_LIST, Q_SO_SUBMIT, Q_SO_SHARE,
	Q_ANS_PUT, Q_ANS_LIST, Q_ANS_SUBMITTED,
	Q__COUNT
};

#define SV_COLS		"id, fiscal_year, sectors, edition, state, by_org, by_user," \
			" created_us, closed_us"
#define SV_COLS_S	"s.id, s.fiscal_year, s.sectors, s.edition, s.state," \
			" s.by_org, s.by_user, s.created_us, s.closed_us"
#define SO_COLS		"survey, org, state, shared, updated_us, submitted_us," \
			" submitted_by"
#define ANS_COLS	"survey, org, control, status, note, owner, updated_us, by_user"
#define ANS_COLS_A	"a.survey, a.org, a.control, a.status, a.note, a.owner," \
			" a.updated_us, a.by_user"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_SV_INSERT] = { .returning = "id", .nparm = 6, .sql =
	    "INSERT INTO surveys(fiscal_year, sectors, edition, state, by_org,"
	    " by_user, created_us, closed_us) VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, 0)" },
	[Q_SV_GET] = { .nparm = 1, .sql =
	    "SELECT " SV_COLS " FROM surveys WHERE id = ?1" },
	[Q_SV_LIST] = { .nparm = 1, .sql =
	    "SELECT " SV_COLS " FROM surveys ORDER BY fiscal_year DESC, id DESC"
	    " LIMIT ?1" },
	/* Closes it once. */
	[Q_SV_CLOSE] = { .nparm = 2, .sql =
	    "UPDATE surveys SET state = 1, closed_us = ?2 WHERE id = ?1"
	    " AND state = 0" },
	/* The latest campaign of an earlier fiscal year org submitted to. */
	[Q_SV_PREV] = { .nparm = 3, .sql =
	    "SELECT " SV_COLS_S " FROM surveys s JOIN survey_orgs o"
	    " ON o.survey = s.id WHERE o.org = ?1 AND o.state = 1"
	    " AND s.fiscal_year < ?2 AND s.id <> ?3"
	    " ORDER BY s.fiscal_year DESC, s.id DESC LIMIT 1" },
	/* The organisation's row, a draft when it is new. */
	[Q_SO_TOUCH] = { .nparm = 3, .sql =
	    "INSERT INTO survey_orgs(survey, org, state, shared, updated_us,"
	    " submitted_us, submitted_by) VALUES (?1, ?2, 0, 0, ?3, 0, 0)"
	    " ON CONFLICT(survey, org) DO UPDATE SET updated_us = ?3" },
	[Q_SO_GET] = { .nparm = 2, .sql =
	    "SELECT " SO_COLS " FROM survey_orgs WHERE survey = ?1 AND org = ?2" },
	[Q_SO_LIST] = { .nparm = 1, .sql =
	    "SELECT " SO_COLS " FROM survey_orgs WHERE survey = ?1 ORDER BY org" },
	/* Submits a draft once. */
	[Q_SO_SUBMIT] = { .nparm = 4, .sql =
	    "UPDATE survey_orgs SET state = 1, submitted_us = ?3, submitted_by = ?4"
	    " WHERE survey = ?1 AND org = ?2 AND state = 0" },
	[Q_SO_SHARE] = { .nparm = 3, .sql =
	    "UPDATE survey_orgs SET shared = ?3 WHERE survey = ?1 AND org = ?2" },
	[Q_ANS_PUT] = { .nparm = 8, .sql =
	    "INSERT INTO survey_answers(survey, org, control, status, note, owner,"
	    " updated_us, by_user) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT(survey, org, control) DO UPDATE SET status = ?4,"
	    " note = ?5, owner = ?6, updated_us = ?7, by_user = ?8" },
	[Q_ANS_LIST] = { .nparm = 2, .sql =
	    "SELECT " ANS_COLS " FROM survey_answers WHERE survey = ?1 AND org = ?2"
	    " ORDER BY control" },
	/* The answers of the organisations that submitted, by organisation. */
	[Q_ANS_SUBMITTED] = { .nparm = 1, .sql =
	    "SELECT " ANS_COLS_A " FROM survey_answers a JOIN survey_orgs o"
	    " ON o.survey = a.survey AND o.org = a.org WHERE a.survey = ?1"
	    " AND o.state = 1 ORDER BY a.org, a.control" },
};

struct store_area st_survey_area = { "survey", stmts, Q__COUNT, 0 };
#define A	(&st_survey_area)

#define S_(f, t)	COL(struct store_survey, f, t)
static const struct store_col sv_cols[] = {
	S_(id, CT_I64), S_(fiscal_year, CT_INT), S_(sectors, CT_U32),
	S_(edition, CT_TEXT_NN), S_(state, CT_INT), S_(by_org, CT_I64),
	S_(by_user, CT_I64), S_(created_us, CT_I64), S_(closed_us, CT_I64),
};
static const struct store_codec sv_codec = CODEC(struct store_survey, sv_cols);

#define O_(f, t)	COL(struct store_survey_org, f, t)
static const struct store_col so_cols[] = {
	O_(survey, CT_I64), O_(org, CT_I64), O_(state, CT_INT), O_(shared, CT_BOOL),
	O_(updated_us, CT_I64), O_(submitted_us, CT_I64), O_(submitted_by, CT_I64),
};
static const struct store_codec so_codec = CODEC(struct store_survey_org, so_cols);

#define N_(f, t)	COL(struct store_survey_answer, f, t)
static const struct store_col ans_cols[] = {
	N_(survey, CT_I64), N_(org, CT_I64), N_(control, CT_TEXT_NN),
	N_(status, CT_INT), N_(note, CT_TEXT_NN), N_(owner, CT_TEXT_NN),
	N_(updated_us, CT_I64), N_(by_user, CT_I64),
};
static const struct store_codec ans_codec = CODEC(struct store_survey_answer,
    ans_cols);

enum cs_err
store_survey_insert(struct store *st, struct store_survey *x)
{
	return st_insert(st, A, Q_SV_INSERT, PARMS(P_INT(x->fiscal_year),
	    P_INT(x->sectors), P_TEXT(x->edition), P_INT(x->by_org),
	    P_INT(x->by_user), P_INT(x->created_us)), &x->id);
}

ST_DEFINE_GET(store_survey_get, struct store_survey, A, Q_SV_GET, &sv_codec)
ST_DEFINE_FINI(store_survey_fini, struct store_survey, &sv_codec)
ST_DEFINE_FREE(store_surveys_free, struct store_survey, &sv_codec)

enum cs_err
store_survey_list(struct store *st, int limit, struct store_survey **v,
    size_t *n)
{
	return st_list(st, A, Q_SV_LIST, PARMS(P_LIMIT(limit)), &sv_codec, v, n);
}

enum cs_err
store_survey_close(struct store *st, int64_t id, int64_t at_us)
{
	return st_update(st, A, Q_SV_CLOSE, PARMS(P_INT(id), P_INT(at_us)));
}

enum cs_err
store_survey_prev(struct store *st, int64_t org, int fiscal_year,
    int64_t not_id, struct store_survey *out)
{
	return st_get(st, A, Q_SV_PREV, PARMS(P_INT(org), P_INT(fiscal_year),
	    P_INT(not_id)), &sv_codec, out);
}

enum cs_err
store_survey_org_touch(struct store *st, int64_t survey, int64_t org,
    int64_t at_us)
{
	return st_run(st, A, Q_SO_TOUCH, PARMS(P_INT(survey), P_INT(org),
	    P_INT(at_us)));
}

enum cs_err
store_survey_org_get(struct store *st, int64_t survey, int64_t org,
    struct store_survey_org *out)
{
	return st_get(st, A, Q_SO_GET, PARMS(P_INT(survey), P_INT(org)), &so_codec,
	    out);
}

ST_DEFINE_LIST_BY(store_survey_orgs, struct store_survey_org, A, Q_SO_LIST,
    &so_codec)
ST_DEFINE_FREE(store_survey_orgs_free, struct store_survey_org, &so_codec)

enum cs_err
store_survey_org_submit(struct store *st, int64_t survey, int64_t org,
    int64_t at_us, int64_t user)
{
	return st_update(st, A, Q_SO_SUBMIT, PARMS(P_INT(survey), P_INT(org),
	    P_INT(at_us), P_INT(user)));
}

enum cs_err
store_survey_org_share(struct store *st, int64_t survey, int64_t org,
    bool shared)
{
	return st_update(st, A, Q_SO_SHARE, PARMS(P_INT(survey), P_INT(org),
	    P_INT(shared ? 1 : 0)));
}

enum cs_err
store_survey_answer_put(struct store *st, const struct store_survey_answer *a)
{
	return st_run(st, A, Q_ANS_PUT, PARMS(P_INT(a->survey), P_INT(a->org),
	    P_TEXT(a->control), P_INT(a->status), P_TEXT(a->note),
	    P_TEXT(a->owner), P_INT(a->updated_us), P_INT(a->by_user)));
}

enum cs_err
store_survey_answers(struct store *st, int64_t survey, int64_t org,
    struct store_survey_answer **v, size_t *n)
{
	if (org != 0)
		return st_list(st, A, Q_ANS_LIST, PARMS(P_INT(survey), P_INT(org)),
		    &ans_codec, v, n);
	return st_list(st, A, Q_ANS_SUBMITTED, PARMS(P_INT(survey)), &ans_codec,
	    v, n);
}

ST_DEFINE_FREE(store_survey_answers_free, struct store_survey_answer, &ans_codec)
