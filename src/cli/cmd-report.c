/*
 * cmd-report.c: 情報連絡 — report submit (第1報), followup (第k報),
 * forward, share, disclose (開示の根拠), show, list, and template (a 第1報 skeleton printed from
 * the 様式's generated field table, vocab_report_form).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* What "report template" puts in a required choice left to the user. */
#define UNCHOSEN	"<choose: "

static const struct vocab_field *form_find(const struct vocab_field *,
		    const char *);
static void	form_hint(json_t *, const struct client_error *);
static void	show_disclosures(json_t *);
static int	form_unchosen(json_t *, const struct vocab_field *,
		    const char *, const char *);
static const char *tpl_note(const struct vocab_field *);
static void	tpl_indent(int);
static void	tpl_comment(const struct vocab_field *, int);
static void	tpl_fields(const struct vocab_field *, int, int);

/*
 * The field at a dotted path below fields ("impact.external_response",
 * "timeline.0.at"); an index after a list of values ("cause_types.2")
 * stands for the list's field.
 */
static const struct vocab_field *
form_find(const struct vocab_field *fields, const char *path)
{
	const struct vocab_field *f = NULL;
	const char *dot;
	size_t n;

	for (;; path = dot + 1) {
		dot = strchr(path, '.');
		n = dot != NULL ? (size_t)(dot - path) : strlen(path);
		if (n > 0 && strspn(path, "0123456789") >= n) {
			if (dot == NULL)
				return f;
			continue;
		}
		if (fields == NULL)
			return NULL;
		for (f = fields; f->id != NULL; f++)
			if (strlen(f->id) == n && strncmp(f->id, path, n) == 0)
				break;
		if (f->id == NULL)
			return NULL;
		if (dot == NULL)
			return f;
		fields = f->sub;
	}
}

/*
 * After the server refused a form field that takes one of a vocabulary's
 * values, names the values it takes.
 */
static void
form_hint(json_t *body, const struct client_error *e)
{
	const struct vocab_field *f;
	char *allowed, *field;

	(void)body;
	if (e->status != CLIENT_EHTTP ||
	    strncmp(e->field, "form.", strlen("form.")) != 0)
		return;
	f = form_find(vocab_report_form, e->field + strlen("form."));
	if (f == NULL || f->values == NULL)
		return;
	allowed = vocab_allowed(f->values, 1);
	field = safe_dup(e->field, 1);
	fprintf(stderr, "cishare: %s: allowed: %s\n", field, allowed);
	free(field);
	free(allowed);
}

/*
 * Refuses a form that still holds a template's "<choose: ...>": names the
 * field and its allowed values.  Returns 0 or -1 (printed).
 */
static int
form_unchosen(json_t *obj, const struct vocab_field *fields,
    const char *path, const char *file)
{
	const struct vocab_field *f;
	json_t *v;
	char *sub, *allowed;
	int rc = 0;

	if (!json_is_object(obj))
		return 0;
	for (f = fields; f->id != NULL && rc == 0; f++) {
		v = json_object_get(obj, f->id);
		sub = xasprintf("%s.%s", path, f->id);
		if (f->type == VOCAB_F_GROUP)
			rc = form_unchosen(v, f->sub, sub, file);
		else if (f->values != NULL && json_is_string(v) &&
		    strncmp(json_string_value(v), UNCHOSEN,
		    strlen(UNCHOSEN)) == 0) {
			allowed = vocab_allowed(f->values, 1);
			fprintf(stderr, "cishare: %s: %s is not filled in;"
			    " allowed: %s\n", file, sub, allowed);
			free(allowed);
			rc = -1;
		}
		free(sub);
	}
	return rc;
}

