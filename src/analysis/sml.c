/*
 * sml.c: a report against its service's service-maintenance level (see
 * analysis.h).  Table-driven: the numbers live in vocab_sml_rules[],
 * generated from data/sectors.json, never here.
 */
#include <string.h>

#include "analysis/analysis.h"
#include "util/util.h"

/* A figure of the report: unknown, a lower bound, or exact. */
enum fig {
	FIG_UNKNOWN,
	FIG_AT_LEAST,
	FIG_EXACT
};

static enum fig
count_of(json_t *im, const char *key, long long *v)
{
	json_t *x = json_object_get(im, key);

	if (!json_is_integer(x))
		return FIG_UNKNOWN;
	*v = (long long)json_integer_value(x);
	return FIG_EXACT;
}

/*
 * How long the outage lasted: exact with an end; while it goes on (ongoing,
 * or no end given), at least until at_us.
 */
static enum fig
seconds_of(json_t *im, int64_t at_us, long long *v)
{
	const char *from = json_string_value(json_object_get(im, "started_at"));
	const char *to = json_string_value(json_object_get(im, "ended_at"));
	int64_t a, b;

	if (from == NULL || cs_time_parse(from, &a) != CS_OK)
		return FIG_UNKNOWN;
	if (to != NULL && cs_time_parse(to, &b) == CS_OK) {
		*v = (long long)((b - a) / 1000000);
		return FIG_EXACT;
	}
	*v = (long long)((at_us - a) / 1000000);
	if (*v < 0)
		*v = 0;
	return FIG_AT_LEAST;
}

static enum fig
figure(json_t *im, enum vocab_sml_metric m, int64_t at_us, long long *v)
{
	switch (m) {
	case VOCAB_SML_USERS:
		return count_of(im, "affected_users", v);
	case VOCAB_SML_HOUSEHOLDS:
		return count_of(im, "households", v);
	case VOCAB_SML_KW:
		return count_of(im, "disrupted_supply_kw", v);
	case VOCAB_SML_SECONDS:
		return seconds_of(im, at_us, v);
	}
	return FIG_UNKNOWN;
}

/* One rule: breached when every condition holds. */
static enum sml_eval
rule_eval(const struct vocab_sml_rule *r, json_t *im, int64_t at_us)
{
	bool unknown = false;

	for (int i = 0; i < r->ncond; i++) {
		long long v = 0;
		enum fig f = figure(im, r->cond[i].metric, at_us, &v);

		if (f == FIG_UNKNOWN)
			unknown = true;
		else if (v < r->cond[i].min) {
			if (f == FIG_EXACT)
				return SML_NO_DEVIATION;
			unknown = true;	/* it may still grow */
		}
	}
	return unknown ? SML_INSUFFICIENT : SML_DEVIATION;
}

/* The service the report is about: named, or the only one of its sector. */
static int
service_of(json_t *form, json_t *im)
{
	const char *sector = json_string_value(json_object_get(form, "sector"));
	int i, found = -1, n = 0;

	if ((i = vocab_index(vocab_service, json_string_value(json_object_get(im,
	    "service")))) >= 0)
		return i;
	for (i = 0; vocab_service[i].id != NULL; i++)
		if (cs_streq(vocab_service[i].parent, sector)) {
			found = i;
			n++;
		}
	return n == 1 ? found : -1;
}

/* Does the sector have any numeric level? */
static bool
sector_numeric(const char *sector)
{
	for (const struct vocab_sml_rule *r = vocab_sml_rules; r->id != NULL; r++) {
		int i = vocab_index(vocab_service, r->service);

		if (i >= 0 && cs_streq(vocab_service[i].parent, sector))
			return true;
	}
	return false;
}

