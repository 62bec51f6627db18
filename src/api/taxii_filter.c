/*
 * taxii_filter.c: the query of a TAXII 2.1 objects, manifest or versions
 * request (TAXII 2.1 §3.5): added_after, match[id], match[type],
 * match[version], limit (1–1,000) and next, each refused with its name.
 * Pure (fuzzed by tests/fuzz/fuzz_taxii_filter.c).
 */
#include <string.h>
#include <time.h>

#include "api/taxii.h"

static enum cs_err
split(const char *v, const char *name, size_t max, size_t width,
    char *out, size_t *n, struct cs_error *e)
{
	*n = 0;
	while (*v != '\0') {
		size_t k = strcspn(v, ",");

		if (k == 0 || k >= width)
			return cs_fail(e, CS_EINVAL, name, "an empty or too long value");
		if (*n == max)
			return cs_fail(e, CS_EINVAL, name, "more than %zu values", max);
		memcpy(out + *n * width, v, k);
		out[*n * width + k] = '\0';
		(*n)++;
		v += k;
		if (*v == ',' && *++v == '\0')
			return cs_fail(e, CS_EINVAL, name, "an empty value");
	}
	if (*n == 0)
		return cs_fail(e, CS_EINVAL, name, "an empty value");
	return CS_OK;
}

static bool
key_ok(const char *k)
{
	if (*k == '\0' || strlen(k) >= TAXII_KEY_MAX)
		return false;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
		    *k == '-' || *k == '.' || *k == ':' || *k == '_'))
			return false;
	return true;
}

enum cs_err
taxii_filter_parse(const char *(*get)(void *, const char *), void *arg,
    struct taxii_filter *f, struct cs_error *e)
{
	char vers[TAXII_MATCH_MAX][40];
	const char *v;
	int64_t n;
	size_t nv, i;

	memset(f, 0, sizeof(*f));
	f->added_after = -1;
	f->limit = TAXII_LIMIT_DEFAULT;
	if ((v = get(arg, "added_after")) != NULL &&
	    (f->added_after = stix_timestamp_us(v)) < 0)
		return cs_fail(e, CS_EINVAL, "added_after", "must be a timestamp "
		    "(YYYY-MM-DDTHH:MM:SS[.s]Z)");
	if ((v = get(arg, "limit")) != NULL) {
		if (cs_str_to_i64(v, 1, TAXII_LIMIT_MAX, &n) != CS_OK)
			return cs_fail(e, CS_EINVAL, "limit", "must be an integer "
			    "from 1 to %d", TAXII_LIMIT_MAX);
		f->limit = (int)n;
	}
	if ((v = get(arg, "match[id]")) != NULL) {
		if (split(v, "match[id]", TAXII_MATCH_MAX, STIX_ID_MAX,
		    &f->ids[0][0], &f->nids, e) != CS_OK)
			return e->code;
		for (i = 0; i < f->nids; i++)
			if (!stix_id_valid(f->ids[i], NULL))
				return cs_fail(e, CS_EINVAL, "match[id]", "not a STIX "
				    "identifier: %s", f->ids[i]);
	}
	if ((v = get(arg, "match[type]")) != NULL) {
		if (split(v, "match[type]", TAXII_MATCH_MAX, 64, &f->types[0][0],
		    &f->ntypes, e) != CS_OK)
			return e->code;
		for (i = 0; i < f->ntypes; i++)
			if (!stix_type_valid(f->types[i]))
				return cs_fail(e, CS_EINVAL, "match[type]", "not a STIX "
				    "type: %s", f->types[i]);
	}
	if ((v = get(arg, "match[version]")) != NULL) {
		if (split(v, "match[version]", TAXII_MATCH_MAX, 40, &vers[0][0],
		    &nv, e) != CS_OK)
			return e->code;
		for (i = 0; i < nv; i++) {
			int64_t t;

			if (strcmp(vers[i], "first") == 0)
				f->v_first = true;
			else if (strcmp(vers[i], "last") == 0)
				f->v_last = true;
			else if (strcmp(vers[i], "all") == 0)
				f->v_all = true;
			else if ((t = stix_timestamp_us(vers[i])) >= 0)
				f->versions[f->nversions++] = t;
			else
				return cs_fail(e, CS_EINVAL, "match[version]", "first, "
				    "last, all or a timestamp");
		}
	} else
		f->v_last = true;
	if ((v = get(arg, "next")) != NULL) {
		const char *dot = strchr(v, '.');
		char num[24];
		size_t k;

		if (dot == NULL || (k = (size_t)(dot - v)) == 0 || k >= sizeof(num))
			return cs_fail(e, CS_EINVAL, "next", "malformed next token");
		memcpy(num, v, k);
		num[k] = '\0';
		if (cs_str_to_i64(num, 0, INT64_MAX, &f->next_us) != CS_OK ||
		    !key_ok(dot + 1))
			return cs_fail(e, CS_EINVAL, "next", "malformed next token");
		memcpy(f->next_key, dot + 1, strlen(dot + 1) + 1);
		f->has_next = true;
	}
	return CS_OK;
}

void
taxii_time(int64_t us, char *out, size_t outsz)
{
	time_t s = (time_t)(us / 1000000);
	struct tm tm;

	gmtime_r(&s, &tm);
	cs_fmt(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (long long)(us % 1000000));
}

void
taxii_next_token(int64_t us, const char *key, char *out, size_t outsz)
{
	cs_fmt(out, outsz, "%lld.%s", (long long)us, key);
}

bool
taxii_match(const struct taxii_filter *f, const char *id, const char *type)
{
	size_t i;

	if (f->nids > 0) {
		for (i = 0; i < f->nids; i++)
			if (strcmp(f->ids[i], id) == 0)
				break;
		if (i == f->nids)
			return false;
	}
	if (f->ntypes > 0) {
		for (i = 0; i < f->ntypes; i++)
			if (strcmp(f->types[i], type) == 0)
				break;
		if (i == f->ntypes)
			return false;
	}
	return true;
}