int
cmd_report_submit(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *file = NULL, *body = NULL, *extra = NULL;
	const char *route;
	int rc;

	route = args_get(a, "route");
	if (args_has(a, "legal-duty") && args_has(a, "no-legal-duty")) {
		rc = usage_error(ctx->entry, "--legal-duty and"
		    " --no-legal-duty contradict each other");
		goto out;
	}
	if (collect_ids(ctx, "extra", "--extra organisation id", &extra) ==
	    -1) {
		rc = EXIT_USAGE;
		goto out;
	}
	if ((rc = load_json_file(a->pos[0], &file)) != 0)
		goto out;
	body = form_body(file);
	file = NULL;

	if (route != NULL)
		(void)json_object_set_new(body, "route", json_string(route));
	else if (json_object_get(body, "route") == NULL)
		(void)json_object_set_new(body, "route",
		    json_string("direct"));
	if (args_has(a, "legal-duty"))
		(void)json_object_set_new(body, "legal_duty", json_true());
	else if (args_has(a, "no-legal-duty") ||
	    json_object_get(body, "legal_duty") == NULL)
		(void)json_object_set_new(body, "legal_duty", json_false());
	if (extra != NULL) {
		(void)json_object_set_new(body, "extra_recipients", extra);
		extra = NULL;
	}
	if (form_unchosen(json_object_get(body, "form"), vocab_report_form,
	    "form", a->pos[0]) == -1) {
		rc = EXIT_FAIL;
		goto out;
	}
	rc = send_json(ctx, "POST", "/reports", body,
	    "report {id} version {version} state {state}", form_hint, NULL);
out:
	json_decref(extra);
	json_decref(file);
	json_decref(body);
	return rc;
}

/* report followup ID FILE: the form (or the body) from FILE. */
int
cmd_report_followup(struct cmd_ctx *ctx)
{
	return send_form(ctx, "report id", "/reports/", "/followups", NULL,
	    "report {id} version {version}", form_hint);
}

/* What a dry run found: each version's redactions, then the newest form. */
static void
print_preview(json_t *res)
{
	json_t *ver, *r;
	size_t i, j;

	json_array_foreach(json_object_get(res, "versions"), i, ver) {
		json_t *red = json_object_get(ver, "redactions");

		printf("version %lld: %zu redaction(s)\n", (long long)
		    json_integer_value(json_object_get(ver, "version")),
		    json_array_size(red));
		json_array_foreach(red, j, r) {
			char *f = safe_dup(json_string_value(json_object_get(r,
			    "field")), 0);

			printf("  %s %lld-%lld\n", f, (long long)
			    json_integer_value(json_object_get(r, "start")),
			    (long long)json_integer_value(json_object_get(r,
			    "end")));
			free(f);
		}
	}
	print_json(json_object_get(res, "form"));
}

/*
 * report forward ID [FILE] [--dry-run] [--confirm-small-set]: a CEPTOAR
 * secretariat's forward first asks the server what the ministry would
 * receive (a dry run, nothing kept); with too few member operators in the
 * sector it stops unless --confirm-small-set says the risk is known.
 */
int
cmd_report_forward(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *file, *body = NULL, *res = NULL, *as;
	char *path = NULL, *dry = NULL;
	int rc = EXIT_USAGE;

	if (id_path(ctx, "report id", a->pos[0], "/reports/", "/forward",
	    &path) == -1)
		goto out;
	if (a->npos > 1) {
		if ((rc = load_json_file(a->pos[1], &file)) != 0)
			goto out;
		body = form_body(file);		/* steals file */
	} else
		body = json_object();
	if (args_get(a, "comment") != NULL)
		json_object_set_new(body, "comment", json_string(args_get(a,
		    "comment")));
	dry = xasprintf("%s?dry_run=1", path);
	if (args_has(a, "dry-run")) {
		if ((rc = request_text(ctx, "POST", dry, body, &res)) == 0 &&
		    res != NULL)
			print_preview(res);
		goto out;
	}
	if ((rc = request(ctx, "POST", dry, body, &res)) != 0)
		goto out;
	as = json_object_get(res, "anonymity_set");
	if (json_is_true(json_object_get(as, "warning"))) {
		if (!args_has(a, "confirm-small-set")) {
			fprintf(stderr, "cishare: the sector has only %lld member "
			    "operator(s) (fewer than %lld): the source of this "
			    "report may be guessable.\nRe-run with "
			    "--confirm-small-set to forward it anyway.\n",
			    (long long)json_integer_value(json_object_get(as,
			    "members")), (long long)json_integer_value(
			    json_object_get(as, "minimum")));
			rc = EXIT_FAIL;
			goto out;
		}
		(void)json_object_set_new(body, "confirm_small_anonymity_set",
		    json_true());
	}
	rc = send_json(ctx, "POST", path, body, "report {id} state {state} "
	    "identification_number {identification_number}", form_hint, NULL);
out:
	json_decref(res);
	json_decref(body);
	free(dry);
	free(path);
	return rc;
}