json_t *
analysis_sml_form(const char *text)
{
	/* every member of impact read above (figure, service_of, facility) */
	static const char *const im_keys[] = { "service_level_deviation",
	    "facility", "service", "started_at", "ended_at", "affected_users",
	    "households", "disrupted_supply_kw" };
	json_t *form = json_object(), *im = json_object(), *v;
	const char *val, *iv;
	size_t vlen, ivlen, n = strlen(text);

	if (cs_json_pick(text, n, "sector", &val, &vlen) == CS_OK &&
	    (v = json_loadb(val, vlen, JSON_DECODE_ANY, NULL)) != NULL)
		json_object_set_new(form, "sector", v);
	if (cs_json_pick(text, n, "impact", &val, &vlen) == CS_OK &&
	    vlen > 0 && val[0] == '{') {
		for (size_t i = 0; i < sizeof(im_keys) / sizeof(im_keys[0]); i++)
			if (cs_json_pick(val, vlen, im_keys[i], &iv, &ivlen) ==
			    CS_OK && (v = json_loadb(iv, ivlen, JSON_DECODE_ANY,
			    NULL)) != NULL)
				json_object_set_new(im, im_keys[i], v);
		json_object_set(form, "impact", im);
	}
	json_decref(im);
	return form;
}

void
analysis_sml_eval(json_t *form, int64_t at_us, struct sml_result *out)
{
	json_t *im = json_object_get(form, "impact");
	const char *rep = json_string_value(json_object_get(im,
	    "service_level_deviation"));
	const char *fac = json_string_value(json_object_get(im, "facility"));
	const char *sector = json_string_value(json_object_get(form, "sector"));
	const struct vocab_sml_rule *r;
	bool any = false, split = false;

	memset(out, 0, sizeof(*out));
	out->eval = SML_INSUFFICIENT;
	out->reported = cs_streq(rep, "yes") ? SML_REPORTED_YES :
	    cs_streq(rep, "no") ? SML_REPORTED_NO : SML_REPORTED_NONE;
	out->service = service_of(form, im);
	if (out->service < 0) {
		/* A sector whose levels are all text needs no service to say so. */
		if (sector != NULL && !sector_numeric(sector))
			out->eval = SML_NOT_NUMERIC;
		goto done;
	}
	out->eval = SML_NOT_NUMERIC;
	for (r = vocab_sml_rules; r->id != NULL; r++) {
		enum sml_eval ev;

		if (strcmp(r->service, vocab_service[out->service].id) != 0)
			continue;
		if (!any)
			out->eval = SML_INSUFFICIENT;
		any = true;
		/* A facility-specific rule counts for its facility only. */
		if (r->facility != NULL && fac != NULL && strcmp(r->facility, fac) != 0)
			continue;
		ev = rule_eval(r, im, at_us);
		if (out->rule == NULL) {
			out->rule = r;
			out->eval = ev;
		} else if (ev != out->eval) {
			split = true;
			/* A breach of one rule is reported by that rule. */
			if (ev == SML_DEVIATION)
				out->rule = r;
		}
	}
	/* Without its facility, rules that disagree leave it open. */
	if (split)
		out->eval = SML_INSUFFICIENT;
done:
	out->disagrees = out->reported != SML_REPORTED_NONE &&
	    (out->eval == SML_DEVIATION || out->eval == SML_NO_DEVIATION) &&
	    (out->eval == SML_DEVIATION) != (out->reported == SML_REPORTED_YES);
}

const char *
analysis_sml_eval_id(enum sml_eval ev)
{
	switch (ev) {
	case SML_DEVIATION:
		return "deviation";
	case SML_NO_DEVIATION:
		return "no_deviation";
	case SML_NOT_NUMERIC:
		return "not_numeric";
	case SML_INSUFFICIENT:
		break;
	}
	return "insufficient_data";
}

json_t *
analysis_sml_json(const struct sml_result *s)
{
	const struct vocab_item *lv = s->service >= 0 ?
	    &vocab_service_level[s->service] : NULL;
	const char *rule = s->rule != NULL ? s->rule->id : lv != NULL ?
	    lv->id : NULL;
	const char *cite = s->rule != NULL ? s->rule->cite : lv != NULL ?
	    lv->cite : NULL;

	return json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:b}",
	    "evaluated", analysis_sml_eval_id(s->eval),
	    "rule", rule,
	    "text_ja", lv != NULL ? lv->label_ja : NULL,
	    "citation", cite,
	    "reported", s->reported == SML_REPORTED_YES ? "yes" :
	    s->reported == SML_REPORTED_NO ? "no" : NULL,
	    "disagrees", s->disagrees);
}
