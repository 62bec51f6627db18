/*
 * audit.c: the audit log as a principal may read it (see svc_audit.h).
 */
#include <stdlib.h>
#include <string.h>

#include "svc/svc_adv.h"
#include "svc/svc_audit.h"
#include "svc/svc_dir.h"
#include "svc/svc_widening.h"

void
svc_audit_view_init(struct svc_audit_view *w, struct svc_ctx *c)
{
	memset(w, 0, sizeof(*w));
	w->c = c;
}

void
svc_audit_view_fini(struct svc_audit_view *w)
{
	free(w->memo);
	memset(w, 0, sizeof(*w));
}

/* The decision about item kind:id, from the item's own loader and policy. */
static bool
decide(struct svc_ctx *c, char kind, int64_t id)
{
	struct cs_error le;
	struct svc_report r;
	struct svc_adv x;
	struct store_user u;
	bool yes = false;

	switch (kind) {
	case 'r':
	case 'w':
		if (svc_report_load(c, id, 0, &r, &le) != CS_OK)
			return false;
		yes = kind == 'r' ? policy_report_may_read(&c->who, &r.acl) :
		    svc_widening_visible(c, &r.acl);
		svc_report_fini(&r);
		return yes;
	case 'a':
		if (svc_adv_load(c, id, &x, &le) != CS_OK)
			return false;
		yes = policy_advisory_may_read(&c->who, &x.acl);
		svc_adv_fini(&x);
		return yes;
	case 'u':
		if (svc_user_load(c, id, &u, &le) != CS_OK)
			return false;
		store_user_fini(&u);
		return true;
	default:
		return false;
	}
}

static bool
may_read(struct svc_audit_view *w, char kind, int64_t id)
{
	bool yes;

	for (size_t i = 0; i < w->n; i++)
		if (w->memo[i].kind == kind && w->memo[i].id == id)
			return w->memo[i].yes;
	yes = decide(w->c, kind, id);
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 32;
		w->memo = xreallocarray(w->memo, w->cap, sizeof(*w->memo));
	}
	w->memo[w->n++] = (struct svc_audit_memo){ kind, id, yes };
	return yes;
}

/* "report:12" -> 'r', 12; false for anything else. */
static bool
item_parse(const char *item, char *kind, int64_t *id)
{
	static const struct {
		const char	*prefix;
		char		 kind;
	} kinds[] = { { "report:", 'r' }, { "advisory:", 'a' }, { "user:", 'u' } };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].prefix);

		if (strncmp(item, kinds[i].prefix, n) == 0 &&
		    cs_str_to_i64(item + n, 1, INT64_MAX, id) == CS_OK) {
			*kind = kinds[i].kind;
			return true;
		}
	}
	return false;
}

/* Every id of the detail's array `key` readable as `kind`. */
static bool
all_readable(struct svc_audit_view *w, json_t *detail, const char *key,
    char kind)
{
	json_t *a = json_object_get(detail, key), *v;
	size_t i;

	if (a == NULL)
		return true;
	if (!json_is_array(a))
		return false;
	json_array_foreach(a, i, v)
		if (!json_is_integer(v) || !may_read(w, kind, json_integer_value(v)))
			return false;
	return true;
}

bool
svc_audit_visible(struct svc_audit_view *w, const struct store_audit *a)
{
	const struct cs_principal *p = &w->c->who;
	json_t *d;
	int64_t id;
	char kind;
	bool yes;

	if (p->roles & ROLE_ADMIN)
		return true;
	if (p->org_id == 0)
		return false;
	if (a->item != NULL) {
		if (!item_parse(a->item, &kind, &id))
			return false;
		/* A widening decision or request is seen as its request is. */
		if (kind == 'r' && strncmp(a->action, "widening.", 9) == 0)
			kind = 'w';
		return may_read(w, kind, id);
	}
	if (a->org != p->org_id)
		return false;
	if (a->detail == NULL)
		return true;
	if ((d = json_loads(a->detail, 0, NULL)) == NULL)
		return false;
	yes = all_readable(w, d, "reports", 'r') &&
	    all_readable(w, d, "advisories", 'a');
	json_decref(d);
	return yes;
}

enum cs_err
svc_audit_list(struct svc_ctx *c, int64_t after, int64_t since_us, int limit,
    struct store_audit **out, size_t *nout, int64_t *last, bool *more,
    struct cs_error *e)
{
	struct svc_audit_view w;
	struct store_audit *b = NULL;
	size_t nb = 0, n = 0, scanned = 0;
	int chunk;
	enum cs_err rc = CS_OK;

	*out = xcalloc((size_t)limit + 1, sizeof(**out));
	*nout = 0;
	*last = after;
	*more = false;
	/* An admin reads every entry: one more than a page tells if more follow. */
	chunk = (c->who.roles & ROLE_ADMIN) ? limit + 1 : 500;
	svc_audit_view_init(&w, c);
	for (;;) {
		if ((rc = store_audit_list(c->st, *last, since_us, chunk, &b,
		    &nb)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
		for (size_t i = 0; i < nb; i++) {
			if (n == (size_t)limit || scanned == SVC_AUDIT_SCAN) {
				*more = true;
				goto done;
			}
			scanned++;
			*last = b[i].seq;
			if (svc_audit_visible(&w, &b[i])) {
				(*out)[n++] = b[i];
				memset(&b[i], 0, sizeof(b[i]));
			}
		}
		if (nb < (size_t)chunk)
			goto done;
		store_audits_free(b, nb);
		b = NULL;
		nb = 0;
	}
done:
	*nout = n;
	n = 0;
out:
	store_audits_free(b, nb);
	if (rc != CS_OK) {
		store_audits_free(*out, n);
		*out = NULL;
	}
	svc_audit_view_fini(&w);
	return rc;
}