/*
 * "  level       deviation (rule ict.g01.s01; reported no, disagrees)":
 * the server's evaluation against the service-maintenance level.
 */
static void
print_service_level(json_t *sl)
{
	const char *rule = json_string_value(json_object_get(sl, "rule"));
	const char *rep = json_string_value(json_object_get(sl, "reported"));
	char *ev, *r = NULL;

	if (!json_is_object(sl))
		return;
	ev = safe_dup(json_string_value(json_object_get(sl, "evaluated")), 0);
	if (rule != NULL)
		r = safe_dup(rule, 0);
	printf("  %-10s  %s", "level", ev);
	if (r != NULL || rep != NULL)
		printf(" (%s%s%s%s%s)", r != NULL ? "rule " : "", r != NULL ? r : "",
		    r != NULL && rep != NULL ? "; " : "", rep != NULL ? "reported " : "",
		    rep != NULL ? (strcmp(rep, "yes") == 0 ? "yes" : "no") : "");
	if (json_is_true(json_object_get(sl, "disagrees")))
		fputs(", disagrees", stdout);
	fputc('\n', stdout);
	free(ev);
	free(r);
}

/*
 * The disclosure bases recorded on a report: id, basis, when, by which
 * organisation, to whom, then the reason's lines.
 */
static void
show_disclosures(json_t *list)
{
	static const char *const keys[] = { "id", "basis", "at", "by_org", "to" };
	json_t *d;
	char *s, *text, *line, *nl;
	size_t i, k;

	if (json_array_size(list) == 0)
		return;
	printf("\ndisclosures (開示の根拠)\n");
	json_array_foreach(list, i, d) {
		for (k = 0; k < nitems(keys); k++) {
			s = jfield(d, keys[k]);
			printf("  %s%s", k == 3 ? "by org " :
			    k == 4 ? "to " : "", s);
			free(s);
		}
		fputc('\n', stdout);
		if (!json_is_string(json_object_get(d, "reason")))
			continue;
		text = safe_dup(json_string_value(json_object_get(d, "reason")), 0);
		for (line = text; line != NULL; line = nl) {
			if ((nl = strchr(line, '\n')) != NULL)
				*nl++ = '\0';
			printf("    %s\n", line);
		}
		free(text);
	}
}

int
cmd_report_show(struct cmd_ctx *ctx)
{
	static const char *const summary_keys[] = {
		"form.overview.event_summary", "form.summary", "summary", NULL
	};
	static const char *const header[] = {
		"id", "identification_number", "state", "route", "tlp",
		"sector"
	};
	struct args *a = ctx->args;
	json_t *res = NULL, *versions, *last, *v, *ver, *val;
	json_int_t rid;
	char *path = NULL, *s, *text, *line, *nl;
	size_t i, h, width = strlen("identification_number");
	int rc;

	if (parse_id(ctx->entry, "report id", a->pos[0], &rid) == -1)
		return EXIT_USAGE;
	path = xasprintf("/reports/%" JSON_INTEGER_FORMAT, rid);
	if ((rc = request_text(ctx, "GET", path, NULL, &res)) != 0 ||
	    res == NULL)
		goto out;

	versions = json_object_get(res, "versions");
	last = json_array_get(versions, json_array_size(versions) - 1);
	for (h = 0; h < nitems(header); h++) {
		val = json_object_get(res, header[h]);
		/* TLP and sector may live only in the latest form. */
		if ((val == NULL || json_is_null(val)) && last != NULL)
			val = json_object_get(json_object_get(last, "form"),
			    header[h]);
		print_labelled(header[h], width, val);
	}

	json_array_foreach(versions, i, ver) {
		fputc('\n', stdout);
		s = jfield(ver, "version");
		printf("version %s", s);
		free(s);
		s = jfield(ver, "identification_number");
		printf("  identification_number %s", s);
		free(s);
		s = jfield(ver, "submitted_at");
		printf("  submitted_at %s\n", s);
		free(s);

		s = json_text(jpath(ver, "form.event_type"));
		printf("  %-10s  %s\n", "event type", s);
		free(s);
		print_service_level(json_object_get(ver, "service_level"));
		v = jfirst(ver, summary_keys);
		if (!json_is_string(v) || json_string_length(v) == 0) {
			printf("  %-10s  -\n", "summary");
			continue;
		}
		text = safe_dup(json_string_value(v), 0);
		for (line = text, h = 0; line != NULL; line = nl, h++) {
			if ((nl = strchr(line, '\n')) != NULL)
				*nl++ = '\0';
			printf("  %-10s  %s\n", h == 0 ? "summary" : "", line);
		}
		free(text);
	}
	show_disclosures(json_object_get(res, "disclosures"));
out:
	free(path);
	json_decref(res);
	return rc;
}

