/*
 * st_exercise.c: cross-sector exercises — the exercise (participants, its
 * scenario of timed injects, the clock's start and speed), the
 * participants' responses to injects and the issues (課題) they log.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_EX_INSERT, Q_EX_GET, Q_EX_LIST, Q_EX_START,
	Q_RESP_INSERT, Q_RESP_LIST, Q_ISSUE_INSERT, Q_ISSUE_LIST,
	Q__COUNT
};

#define EX_COLS		"id, name, participants, injects, speed, started_us," \
			" by_org, by_user, created_us"
#define NOTE_COLS	"id, exercise, inject, org, \"user\", text, at_us"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_EX_INSERT] = { .returning = "id", .nparm = 6, .sql =
	    "INSERT INTO exercises(name, participants, injects, speed,"
	    " started_us, by_org, by_user, created_us)"
	    " VALUES (?1, ?2, ?3, 0, 0, ?4, ?5, ?6)" },
	[Q_EX_GET] = { .nparm = 1, .sql =
	    "SELECT " EX_COLS " FROM exercises WHERE id = ?1" },
	[Q_EX_LIST] = { .nparm = 1, .sql =
	    "SELECT " EX_COLS " FROM exercises ORDER BY id DESC LIMIT ?1" },
	/* Starts it once. */
	[Q_EX_START] = { .nparm = 3, .sql =
	    "UPDATE exercises SET speed = ?2, started_us = ?3"
	    " WHERE id = ?1 AND started_us = 0" },
	[Q_RESP_INSERT] = { .returning = "id", .nparm = 6, .sql =
	    "INSERT INTO exercise_notes(exercise, inject, org, \"user\", text,"
	    " at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
	[Q_RESP_LIST] = { .nparm = 1, .sql =
	    "SELECT " NOTE_COLS " FROM exercise_notes WHERE exercise = ?1"
	    " AND inject > 0 ORDER BY id" },
	[Q_ISSUE_INSERT] = { .returning = "id", .nparm = 6, .sql =
	    "INSERT INTO exercise_notes(exercise, inject, org, \"user\", text,"
	    " at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
	[Q_ISSUE_LIST] = { .nparm = 1, .sql =
	    "SELECT " NOTE_COLS " FROM exercise_notes WHERE exercise = ?1"
	    " AND inject = 0 ORDER BY id" },
};

struct store_area st_exercise_area = { "exercise", stmts, Q__COUNT, 0 };
#define A	(&st_exercise_area)

#define E_(f, t)	COL(struct store_exercise, f, t)
static const struct store_col ex_cols[] = {
	E_(id, CT_I64), E_(name, CT_TEXT), E_(participants, CT_TEXT),
	E_(injects, CT_TEXT), E_(speed, CT_INT), E_(started_us, CT_I64),
	E_(by_org, CT_I64), E_(by_user, CT_I64), E_(created_us, CT_I64),
};
static const struct store_codec ex_codec = CODEC(struct store_exercise, ex_cols);

#define N_(f, t)	COL(struct store_exercise_note, f, t)
static const struct store_col note_cols[] = {
	N_(id, CT_I64), N_(exercise, CT_I64), N_(inject, CT_INT), N_(org, CT_I64),
	N_(user, CT_I64), N_(text, CT_TEXT), N_(at_us, CT_I64),
};
static const struct store_codec note_codec = CODEC(struct store_exercise_note,
    note_cols);

enum cs_err
store_exercise_insert(struct store *st, struct store_exercise *x)
{
	return st_insert(st, A, Q_EX_INSERT, PARMS(P_TEXT(x->name),
	    P_TEXT(x->participants), P_TEXT(x->injects), P_INT(x->by_org),
	    P_INT(x->by_user), P_INT(x->created_us)), &x->id);
}

ST_DEFINE_GET(store_exercise_get, struct store_exercise, A, Q_EX_GET, &ex_codec)
ST_DEFINE_FINI(store_exercise_fini, struct store_exercise, &ex_codec)
ST_DEFINE_FREE(store_exercises_free, struct store_exercise, &ex_codec)

enum cs_err
store_exercise_list(struct store *st, int limit, struct store_exercise **v,
    size_t *n)
{
	return st_list(st, A, Q_EX_LIST, PARMS(P_LIMIT(limit)), &ex_codec, v, n);
}

enum cs_err
store_exercise_start(struct store *st, int64_t id, int speed, int64_t at_us)
{
	return st_update(st, A, Q_EX_START, PARMS(P_INT(id), P_INT(speed),
	    P_INT(at_us)));
}

enum cs_err
store_exercise_note_add(struct store *st, struct store_exercise_note *nt)
{
	return st_insert(st, A, nt->inject > 0 ? Q_RESP_INSERT : Q_ISSUE_INSERT,
	    PARMS(P_INT(nt->exercise), P_INT(nt->inject), P_INT(nt->org),
	    P_INT(nt->user), P_TEXT(nt->text), P_INT(nt->at_us)), &nt->id);
}

enum cs_err
store_exercise_notes(struct store *st, int64_t exercise, bool issues,
    struct store_exercise_note **v, size_t *n)
{
	return st_list(st, A, issues ? Q_ISSUE_LIST : Q_RESP_LIST,
	    PARMS(P_INT(exercise)), &note_codec, v, n);
}

ST_DEFINE_FREE(store_exercise_notes_free, struct store_exercise_note, &note_codec)
