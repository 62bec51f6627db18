/*
 * cmd-advisory.c: 情報提供 — advisory create, followup, approve, relay,
 * ack, show, list, tree (who received it from whom, who has not
 * acknowledged yet), and review (a CEPTOAR secretariat's source review).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* Organisation names by id, fetched once each (GET /orgs/{id}). */
struct org_cache {
	json_int_t	*ids;
	char		**names;	/* NULL: not known */
	size_t		 n;
};

/* State of one "advisory tree" printout. */
struct tree {
	struct cmd_ctx		*ctx;
	struct org_cache	 orgs;
	json_t			*hops;
	char			*done;	/* hops already printed */
};

static int	take_number(const char **, int64_t *);
static void	explain_field(json_t *, const struct client_error *);
static void	org_cache_fini(struct org_cache *);
static const char *org_name(struct cmd_ctx *, struct org_cache *,
		    json_int_t);
static char	*org_label(struct cmd_ctx *, struct org_cache *, json_t *);
static void	tree_hop(struct tree *, const char *, const char *, json_t *);
static void	tree_children(struct tree *, json_int_t, const char *, int);
static int	tree_received(json_t *, json_int_t);
static void	tree_name_orgs(struct tree *, json_t *);
static void	print_source_review(json_t *, size_t);

/* Reads the digits at *p into *out and moves *p past them. */
static int
take_number(const char **p, int64_t *out)
{
	char num[20];
	size_t n;

	n = strspn(*p, "0123456789");
	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, *p, n);
	num[n] = '\0';
	*p += n;
	return cs_str_to_i64(num, 0, INT64_MAX, out) == CS_OK ? 0 : -1;
}

/*
 * After a refused request whose error names a text field of the body we
 * sent ("form.threat_content.summary") and a span of it ("characters
 * 12-17", counted in code points as the server does: a de-identification
 * hit), shows that part of the text on stderr, marked [[like this]].
 */
static void
explain_field(json_t *body, const struct client_error *e)
{
	const unsigned char *p;
	const char *m;
	struct cs_buf b;
	json_t *v;
	int64_t from, to, k, lo, hi;
	size_t n, len;
	uint32_t cp;
	char *text, *safe, *field;

	if (e->status != CLIENT_EHTTP || e->field[0] == '\0')
		return;
	v = jpath(body, e->field);
	if (!json_is_string(v))
		return;
	/* Other errors quote the value themselves. */
	if ((m = strstr(e->message, "characters ")) == NULL)
		return;
	m += strlen("characters ");
	if (take_number(&m, &from) == -1 || *m++ != '-' ||
	    take_number(&m, &to) == -1 || to <= from)
		return;
	lo = from > 30 ? from - 30 : 0;
	hi = to + 30;
	cs_buf_init(&b, 64 * 1024);
	p = (const unsigned char *)json_string_value(v);
	n = json_string_length(v);
	if (lo > 0)
		(void)cs_buf_adds(&b, "...");
	for (k = 0; n > 0 && k < hi; k++) {
		len = utf8_next(p, n, &cp);
		if (k == from)
			(void)cs_buf_adds(&b, "[[");
		if (k >= lo)
			(void)cs_buf_add(&b, p, len);
		if (k + 1 == to)
			(void)cs_buf_adds(&b, "]]");
		p += len;
		n -= len;
	}
	if (n > 0)
		(void)cs_buf_adds(&b, "...");
	if ((text = cs_buf_finish(&b)) == NULL)
		return;
	safe = safe_dup(text, 1);
	field = safe_dup(e->field, 1);
	fprintf(stderr, "cishare: %s: \"%s\"\n", field, safe);
	free(field);
	free(safe);
	free(text);
}

static void
org_cache_fini(struct org_cache *oc)
{
	size_t i;

	for (i = 0; i < oc->n; i++)
		free(oc->names[i]);
	free(oc->names);
	free(oc->ids);
	memset(oc, 0, sizeof(*oc));
}

/*
 * The name of organisation id, safe for printing, or NULL if it cannot be
 * looked up (no error is printed).  Borrowed from the cache.
 */
static const char *
org_name(struct cmd_ctx *ctx, struct org_cache *oc, json_int_t id)
{
	struct client_error e;
	json_t *res = NULL, *name;
	char *path;
	size_t i;

	for (i = 0; i < oc->n; i++)
		if (oc->ids[i] == id)
			return oc->names[i];
	path = xasprintf("/orgs/%" JSON_INTEGER_FORMAT, id);
	if (client_request(ctx->client, "GET", path, NULL, &res, &e) !=
	    CLIENT_OK)
		res = NULL;
	free(path);
	oc->ids = xreallocarray(oc->ids, oc->n + 1, sizeof(*oc->ids));
	oc->names = xreallocarray(oc->names, oc->n + 1,
	    sizeof(*oc->names));
	name = json_object_get(res, "name");
	oc->ids[oc->n] = id;
	oc->names[oc->n] = json_is_string(name) ?
	    safe_dup(json_string_value(name), 1) : NULL;
	json_decref(res);
	return oc->names[oc->n++];
}

