/*
 * notify.c: notifications of inbox events, composed inside the event's
 * transaction (a transactional outbox) — see svc.h.
 *
 * A notification holds no more than its recipient may read: the policy is
 * asked for the channel's user (or, for an organisation-wide channel, for
 * the least trusted person who may read that mailbox: an nda_contractor).
 * Bodies of RED and AMBER(+STRICT) advisories are never sent; the message
 * says an item is waiting and links to it.  The sending worker lives in
 * src/daemon/worker.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/svc_adv.h"
#include "svc/svc_drill.h"

static const char *
importance_ja(enum cs_importance i)
{
	switch (i) {
	case IMP_ALERT:		return "警報";
	case IMP_CAUTION:	return "注意喚起";
	case IMP_REFERENCE:	return "参考情報";
	default:		return "重要度なし";
	}
}

static const char *
tlp_code(enum cs_tlp t)
{
	static const char *codes[] = { "RED", "AMBER+STRICT", "AMBER", "GREEN",
	    "CLEAR" };

	return (unsigned)t <= TLP_CLEAR ? codes[t] : "?";
}

static const char *
event_ja(const char *kind)
{
	if (strcmp(kind, "updated") == 0)
		return "続報";
	if (strcmp(kind, "reminder") == 0)
		return "未確認のリマインド";
	if (strcmp(kind, "inquiry") == 0)
		return "問合せ";
	if (strcmp(kind, "answer") == 0)
		return "問合せへの回答";
	return "新着";
}

/* Who reads what a channel receives; false: the channel hears nothing. */
static bool
channel_reader(struct svc_ctx *c, const struct store_channel *ch, int64_t org,
    const struct cs_advisory_acl *acl, struct cs_principal *p)
{
	struct store_org o;

	if (ch->user != 0) {
		if (svc_principal_of(c->st, ch->user, p) != CS_OK ||
		    p->org_id != org)
			return false;
		/* A person the advisory does not admit hears nothing of it. */
		return policy_advisory_may_read(p, acl);
	}
	if (store_org_get(c->st, org, &o) != CS_OK)
		return false;
	memset(p, 0, sizeof(*p));
	p->org_id = o.id;
	p->org_type = o.type;
	p->org_sectors = o.sectors;
	p->roles = ROLE_MEMBER;
	p->nda_contractor = true;
	p->org_pre_arranged = o.pre_arranged;
	store_org_fini(&o);
	return true;
}

/* The message body for one channel (heap). */
static char *
compose(const struct svc_adv *x, const struct store_channel *ch, int64_t org,
    const char *kind, const char *subject, const char *ident, const char *url,
    json_t *form, bool full)
{
	const struct store_advisory *a = &x->a;
	struct cs_buf b;
	char *body;

	cs_buf_init(&b, 64 * 1024);
	if (ch->kind == CHAN_EMAIL) {
		cs_buf_printf(&b, "%s\n\n情報提供 %s\n情報共有範囲: TLP:%s\n"
		    "重要度: %s\n", subject, ident, tlp_code(a->tlp),
		    importance_ja(a->importance));
		if (full && form != NULL) {
			json_t *tc = json_object_get(form, "threat_content");
			const char *sum = json_string_value(json_object_get(tc,
			    "summary"));
			const char *cm = json_string_value(json_object_get(form,
			    "countermeasures"));

			if (sum)
				cs_buf_printf(&b, "\n①概要:\n%s\n", sum);
			if (cm)
				cs_buf_printf(&b, "\n③対処方針:\n%s\n", cm);
		} else
			cs_buf_printf(&b, "\nこの情報提供の本文はメールでは送られ"
			    "ません。cishare にログインして確認してください。\n");
		cs_buf_printf(&b, "\n%s\n", url);
	} else {
		json_t *j = json_pack("{s:s, s:{s:I, s:s, s:s, s:s, s:b, s:s}, s:I}",
		    "event", kind, "advisory", "id", (json_int_t)a->id,
		    "identification_number", ident, "tlp", core_tlp_id(a->tlp),
		    "importance", core_importance_id(a->importance),
		    "urgent", a->urgent, "url", url, "org", (json_int_t)org);
		char *text;

		if (full && form != NULL)
			json_object_set(json_object_get(j, "advisory"), "form", form);
		text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(j);
		cs_buf_adds(&b, text);
		free(text);
	}
	body = cs_buf_finish(&b);
	return body != NULL ? body : xstrdup(subject);
}

