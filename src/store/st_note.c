/*
 * st_note.c: short notes attached to an item by an action on it — the
 * comment of an advisory's relay (shown on the delivery record), of a
 * report's forward, and of an approver's return (差戻し) of an advisory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_NOTE_INSERT, Q_NOTE_LIST,
	Q__COUNT
};

#define NOTE_COLS	"id, kind, item, org, \"user\", text, at_us"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_NOTE_INSERT] = { .returning = "id", .nparm = 6, .sql =
	    "INSERT INTO item_notes(kind, item, org, \"user\", text, at_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
	[Q_NOTE_LIST] = { .nparm = 2, .sql =
	    "SELECT " NOTE_COLS " FROM item_notes WHERE kind = ?1 AND item = ?2"
	    " ORDER BY id" },
};

struct store_area st_note_area = { "note", stmts, Q__COUNT, 0 };
#define A	(&st_note_area)

#define N_(f, t)	COL(struct store_note, f, t)
static const struct store_col note_cols[] = {
	N_(id, CT_I64), N_(kind, CT_INT), N_(item, CT_I64), N_(org, CT_I64),
	N_(user, CT_I64), N_(text, CT_TEXT), N_(at_us, CT_I64),
};
static const struct store_codec note_codec = CODEC(struct store_note,
    note_cols);

enum cs_err
store_note_add(struct store *st, struct store_note *nt)
{
	return st_insert(st, A, Q_NOTE_INSERT, PARMS(P_INT(nt->kind),
	    P_INT(nt->item), P_INT(nt->org), P_INT(nt->user), P_TEXT(nt->text),
	    P_INT(nt->at_us)), &nt->id);
}

enum cs_err
store_note_list(struct store *st, enum store_note_kind kind, int64_t item,
    struct store_note **v, size_t *n)
{
	return st_list(st, A, Q_NOTE_LIST, PARMS(P_INT(kind), P_INT(item)),
	    &note_codec, v, n);
}

ST_DEFINE_FREE(store_notes_free, struct store_note, &note_codec)