/* "12 さくら信用金庫", or "12" when the name is not known. */
static char *
org_label(struct cmd_ctx *ctx, struct org_cache *oc, json_t *idv)
{
	const char *name;

	if (!json_is_integer(idv))
		return json_text(idv);
	name = org_name(ctx, oc, json_integer_value(idv));
	if (name == NULL)
		return xasprintf("%" JSON_INTEGER_FORMAT,
		    json_integer_value(idv));
	return xasprintf("%" JSON_INTEGER_FORMAT " %s",
	    json_integer_value(idv), name);
}

int
cmd_advisory_create(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *file = NULL, *body = NULL, *res = NULL, *related = NULL;
	json_t *consented = NULL;
	char *id = NULL;
	int rc = EXIT_USAGE;

	if (collect_ids(ctx, "related", "--related report id", &related) ==
	    -1 || collect_ids(ctx, "consented", "--consented report id",
	    &consented) == -1)
		goto out;
	if ((rc = load_json_file(a->pos[0], &file)) != 0)
		goto out;
	body = form_body(file);
	if (args_has(a, "urgent"))
		(void)json_object_set_new(body, "urgent", json_true());
	if (related != NULL)
		(void)json_object_set(body, "related_reports", related);
	if (consented != NULL)
		(void)json_object_set(body, "consented_sources", consented);
	if ((rc = send_json(ctx, "POST", "/advisories", body,
	    "advisory {id} {identification_number} version {version} state"
	    " {state}", explain_field, &res)) != 0 || ctx->json)
		goto out;
	id = jfield(res, "id");
	if (json_is_string(json_object_get(res, "state")) && strcmp(
	    json_string_value(json_object_get(res, "state")),
	    "pending_approval") == 0)
		fprintf(stderr, "cishare: advisory %s waits for a second NISC"
		    " approver: cishare advisory approve %s\n", id, id);
out:
	free(id);
	json_decref(related);
	json_decref(consented);
	json_decref(body);
	json_decref(res);
	return rc;
}

/* A create body reused as is: urgency is fixed at the first issue. */
int
cmd_advisory_followup(struct cmd_ctx *ctx)
{
	return send_form(ctx, "advisory id", "/advisories/", "/followups",
	    "urgent", "advisory {id} {identification_number} version"
	    " {version} state {state}", explain_field);
}

/* advisory approve|ack ID, advisory relay ID ORGID...: POST, no form. */
int
cmd_advisory_post(struct cmd_ctx *ctx)
{
	static const char *const results[][2] = {
		{ "approve", "advisory {id} {identification_number} state"
		    " {state}" },
		{ "relay", "advisory {id} relayed to {delivered_to}" },
		{ "ack", "advisory {id} acknowledged by org {org} at"
		    " {acknowledged_at}" }
	};
	json_t *body = NULL;
	char *path = NULL, *suffix;
	size_t i;
	int rc = EXIT_USAGE;

	suffix = xasprintf("/%s", ctx->entry->sub);
	if (id_path(ctx, "advisory id", ctx->args->pos[0], "/advisories/",
	    suffix, &path) == -1)
		goto out;
	if (ctx->args->npos > 1) {
		body = json_object();
		if (pos_ids(ctx, 1, body) == -1)
			goto out;
		if (args_get(ctx->args, "comment") != NULL)
			json_object_set_new(body, "comment", json_string(
			    args_get(ctx->args, "comment")));
	}
	for (i = 0; strcmp(results[i][0], ctx->entry->sub) != 0; i++)
		;
	rc = send_json(ctx, "POST", path, body, results[i][1], NULL, NULL);
out:
	free(suffix);
	free(path);
	json_decref(body);
	return rc;
}