int
cmd_report_share(struct cmd_ctx *ctx)
{
	json_t *body, *res = NULL;
	json_int_t rid, did = 0;
	char *path = NULL, *list = NULL;
	int rc = EXIT_USAGE;

	body = json_object();
	if (parse_id(ctx->entry, "report id", ctx->args->pos[0], &rid) == -1 ||
	    pos_ids(ctx, 1, body) == -1)
		goto out;
	if (args_has(ctx->args, "disclosure") && parse_id(ctx->entry,
	    "disclosure id", args_get(ctx->args, "disclosure"), &did) == -1)
		goto out;
	if (did > 0)
		(void)json_object_set_new(body, "disclosure", json_integer(did));
	path = xasprintf("/reports/%" JSON_INTEGER_FORMAT "/share", rid);
	if ((rc = request(ctx, "POST", path, body, &res)) != 0)
		goto out;
	if (ctx->json)
		print_json(res != NULL ? res : body);
	else {
		list = json_text(json_object_get(body, "to"));
		printf("report %" JSON_INTEGER_FORMAT " shared with %s\n", rid,
		    list);
	}
out:
	free(path);
	free(list);
	json_decref(body);
	json_decref(res);
	return rc;
}

/*
 * report disclose ID --basis B --reason TEXT --to TEXT: a disclosure basis
 * recorded on report ID (NISC, or a ministry on its path).
 */
int
cmd_report_disclose(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body;
	char *path = NULL;
	int rc = EXIT_USAGE;

	body = json_pack("{s:s, s:s, s:s}", "basis", args_get(a, "basis"),
	    "reason", args_get(a, "reason"), "to", args_get(a, "to"));
	if (body == NULL) {
		fprintf(stderr, "cishare: --reason and --to must be UTF-8\n");
		goto out;
	}
	if (id_path(ctx, "report id", a->pos[0], "/reports/", "/disclosures",
	    &path) == -1)
		goto out;
	rc = send_json(ctx, "POST", path, body, "disclosure {id} recorded",
	    NULL, NULL);
out:
	free(path);
	json_decref(body);
	return rc;
}

/* ---- report template ------------------------------------------------ */

/* What the 様式 leaves unsaid about a field; NULL if nothing. */
static const char *
tpl_note(const struct vocab_field *f)
{
	static const struct {
		const char	*id;
		const char	*note;
	} notes[] = {
		{ "report_sequence_number",
		  "1 on a first report; the server numbers follow-ups" },
		{ "identification_number",
		  "blank: NISC assigns it (R1, R1-2 ...)" },
		{ "event_type", "one only: the event detected first" }
	};
	size_t i;

	for (i = 0; i < nitems(notes); i++)
		if (strcmp(notes[i].id, f->id) == 0)
			return notes[i].note;
	return NULL;
}

static void
tpl_indent(int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		fputs("  ", stdout);
}