enum cs_err
svc_notify_enqueue(struct svc_ctx *c, int64_t adv, int64_t org,
    const char *kind)
{
	struct svc_adv x;
	struct store_channel *ch = NULL;
	struct cs_error le;
	size_t nch = 0;
	json_t *form = NULL;
	char ident[40], subject[256];
	const char *base = c->cfg && c->cfg->public_url ? c->cfg->public_url :
	    "http://127.0.0.1:8080";
	enum cs_err rc;

	memset(&x, 0, sizeof(x));
	if ((rc = store_channel_list(c->st, org, 0, 1000, &ch, &nch)) != CS_OK)
		return rc;
	if (nch == 0) {
		free(ch);
		return CS_OK;
	}
	if ((rc = svc_adv_load(c, adv, &x, &le)) != CS_OK)
		goto out;
	form = x.nv ? json_loads(x.v[x.nv - 1].form, 0, NULL) : NULL;
	core_advisory_ident(x.a.t_number, x.a.nversions, ident, sizeof(ident));
	/* A drill's message says so first: nobody acts on it by mistake. */
	cs_fmt(subject, sizeof(subject), "%s[TLP:%s][%s] 情報提供 %s（%s）",
	    svc_drill_of(c, DRILL_ITEM_ADVISORY, adv) != 0 ? "【訓練】" : "",
	    tlp_code(x.a.tlp), importance_ja(x.a.importance), ident, event_ja(kind));
	for (size_t i = 0; i < nch; i++) {
		struct cs_principal p;
		struct store_notification n;
		bool full;
		char *url;

		if (!ch[i].active || !channel_reader(c, &ch[i], org, &x.acl, &p))
			continue;
		full = x.a.tlp >= TLP_GREEN && policy_advisory_may_read(&p, &x.acl);
		url = xasprintf("%s/advisories/%lld", base, (long long)x.a.id);
		memset(&n, 0, sizeof(n));
		n.channel = ch[i].id;
		n.advisory = x.a.id;
		(void)cs_strlcpy(n.event, kind, sizeof(n.event));
		n.subject = subject;
		n.body = compose(&x, &ch[i], org, kind, subject, ident, url, form,
		    full);
		n.next_us = c->now_us;
		n.state = NOTIF_PENDING;
		n.created_us = c->now_us;
		free(url);
		rc = store_notif_insert(c->st, &n);
		free(n.body);
		if (rc != CS_OK)
			goto out;
	}
	rc = CS_OK;
out:
	json_decref(form);
	svc_adv_fini(&x);
	store_channels_free(ch, nch);
	return rc;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Only organisations with a channel get notifications: for a large fan-out
 * read every channel once (pages of 1,000) instead of asking per org.
 */
enum cs_err
svc_notify_enqueue_many(struct svc_ctx *c, int64_t adv, const int64_t *orgs,
    size_t n, const char *kind)
{
	struct store_channel *ch;
	int64_t *sorted, *with = NULL, after = 0;
	size_t nch, nwith = 0;
	enum cs_err rc = CS_OK;

	if (n <= 16) {
		for (size_t i = 0; i < n && rc == CS_OK; i++)
			rc = svc_notify_enqueue(c, adv, orgs[i], kind);
		return rc;
	}
	sorted = xcalloc(n, sizeof(*sorted));
	memcpy(sorted, orgs, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_i64);
	do {
		if ((rc = store_channel_list(c->st, 0, after, 1000, &ch, &nch)) != CS_OK)
			goto out;
		for (size_t i = 0; i < nch; i++) {
			after = ch[i].id;
			if (ch[i].active && bsearch(&ch[i].org, sorted, n,
			    sizeof(*sorted), cmp_i64) != NULL) {
				with = xreallocarray(with, nwith + 1, sizeof(*with));
				with[nwith++] = ch[i].org;
			}
		}
		store_channels_free(ch, nch);
	} while (nch == 1000);
	/* An org with several channels is enqueued once (it covers them all). */
	if (nwith > 0)
		qsort(with, nwith, sizeof(*with), cmp_i64);
	for (size_t i = 0; i < nwith && rc == CS_OK; i++)
		if (i == 0 || with[i] != with[i - 1])
			rc = svc_notify_enqueue(c, adv, with[i], kind);
out:
	free(with);
	free(sorted);
	return rc;
}

enum cs_err
svc_adv_remind(struct svc_ctx *c, const struct store_delivery *d)
{
	struct store_event ev;
	enum cs_err rc;

	memset(&ev, 0, sizeof(ev));
	ev.org = d->org;
	ev.advisory = d->advisory;
	(void)cs_strlcpy(ev.kind, "reminder", sizeof(ev.kind));
	ev.at_us = c->now_us;
	if ((rc = store_event_add(c->st, &ev)) != CS_OK ||
	    (rc = svc_notify_enqueue(c, d->advisory, d->org, "reminder")) != CS_OK)
		return rc;
	c->events = true;
	return store_delivery_reminded(c->st, d->id, c->now_us);
}
