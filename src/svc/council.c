/*
 * council.c: the CEPTOAR council space (see svc_council.h).
 */
#include <stdlib.h>
#include <string.h>

#include "svc/svc_council.h"

/* A loaded post with its addressees and shares. */
struct post {
	struct store_council_post	 p;
	int64_t				*to, *shared;
	size_t				 nto, nshared;
	struct cs_council_acl		 acl;
};

static void
post_fini(struct post *x)
{
	store_council_post_fini(&x->p);
	free(x->to);
	free(x->shared);
	memset(x, 0, sizeof(*x));
}

static enum cs_err
post_load(struct svc_ctx *c, int64_t id, struct post *x, struct cs_error *e)
{
	enum cs_err rc;

	memset(x, 0, sizeof(*x));
	if ((rc = store_council_post_get(c->st, id, &x->p)) != CS_OK)
		return rc == CS_ENOENT ? cs_fail(e, CS_ENOENT, "", "no such post") :
		    cs_fail(e, rc, "", "store error");
	if ((rc = store_council_post_orgs(c->st, id, false, &x->to,
	    &x->nto)) != CS_OK || (rc = store_council_post_orgs(c->st, id, true,
	    &x->shared, &x->nshared)) != CS_OK) {
		post_fini(x);
		return cs_fail(e, rc, "", "store error");
	}
	x->acl.author_org = x->p.author_org;
	x->acl.tlp = x->p.tlp;
	x->acl.to_all = x->p.to_all;
	x->acl.to = x->to;
	x->acl.nto = x->nto;
	x->acl.shared = x->shared;
	x->acl.nshared = x->nshared;
	return CS_OK;
}

enum cs_err
svc_council_is_member(struct svc_ctx *c, int64_t org, bool *yes,
    struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = store_council_member(c->st, org, yes)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return CS_OK;
}

/* A loaded post the principal may read, or the same 404 as a missing one. */
static enum cs_err
post_load_visible(struct svc_ctx *c, int64_t id, struct post *x,
    struct cs_error *e)
{
	bool member = false;
	enum cs_err rc;

	if ((rc = post_load(c, id, x, e)) != CS_OK)
		return rc;
	if ((rc = svc_council_is_member(c, c->who.org_id, &member, e)) != CS_OK ||
	    !policy_council_may_read(&c->who, &x->acl, member)) {
		post_fini(x);
		return rc != CS_OK ? rc : cs_fail(e, CS_ENOENT, "", "no such post");
	}
	return CS_OK;
}

enum cs_err
svc_council_member_set(struct svc_ctx *c, const struct store_org *o,
    bool member, struct cs_error *e)
{
	enum cs_err rc;

	if (member && o->type != ORG_CEPTOAR_SEC)
		return cs_fail(e, CS_EINVAL, "council_member", "only a CEPTOAR "
		    "secretariat is a member of the CEPTOAR council");
	if ((rc = store_council_member_set(c->st, o->id, member, c->now_us)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return svc_audit(c, "council.member", NULL, json_pack("{s:I, s:b}",
	    "org", (json_int_t)o->id, "member", member), false) == CS_OK ?
	    CS_OK : cs_fail(e, CS_ESTORE, "", "audit failed");
}

static json_t *
ids_json(const int64_t *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_integer(v[i]));
	return a;
}

/* A post as JSON; addressees and shares for its author's organisation only. */
static json_t *
post_json(const struct svc_ctx *c, const struct post *x)
{
	json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:o, s:o}", "id",
	    (json_int_t)x->p.id, "author_org", (json_int_t)x->p.author_org,
	    "text", x->p.text != NULL ? x->p.text : "", "tlp",
	    core_tlp_id(x->p.tlp), "to", x->p.to_all ? json_string("all") :
	    ids_json(x->to, x->nto), "created_at", svc_time(x->p.created_us));

	if (c->who.org_id == x->p.author_org)
		json_object_set_new(j, "shared_with", ids_json(x->shared,
		    x->nshared));
	return j;
}

enum cs_err
svc_council_post(struct svc_ctx *c, json_t *body, int64_t *id,
    struct cs_error *e)
{
	struct store_council_post p;
	json_t *to = json_object_get(body, "to"), *x;
	enum cs_tlp tlp = TLP_AMBER;
	bool member = false;
	char path[32];
	size_t i;
	enum cs_err rc;