/* advisory review ID --approve|--refuse [--comment TEXT] */
int
cmd_advisory_review(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	int approve = args_has(a, "approve"), refuse = args_has(a, "refuse");
	const char *comment = args_get(a, "comment");
	json_t *body = NULL;
	char *path = NULL;
	int rc = EXIT_USAGE;

	if (approve == refuse) {
		fprintf(stderr, "cishare: advisory review: give exactly one of"
		    " --approve and --refuse\n");
		return EXIT_USAGE;
	}
	if (id_path(ctx, "advisory id", a->pos[0], "/advisories/",
	    "/source-review", &path) == -1)
		goto out;
	body = json_pack("{s:s}", "decision", approve ? "approve" : "refuse");
	if (comment != NULL)
		(void)json_object_set_new(body, "comment", json_string(comment));
	rc = send_json(ctx, "POST", path, body, "advisory {id}"
	    " {identification_number} source review {decision}: state {state}",
	    NULL, NULL);
out:
	free(path);
	json_decref(body);
	return rc;
}

/*
 * The source review of `show`: NISC's decisions and comments, or for the
 * reviewing secretariat its reviews and each hit with its span.
 */
static void
print_source_review(json_t *sr, size_t width)
{
	json_t *r, *h;
	char *s, *t, *u, *w, *x;
	size_t i;

	if (!json_is_object(sr))
		return;
	s = jfield(sr, "state");
	t = jfield(sr, "version");
	printf("%-*s  %s (version %s)\n", (int)width, "source_review", s, t);
	free(s);
	free(t);
	json_array_foreach(json_object_get(sr, "reviews"), i, r) {
		s = jfield(r, "report_identification_number");
		t = jfield(r, "org");
		u = jfield(r, "decision");
		w = jfield(r, "decided_at");
		x = jfield(r, "comment");
		printf("  report %s  org %s  %s  %s  %s\n", s, t, u, w, x);
		free(s);
		free(t);
		free(u);
		free(w);
		free(x);
	}
	json_array_foreach(json_object_get(sr, "hits"), i, h) {
		s = jfield(h, "field");
		t = jfield(h, "start");
		u = jfield(h, "end");
		w = jfield(h, "kind");
		x = jfield(h, "text");
		printf("  hit %s %s-%s %s [[%s]]\n", s, t, u, w, x);
		free(s);
		free(t);
		free(u);
		free(w);
		free(x);
	}
	if (json_array_size(json_object_get(sr, "hits")) > 0)
		printf("  decide: cishare advisory review ID --approve|--refuse"
		    " --comment TEXT\n");
}

int
cmd_advisory_show(struct cmd_ctx *ctx)
{
	static const char *const header[] = {
		"id", "identification_number", "state", "urgent", "tlp",
		"importance", "sectors", "version", "created_at", "issued_at"
	};
	json_t *res = NULL, *form, *mine, *v, *ver, *del;
	char *path = NULL, *s, *t, *u;
	size_t i, width = strlen("identification_number"), fw;
	int rc;

	if (id_path(ctx, "advisory id", ctx->args->pos[0], "/advisories/", "",
	    &path) == -1)
		return EXIT_USAGE;
	if ((rc = request_text(ctx, "GET", path, NULL, &res)) != 0 ||
	    res == NULL)
		goto out;

	for (i = 0; i < nitems(header); i++)
		print_labelled(header[i], width, json_object_get(res,
		    header[i]));
	if ((v = json_object_get(res, "related_reports")) != NULL)
		print_labelled("related_reports", width, v);
	print_source_review(json_object_get(res, "source_review"), width);
	mine = json_object_get(res, "my_delivery");
	if (json_is_object(mine)) {
		print_labelled("delivered_to_you", width,
		    json_object_get(mine, "delivered_at"));
		v = json_object_get(mine, "acknowledged_at");
		if (json_is_string(v))
			print_labelled("acknowledged", width, v);
		else {
			s = jfield(res, "id");
			printf("%-*s  未確認 (not acknowledged): cishare"
			    " advisory ack %s\n", (int)width, "acknowledged",
			    s);
			free(s);
		}
	}
	del = json_object_get(json_object_get(res, "delivery"), "summary");
	if (json_is_object(del)) {
		s = jfield(del, "delivered");
		t = jfield(del, "read");
		u = jfield(del, "acknowledged");
		printf("%-*s  %s delivered, %s read, %s acknowledged\n",
		    (int)width, "delivery", s, t, u);
		free(s);
		free(t);
		free(u);
	}

	/* The 様式's own words for the form's main items. */
	form = json_object_get(res, "form");
	fw = str_width("③対処方針");
	fputc('\n', stdout);
	s = importance_text(json_object_get(form, "importance"));
	t = tlp_text(json_object_get(form, "tlp"));
	printf("%s", "重要度");
	for (i = str_width("重要度"); i < fw + 2; i++)
		fputc(' ', stdout);
	printf("%s\nTLP", s);
	for (i = str_width("TLP"); i < fw + 2; i++)
		fputc(' ', stdout);
	printf("TLP:%s\n", t);
	free(s);
	free(t);
	if ((v = json_object_get(form, "tlp_special_notes")) != NULL &&
	    json_is_string(v) && json_string_length(v) > 0)
		print_text_field("特記事項", fw, v);
	print_text_field("①概要", fw, jpath(form, "threat_content.summary"));
	if ((v = jpath(form, "threat_content.target")) != NULL &&
	    json_is_string(v) && json_string_length(v) > 0)
		print_text_field("②対象", fw, v);
	print_text_field("③対処方針", fw, json_object_get(form,
	    "countermeasures"));
	if ((v = json_object_get(form, "other")) != NULL &&
	    json_is_string(v) && json_string_length(v) > 0)
		print_text_field("④その他", fw, v);

	v = json_object_get(res, "versions");
	if (json_array_size(v) > 0)
		fputc('\n', stdout);
	json_array_foreach(v, i, ver) {
		s = jfield(ver, "version");
		t = jfield(ver, "identification_number");
		u = jfield(ver, "issued_at");
		printf("version %s  %s  issued_at %s\n", s, t, u);
		free(s);
		free(t);
		free(u);
	}
out:
	free(path);
	json_decref(res);
	return rc;
}

