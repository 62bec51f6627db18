/*
 * stix_id.c: deterministic STIX ids (UUIDv5 through libuuid's
 * uuid_generate_sha1) and STIX timestamps.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <uuid/uuid.h>

#include "interop/stix.h"

enum cs_err
stix_uuid5(const char *ns, const char *name, size_t len, char out[37])
{
	uuid_t n, u;

	out[0] = '\0';
	if (uuid_parse(ns, n) != 0)
		return CS_EINVAL;
	uuid_generate_sha1(u, n, name, len);
	uuid_unparse_lower(u, out);
	return CS_OK;
}

void
stix_id(const char *type, const char *name, char *out, size_t outsz)
{
	char u[37];

	/* STIX_NS is a constant that parses. */
	if (stix_uuid5(STIX_NS, name, strlen(name), u) != CS_OK)
		u[0] = '\0';
	cs_fmt(out, outsz, "%s--%s", type, u);
}

void
stix_time(int64_t us, char *out, size_t outsz)
{
	time_t t;
	struct tm tm;
	int64_t ms;

	if (us < 0)
		us = 0;
	t = (time_t)(us / 1000000);
	ms = (us % 1000000) / 1000;
	gmtime_r(&t, &tm);
	(void)snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)ms);
}

int64_t
stix_time_parse(const char *s)
{
	int64_t us;

	if (s == NULL || cs_time_parse(s, &us) != CS_OK)
		return 0;
	return us;
}
