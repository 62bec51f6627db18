/*
 * stix_observable.c: the observables of an advisory's text as STIX SCOs
 * and patterns.  The scanner is the one of the observable index
 * (analysis/obs.h, src/analysis/obs_extract.c); STIX takes its addresses,
 * domains, URLs, e-mail addresses and hashes (CIDR blocks and CVE ids are
 * left to the index).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/obs.h"
#include "interop/stix.h"

/* enum stix_obs_type is the first STIX_OBS__COUNT kinds of enum obs_kind. */
_Static_assert((int)STIX_OBS_IPV4 == (int)OBS_IPV4 &&
    (int)STIX_OBS_URL == (int)OBS_URL && (int)STIX_OBS_SHA256 == (int)OBS_SHA256 &&
    (int)STIX_OBS__COUNT == (int)OBS_CIDR, "stix_obs_type follows obs_kind");

void
stix_observables(const char *text, size_t len, struct stix_obs **v, size_t *n)
{
	struct obs *o = NULL;
	size_t no = 0;

	obs_extract(text, len, &o, &no);
	for (size_t i = 0; i < no; i++) {
		if ((int)o[i].kind >= (int)STIX_OBS__COUNT || *n >= STIX_OBS_MAX)
			continue;
		for (size_t k = 0; k < *n; k++)
			if ((int)(*v)[k].type == (int)o[i].kind &&
			    strcmp((*v)[k].value, o[i].value) == 0)
				goto next;
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		(*v)[*n].type = (enum stix_obs_type)o[i].kind;
		(*v)[*n].value = o[i].value;
		o[i].value = NULL;
		(*n)++;
next:		;
	}
	obs_free(o, no);
}

void
stix_obs_free(struct stix_obs *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].value);
	free(v);
}

/* ---- SCOs and patterns ------------------------------------------------------------ */

static const struct {
	const char	*sco;
	const char	*path;		/* the pattern's object path */
	const char	*hash;		/* hashes key, for files */
} kinds[STIX_OBS__COUNT] = {
	[STIX_OBS_IPV4] =	{ "ipv4-addr", "value", NULL },
	[STIX_OBS_IPV6] =	{ "ipv6-addr", "value", NULL },
	[STIX_OBS_DOMAIN] =	{ "domain-name", "value", NULL },
	[STIX_OBS_URL] =	{ "url", "value", NULL },
	[STIX_OBS_EMAIL] =	{ "email-addr", "value", NULL },
	[STIX_OBS_MD5] =	{ "file", "hashes.MD5", "MD5" },
	[STIX_OBS_SHA1] =	{ "file", "hashes.'SHA-1'", "SHA-1" },
	[STIX_OBS_SHA256] =	{ "file", "hashes.'SHA-256'", "SHA-256" },
};

const char *
stix_obs_sco_type(enum stix_obs_type t)
{
	return (unsigned)t < STIX_OBS__COUNT ? kinds[t].sco : "x-unknown";
}

json_t *
stix_obs_sco(const struct stix_obs *o)
{
	json_t *props, *j;
	char *canon, u[37], id[STIX_ID_MAX];

	if ((unsigned)o->type >= STIX_OBS__COUNT)
		return NULL;
	/* §2.9: the id contributing properties, canonical JSON (RFC 8785). */
	props = kinds[o->type].hash != NULL ?
	    json_pack("{s:{s:s}}", "hashes", kinds[o->type].hash, o->value) :
	    json_pack("{s:s}", "value", o->value);
	if (props == NULL)
		return NULL;
	canon = json_dumps(props, JSON_COMPACT | JSON_SORT_KEYS);
	if (canon == NULL || stix_uuid5(STIX_SCO_NS, canon, strlen(canon),
	    u) != CS_OK) {
		free(canon);
		json_decref(props);
		return NULL;
	}
	free(canon);
	cs_fmt(id, sizeof(id), "%s--%s", kinds[o->type].sco, u);
	j = json_pack("{s:s, s:s, s:s}", "type", kinds[o->type].sco,
	    "spec_version", "2.1", "id", id);
	json_object_update(j, props);
	json_decref(props);
	return j;
}

char *
stix_pattern_quote(const char *s)
{
	struct cs_buf b;

	cs_buf_init(&b, 2 * strlen(s) + 1);
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			cs_buf_add(&b, "\\", 1);
		cs_buf_add(&b, s, 1);
	}
	return cs_buf_finish(&b);
}

char *
stix_obs_pattern(const struct stix_obs *o)
{
	char *q, *p;

	if ((unsigned)o->type >= STIX_OBS__COUNT)
		return NULL;
	q = stix_pattern_quote(o->value);
	if (q == NULL)
		return NULL;
	p = xasprintf("[%s:%s = '%s']", kinds[o->type].sco,
	    kinds[o->type].path, q);
	free(q);
	return p;
}