static void
tree_hop(struct tree *tr, const char *prefix, const char *branch,
    json_t *hop)
{
	json_t *ack, *rem;
	char *org, *via, *del, *rd, *ak = NULL, *lat, *ackl = NULL;

	org = org_label(tr->ctx, &tr->orgs, json_object_get(hop, "org"));
	via = jfield(hop, "via");
	del = time_text(json_object_get(hop, "delivered_at"), 1);
	rd = time_text(json_object_get(hop, "read_at"), 1);
	lat = secs_text(json_object_get(hop, "hop_latency_s"));
	ack = json_object_get(hop, "acknowledged_at");
	if (json_is_string(ack)) {
		ak = time_text(ack, 1);
		ackl = secs_text(json_object_get(hop, "ack_latency_s"));
	}
	printf("%s%s%s  via %s  delivered %s  read %s  ", prefix, branch, org,
	    via, del, rd);
	if (ak != NULL)
		printf("acknowledged %s after %s", ak, ackl);
	else
		printf("未確認 (not acknowledged)");
	printf("  hop %s", lat);
	rem = json_object_get(hop, "reminders");
	if (json_is_integer(rem) && json_integer_value(rem) > 0)
		printf("  reminders %" JSON_INTEGER_FORMAT,
		    json_integer_value(rem));
	fputc('\n', stdout);
	free(org);
	free(via);
	free(del);
	free(rd);
	free(ak);
	free(lat);
	free(ackl);
}

/* Prints the hops relayed by org parent, and theirs, below prefix. */
static void
tree_children(struct tree *tr, json_int_t parent, const char *prefix,
    int depth)
{
	json_t *hop;
	size_t i, last = 0, n = 0;
	char *sub;

	json_array_foreach(tr->hops, i, hop)
		if (!tr->done[i] && json_integer_value(json_object_get(hop,
		    "from_org")) == parent) {
			last = i;
			n++;
		}
	if (n == 0)
		return;
	json_array_foreach(tr->hops, i, hop) {
		if (tr->done[i] || json_integer_value(json_object_get(hop,
		    "from_org")) != parent)
			continue;
		tr->done[i] = 1;
		tree_hop(tr, prefix, i == last ? "`-- " : "|-- ", hop);
		if (depth >= 64)
			continue;
		sub = xasprintf("%s%s", prefix, i == last ? "    " : "|   ");
		tree_children(tr, json_integer_value(json_object_get(hop,
		    "org")), sub, depth + 1);
		free(sub);
	}
}

/* Is org id the receiver of some hop? */
static int
tree_received(json_t *hops, json_int_t id)
{
	json_t *hop;
	size_t i;

	json_array_foreach(hops, i, hop)
		if (json_integer_value(json_object_get(hop, "org")) == id)
			return 1;
	return 0;
}

/* Adds "org_name" to each object of arr that has an "org". */
static void
tree_name_orgs(struct tree *tr, json_t *arr)
{
	const char *name;
	json_t *o, *id;
	size_t i;

	json_array_foreach(arr, i, o) {
		id = json_object_get(o, "org");
		if (!json_is_integer(id))
			continue;
		name = org_name(tr->ctx, &tr->orgs, json_integer_value(id));
		(void)json_object_set_new(o, "org_name", name != NULL ?
		    json_string(name) : json_null());
	}
}