	if ((rc = svc_council_is_member(c, c->who.org_id, &member, e)) != CS_OK)
		return rc;
	if (!member)
		return cs_fail(e, CS_EPERM, "", "your CEPTOAR is not a member of the "
		    "CEPTOAR council");
	if ((rc = core_check_string(json_object_get(body, "text"), CS_MAX_TEXT,
	    "text", e)) != CS_OK)
		return rc;
	if (json_string_length(json_object_get(body, "text")) == 0)
		return cs_fail(e, CS_EINVAL, "text", "required field is missing");
	if (core_tlp_parse(json_string_value(json_object_get(body, "tlp")),
	    &tlp) != 0)
		return cs_fail(e, CS_EINVAL, "tlp", "must be a TLP level");
	memset(&p, 0, sizeof(p));
	if (json_is_string(to) && strcmp(json_string_value(to), "all") == 0)
		p.to_all = true;
	else if (!json_is_array(to) || json_array_size(to) == 0 ||
	    json_array_size(to) > CS_MAX_LIST)
		return cs_fail(e, CS_EINVAL, "to", "\"all\" or a list of council "
		    "members");
	else
		json_array_foreach(to, i, x) {
			bool m = false;

			cs_fmt(path, sizeof(path), "to.%zu", i);
			if (!json_is_integer(x) || store_council_member(c->st,
			    json_integer_value(x), &m) != CS_OK || !m)
				return cs_fail(e, CS_EINVAL, path, "not a member of "
				    "the CEPTOAR council");
		}
	p.author_org = c->who.org_id;
	p.author_user = c->who.user_id;
	p.text = (char *)json_string_value(json_object_get(body, "text"));
	p.tlp = tlp;
	p.created_us = c->now_us;
	if ((rc = store_council_post_insert(c->st, &p)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if (!p.to_all)
		json_array_foreach(to, i, x)
			if ((rc = store_council_post_to_add(c->st, p.id,
			    json_integer_value(x))) != CS_OK)
				return cs_fail(e, rc, "", "store error");
	*id = p.id;
	if ((rc = svc_audit(c, "council.post", NULL, json_pack("{s:I, s:s}",
	    "post", (json_int_t)p.id, "tlp", core_tlp_id(tlp)), false)) != CS_OK)
		return cs_fail(e, rc, "", "audit failed");
	return CS_OK;
}

enum cs_err
svc_council_get(struct svc_ctx *c, int64_t id, json_t **out,
    struct cs_error *e)
{
	struct post x;
	enum cs_err rc;

	if ((rc = post_load_visible(c, id, &x, e)) != CS_OK)
		return rc;
	*out = post_json(c, &x);
	post_fini(&x);
	return svc_audit(c, "council.read", NULL, json_pack("{s:[I]}", "posts",
	    (json_int_t)id), false) == CS_OK ? CS_OK :
	    cs_fail(e, CS_ESTORE, "", "audit failed");
}

enum cs_err
svc_council_list(struct svc_ctx *c, int64_t before, int limit, json_t **items,
    int64_t *last, bool *more, struct cs_error *e)
{
	json_t *read = json_array();
	int64_t *ids = NULL;
	size_t n = 0;
	bool member = false;
	enum cs_err rc;

	*items = json_array();
	*last = 0;
	*more = false;
	if ((rc = svc_council_is_member(c, c->who.org_id, &member, e)) != CS_OK)
		goto fail;
	do {
		if ((rc = store_council_post_candidates(c->st, c->who.org_id,
		    before, 200, &ids, &n)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto fail;
		}
		for (size_t i = 0; i < n; i++) {
			struct post x;
			struct cs_error le;

			before = ids[i];
			if ((int)json_array_size(*items) == limit) {
				*more = true;
				break;
			}
			if (post_load(c, ids[i], &x, &le) != CS_OK)
				continue;
			if (policy_council_may_read(&c->who, &x.acl, member)) {
				json_array_append_new(*items, post_json(c, &x));
				json_array_append_new(read, json_integer(ids[i]));
				*last = ids[i];
			}
			post_fini(&x);
		}
		free(ids);
		ids = NULL;
	} while (n == 200 && !*more);
	if (json_array_size(read) > 0 && svc_audit(c, "council.read", NULL,
	    json_pack("{s:O}", "posts", read), false) != CS_OK) {
		rc = cs_fail(e, CS_ESTORE, "", "audit failed");
		goto fail;
	}
	json_decref(read);
	return CS_OK;
fail:
	free(ids);
	json_decref(read);
	json_decref(*items);
	*items = NULL;
	return rc;
}

/* Who a post may be shared with: government organisations, or members. */
static bool
share_target(struct svc_ctx *c, const struct store_org *o)
{
	bool m = false;

	switch (o->type) {
	case ORG_NISC:
	case ORG_CAS:
	case ORG_CI_MINISTRY:
	case ORG_CS_MINISTRY:
	case ORG_IR_MINISTRY:
	case ORG_DM_MINISTRY:
	case ORG_CS_AGENCY:
		return true;
	case ORG_CEPTOAR_SEC:
		return store_council_member(c->st, o->id, &m) == CS_OK && m;
	default:
		return false;
	}
}

enum cs_err
svc_council_share(struct svc_ctx *c, int64_t id, json_t *body,
    struct cs_error *e)
{
	json_t *to = json_object_get(body, "to"), *x;
	struct post p;
	char path[32];
	size_t i;
	enum cs_err rc;

	if ((rc = post_load_visible(c, id, &p, e)) != CS_OK)
		return rc;
	if (p.p.author_org != c->who.org_id) {
		post_fini(&p);
		return cs_fail(e, CS_EPERM, "", "only the author's CEPTOAR shares "
		    "its post");
	}
	post_fini(&p);
	if (!json_is_array(to) || json_array_size(to) == 0 ||
	    json_array_size(to) > CS_MAX_LIST)
		return cs_fail(e, CS_EINVAL, "to", "a list of organisation ids");
	json_array_foreach(to, i, x) {
		struct store_org o;
		bool ok;

		cs_fmt(path, sizeof(path), "to.%zu", i);
		if (!json_is_integer(x) || store_org_get(c->st,
		    json_integer_value(x), &o) != CS_OK)
			return cs_fail(e, CS_EINVAL, path, "no such organisation");
		ok = share_target(c, &o);
		store_org_fini(&o);
		if (!ok)
			return cs_fail(e, CS_EINVAL, path, "a council post is shared "
			    "with government organisations or council members");
	}
	json_array_foreach(to, i, x)
		if ((rc = store_council_post_share_add(c->st, id,
		    json_integer_value(x), c->who.user_id, c->now_us)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
	if ((rc = svc_audit(c, "council.share", NULL, json_pack("{s:I, s:O}",
	    "post", (json_int_t)id, "to", to), false)) != CS_OK)
		return cs_fail(e, rc, "", "audit failed");
	return CS_OK;
}