/* The "//" lines above a field: its label, kind and allowed values. */
static void
tpl_comment(const struct vocab_field *f, int depth)
{
	/* In enum vocab_ftype's order. */
	static const char *const kinds[] = { "one of", "a list of any of",
	    "text", "short text", "an integer", "a count (0 or more)",
	    "true or false", "a time (RFC 3339)", "a group",
	    "rows of", "an organisation id" };
	_Static_assert(nitems(kinds) == VOCAB_F_REF + 1,
	    "a kind for every enum vocab_ftype");
	const struct vocab_field *s;
	const struct vocab_item *v;
	const char *note = tpl_note(f), *name;
	size_t w = 0;

	tpl_indent(depth);
	printf("// %s: %s%s%s%s", f->label_ja, f->required ? "required, " : "",
	    kinds[f->type], note != NULL ? "; " : "", note != NULL ? note : "");
	if (f->type == VOCAB_F_TABLE)
		for (s = f->sub; s->id != NULL; s++)
			printf(" %s%s (%s)", s == f->sub ? "" : "+ ", s->id,
			    s->label_ja);
	fputc('\n', stdout);
	if (f->values == NULL)
		return;
	for (v = f->values; v->id != NULL; v++)
		if (strlen(v->id) > w)
			w = strlen(v->id);
	for (v = f->values; v->id != NULL; v++) {
		name = vocab_name(f->values, v);
		tpl_indent(depth);
		printf("//   %-*s  %s%s%s\n", (int)w, v->id,
		    name != NULL ? name : "", name != NULL ? " = " : "",
		    v->label_ja != NULL ? v->label_ja : "");
	}
}

/* The members of one object of the form, at depth. */
static void
tpl_fields(const struct vocab_field *fields, int depth, int commented)
{
	const struct vocab_field *f;
	size_t i;

	for (f = fields; f->id != NULL; f++) {
		if (commented)
			tpl_comment(f, depth);
		tpl_indent(depth);
		printf("\"%s\": ", f->id);
		switch (f->type) {
		case VOCAB_F_GROUP:
			fputs("{\n", stdout);
			tpl_fields(f->sub, depth + 1, commented);
			tpl_indent(depth);
			fputc('}', stdout);
			break;
		case VOCAB_F_TABLE:
		case VOCAB_F_ENUM_MULTI:
			fputs("[]", stdout);
			break;
		case VOCAB_F_INT:
			fputs("1", stdout);
			break;
		case VOCAB_F_ENUM:
			if (f->required) {
				fputs("\"" UNCHOSEN, stdout);
				for (i = 0; f->values[i].id != NULL; i++)
					printf("%s%s", i > 0 ? "|" : "",
					    f->values[i].id);
				fputs(">\"", stdout);
				break;
			}
			/* FALLTHROUGH */
		default:
			fputs("null", stdout);
			break;
		}
		fputs(f[1].id != NULL ? ",\n" : "\n", stdout);
	}
}

/*
 * report template [--commented]: a request body for "report submit" with
 * every field of the 情報連絡様式.  It is valid JSON; --commented adds
 * "//" lines, which load_json_file() blanks before parsing.
 */
int
cmd_report_template(struct cmd_ctx *ctx)
{
	const struct vocab_item *r;
	int commented = args_has(ctx->args, "commented");

	if (commented) {
		printf("// 情報連絡 第1報 (情報連絡様式).  Fill in the <choose: ...>"
		    " values, any others\n// you know, then: cishare report"
		    " submit FILE\n// Times are RFC 3339 with an offset:"
		    " 2026-11-21T13:15:00+09:00.\n");
	}
	fputs("{\n", stdout);
	if (commented) {
		printf("  // route: one of (or --route)\n");
		for (r = vocab_route; r->id != NULL; r++)
			printf("  //   %-11s  %s\n", r->id, r->label_ja);
	}
	printf("  \"route\": \"direct\",\n");
	if (commented)
		printf("  // true if the event falls under a legal reporting"
		    " duty (or --legal-duty);\n  // such a report cannot take"
		    " the via_ceptoar route\n");
	printf("  \"legal_duty\": false,\n");
	if (commented)
		printf("  // the form, in the order of the 様式\n");
	printf("  \"form\": {\n");
	tpl_fields(vocab_report_form, 2, commented);
	printf("  }\n}\n");
	return 0;
}