int
cmd_advisory_tree(struct cmd_ctx *ctx)
{
	struct tree tr;
	json_t *res = NULL, *del, *hop, *un, *u, *out = NULL, *roots;
	json_int_t from;
	int64_t now, at;
	char *path = NULL, *s, *t, *w, *x, *org;
	size_t i, k;
	int rc;

	memset(&tr, 0, sizeof(tr));
	tr.ctx = ctx;
	roots = json_array();
	if (id_path(ctx, "advisory id", ctx->args->pos[0], "/advisories/", "",
	    &path) == -1) {
		rc = EXIT_USAGE;
		goto out;
	}
	if ((rc = request(ctx, "GET", path, NULL, &res)) != 0)
		goto out;
	del = json_object_get(res, "delivery");
	tr.hops = json_object_get(del, "hops");
	un = json_object_get(del, "unacknowledged");
	if (!json_is_object(del) || !json_is_array(tr.hops)) {
		fprintf(stderr, "cishare: error: no delivery record for you:"
		    " NISC, and ministries and CEPTOARs that relayed it, see"
		    " one\n");
		rc = EXIT_FAIL;
		goto out;
	}
	if (ctx->json) {
		tree_name_orgs(&tr, tr.hops);
		tree_name_orgs(&tr, un);
		out = json_pack("{s:O?, s:O?, s:O}", "id",
		    json_object_get(res, "id"), "identification_number",
		    json_object_get(res, "identification_number"),
		    "delivery", del);
		print_json(out);
		goto out;
	}

	s = jfield(res, "identification_number");
	t = jfield(res, "id");
	w = tlp_text(json_object_get(res, "tlp"));
	x = importance_text(json_object_get(res, "importance"));
	printf("%s (advisory %s)  TLP:%s  %s  ", s, t, w, x);
	free(s);
	free(t);
	free(w);
	free(x);
	s = jfield(res, "state");
	t = time_text(json_object_get(res, "issued_at"), 1);
	printf("state %s  issued at %s\n", s, t);
	free(s);
	free(t);

	/* Roots: senders that received nothing themselves (NISC). */
	json_array_foreach(tr.hops, i, hop) {
		from = json_integer_value(json_object_get(hop, "from_org"));
		if (tree_received(tr.hops, from))
			continue;
		for (k = 0; k < json_array_size(roots); k++)
			if (json_integer_value(json_array_get(roots, k)) ==
			    from)
				break;
		if (k == json_array_size(roots))
			(void)json_array_append_new(roots,
			    json_integer(from));
	}
	tr.done = xcalloc(json_array_size(tr.hops) + 1, 1);
	json_array_foreach(roots, i, u) {
		org = org_label(ctx, &tr.orgs, u);
		printf("%s\n", org);
		free(org);
		tree_children(&tr, json_integer_value(u), "", 0);
	}
	/* Whatever no root leads to (should not happen) still shows. */
	json_array_foreach(tr.hops, i, hop)
		if (!tr.done[i]) {
			tr.done[i] = 1;
			tree_hop(&tr, "", "(unattached) ", hop);
			tree_children(&tr, json_integer_value(
			    json_object_get(hop, "org")), "    ", 1);
		}

	s = jfield(json_object_get(del, "summary"), "delivered");
	t = jfield(json_object_get(del, "summary"), "read");
	w = jfield(json_object_get(del, "summary"), "acknowledged");
	printf("\n%s delivered, %s read, %s acknowledged\n", s, t, w);
	free(s);
	free(t);
	free(w);
	if (json_array_size(un) == 0) {
		printf("all acknowledged.\n");
		goto out;
	}
	printf("not yet acknowledged:\n");
	now = cs_time_now_us();
	json_array_foreach(un, i, u) {
		org = org_label(ctx, &tr.orgs, json_object_get(u, "org"));
		s = time_text(json_object_get(u, "delivered_at"), 1);
		w = NULL;
		if (json_is_string(json_object_get(u, "delivered_at")) &&
		    cs_time_parse(json_string_value(json_object_get(u,
		    "delivered_at")), &at) == CS_OK) {
			hop = json_real(now > at ? (double)(now - at) / 1e6 :
			    0);
			w = secs_text(hop);
			json_decref(hop);
		}
		printf("  %s %s  delivered %s  waiting %s%s\n",
		    json_is_true(json_object_get(u, "overdue")) ? "!" : "-",
		    org, s, w != NULL ? w : "-",
		    json_is_true(json_object_get(u, "overdue")) ?
		    "  期限超過 (overdue)" : "");
		free(org);
		free(s);
		free(w);
	}
out:
	org_cache_fini(&tr.orgs);
	free(tr.done);
	free(path);
	json_decref(roots);
	json_decref(out);
	json_decref(res);
	return rc;
}
