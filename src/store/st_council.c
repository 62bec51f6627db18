/*
 * st_council.c: the CEPTOAR council (セプター協議会) space — its members, the
 * posts a member addresses to all members or to some, and the
 * organisations an author shared a post with.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_MEMBER_ADD, Q_MEMBER_DEL, Q_MEMBER_GET, Q_MEMBER_LIST,
	Q_POST_INSERT, Q_POST_TO_ADD, Q_POST_SHARE_ADD, Q_POST_GET,
	Q_POST_TO_LIST, Q_POST_SHARE_LIST, Q_POST_CANDIDATES,
	Q__COUNT
};

#define POST_COLS	"id, author_org, author_user, text, tlp, to_all, created_us"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_MEMBER_ADD] = { .nparm = 2, .sql =
	    "INSERT INTO council_members(org, since_us) VALUES (?1, ?2)"
	    " ON CONFLICT DO NOTHING" },
	[Q_MEMBER_DEL] = { .nparm = 1, .sql =
	    "DELETE FROM council_members WHERE org = ?1" },
	[Q_MEMBER_GET] = { .nparm = 1, .sql =
	    "SELECT org FROM council_members WHERE org = ?1" },
	[Q_MEMBER_LIST] = { .nparm = 0, .sql =
	    "SELECT org FROM council_members ORDER BY org" },
	[Q_POST_INSERT] = { .returning = "id", .nparm = 6, .sql =
	    "INSERT INTO council_posts(author_org, author_user, text, tlp, to_all,"
	    " created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
	[Q_POST_TO_ADD] = { .nparm = 2, .sql =
	    "INSERT INTO council_post_to(post, org) VALUES (?1, ?2)"
	    " ON CONFLICT DO NOTHING" },
	[Q_POST_SHARE_ADD] = { .nparm = 4, .sql =
	    "INSERT INTO council_post_shares(post, org, by_user, at_us)"
	    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING" },
	[Q_POST_GET] = { .nparm = 1, .sql =
	    "SELECT " POST_COLS " FROM council_posts WHERE id = ?1" },
	[Q_POST_TO_LIST] = { .nparm = 1, .sql =
	    "SELECT org FROM council_post_to WHERE post = ?1 ORDER BY org" },
	[Q_POST_SHARE_LIST] = { .nparm = 1, .sql =
	    "SELECT org FROM council_post_shares WHERE post = ?1 ORDER BY org" },
	/* Posts that may concern org ?2 (the policy decides each). */
	[Q_POST_CANDIDATES] = { .nparm = 3, .sql =
	    "SELECT id FROM council_posts p WHERE id < ?1 AND (author_org = ?2"
	    " OR to_all = 1"
	    " OR EXISTS (SELECT 1 FROM council_post_to t WHERE t.post = p.id"
	    " AND t.org = ?2)"
	    " OR EXISTS (SELECT 1 FROM council_post_shares s WHERE s.post = p.id"
	    " AND s.org = ?2)) ORDER BY id DESC LIMIT ?3" },
};

struct store_area st_council_area = { "council", stmts, Q__COUNT, 0 };
#define A	(&st_council_area)

#define P_(f, t)	COL(struct store_council_post, f, t)
static const struct store_col post_cols[] = {
	P_(id, CT_I64), P_(author_org, CT_I64), P_(author_user, CT_I64),
	P_(text, CT_TEXT), P_(tlp, CT_INT), P_(to_all, CT_BOOL),
	P_(created_us, CT_I64),
};
static const struct store_codec post_codec = CODEC(struct store_council_post,
    post_cols);

enum cs_err
store_council_member_set(struct store *st, int64_t org, bool member,
    int64_t at_us)
{
	if (member)
		return st_run(st, A, Q_MEMBER_ADD, PARMS(P_INT(org), P_INT(at_us)));
	return st_run(st, A, Q_MEMBER_DEL, PARMS(P_INT(org)));
}

enum cs_err
store_council_member(struct store *st, int64_t org, bool *member)
{
	int64_t *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	*member = false;
	if ((rc = st_list(st, A, Q_MEMBER_GET, PARMS(P_INT(org)),
	    &store_i64_codec, &v, &n)) != CS_OK)
		return rc;
	*member = n > 0;
	free(v);
	return CS_OK;
}

enum cs_err
store_council_members(struct store *st, int64_t **v, size_t *n)
{
	return st_list(st, A, Q_MEMBER_LIST, NULL, 0, &store_i64_codec, v, n);
}

enum cs_err
store_council_post_insert(struct store *st, struct store_council_post *p)
{
	return st_insert(st, A, Q_POST_INSERT, PARMS(P_INT(p->author_org),
	    P_INT(p->author_user), P_TEXT(p->text), P_INT(p->tlp),
	    P_INT(p->to_all), P_INT(p->created_us)), &p->id);
}

enum cs_err
store_council_post_to_add(struct store *st, int64_t post, int64_t org)
{
	return st_run(st, A, Q_POST_TO_ADD, PARMS(P_INT(post), P_INT(org)));
}

enum cs_err
store_council_post_share_add(struct store *st, int64_t post, int64_t org,
    int64_t by_user, int64_t at_us)
{
	return st_run(st, A, Q_POST_SHARE_ADD, PARMS(P_INT(post), P_INT(org),
	    P_INT(by_user), P_INT(at_us)));
}

ST_DEFINE_GET(store_council_post_get, struct store_council_post, A, Q_POST_GET,
    &post_codec)
ST_DEFINE_FINI(store_council_post_fini, struct store_council_post, &post_codec)

enum cs_err
store_council_post_orgs(struct store *st, int64_t post, bool shares,
    int64_t **v, size_t *n)
{
	return st_list(st, A, shares ? Q_POST_SHARE_LIST : Q_POST_TO_LIST,
	    PARMS(P_INT(post)), &store_i64_codec, v, n);
}

enum cs_err
store_council_post_candidates(struct store *st, int64_t org, int64_t before,
    int limit, int64_t **v, size_t *n)
{
	return st_list(st, A, Q_POST_CANDIDATES, PARMS(P_INT(before > 0 ? before :
	    INT64_MAX), P_INT(org), P_LIMIT(limit)), &store_i64_codec, v, n);
}
