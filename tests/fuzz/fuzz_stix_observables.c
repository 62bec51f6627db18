/*
 * fuzz_stix_observables.c: the observable scanner of the STIX mapping
 * (stix_observables in src/interop/stix_observable.c) over any bytes.
 *
 * Invariants: at most STIX_OBS_MAX, each (type, value) once; each value
 * is what its kind says, checked by an independent reference (inet_pton
 * for addresses, a hex check for hashes, the DNS label rules for domains
 * and e-mail domains, a scheme for URLs); a value found anywhere is found
 * again, the same, when scanned on its own (URLs excepted: their refanging
 * is not idempotent by design); the scan is deterministic; every pattern
 * is "[<sco>:<path> = '<value quoted>']" and unquotes to the value; every
 * SCO has a "<sco>--" id and the same id twice.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "interop/stix.h"

static bool
ref_label_ok(const char *s, size_t n)
{
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

static bool
ref_domain(const char *s)
{
	const char *dot, *p = s, *tld = NULL;
	int labels = 0;

	for (;;) {
		dot = strchr(p, '.');
		if (!ref_label_ok(p, dot ? (size_t)(dot - p) : strlen(p)))
			return false;
		labels++;
		tld = p;
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	for (p = tld; *p; p++)
		if (!isalpha((unsigned char)*p) || isupper((unsigned char)*p))
			return false;
	return labels >= 2 && strlen(tld) >= 2;
}

static void
check_value(const struct stix_obs *o)
{
	const char *v = o->value;
	size_t n = strlen(v);
	unsigned char a6[16];
	struct in_addr a4;
	char back[INET6_ADDRSTRLEN];
	const char *at;

	FUZZ_CHECK(n > 0, "empty value of type %d", (int)o->type);
	switch (o->type) {
	case STIX_OBS_IPV4:
		FUZZ_CHECK(inet_pton(AF_INET, v, &a4) == 1, "ipv4 %s", v);
		FUZZ_CHECK(inet_ntop(AF_INET, &a4, back, sizeof(back)) != NULL &&
		    strcmp(back, v) == 0, "ipv4 not canonical: %s", v);
		break;
	case STIX_OBS_IPV6:
		FUZZ_CHECK(inet_pton(AF_INET6, v, a6) == 1, "ipv6 %s", v);
		FUZZ_CHECK(inet_ntop(AF_INET6, a6, back, sizeof(back)) != NULL &&
		    strcmp(back, v) == 0, "ipv6 not canonical: %s", v);
		break;
	case STIX_OBS_DOMAIN:
		FUZZ_CHECK(ref_domain(v), "domain %s", v);
		break;
	case STIX_OBS_EMAIL:
		at = strchr(v, '@');
		FUZZ_CHECK(at != NULL && at != v && strchr(at + 1, '@') == NULL &&
		    ref_domain(at + 1), "email %s", v);
		break;
	case STIX_OBS_URL:
		FUZZ_CHECK(strncmp(v, "http://", 7) == 0 ||
		    strncmp(v, "https://", 8) == 0 || strncmp(v, "ftp://", 6) == 0,
		    "url %s", v);
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK(v[i] > 0x20 && v[i] < 0x7f && v[i] != '\'' &&
			    v[i] != '"' && v[i] != '<' && v[i] != '>',
			    "url byte 0x%02x in %s", (unsigned char)v[i], v);
		break;
	case STIX_OBS_MD5:
	case STIX_OBS_SHA1:
	case STIX_OBS_SHA256:
		FUZZ_CHECK(n == (o->type == STIX_OBS_MD5 ? 32u :
		    o->type == STIX_OBS_SHA1 ? 40u : 64u), "hash length %zu", n);
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK(isxdigit((unsigned char)v[i]) &&
			    !isupper((unsigned char)v[i]), "hash %s", v);
		break;
	default:
		FUZZ_CHECK(0, "unknown type %d", (int)o->type);
	}
}

/* The pattern's literal, unquoted, equals the value. */
static void
check_pattern(const struct stix_obs *o)
{
	char *p = stix_obs_pattern(o), *lit, *u, *w;
	size_t n;

	FUZZ_CHECK(p != NULL, "no pattern for %s", o->value);
	n = strlen(p);
	FUZZ_CHECK(p[0] == '[' && n > 4 && strcmp(p + n - 2, "']") == 0,
	    "pattern shape %s", p);
	FUZZ_CHECK(strncmp(p + 1, stix_obs_sco_type(o->type),
	    strlen(stix_obs_sco_type(o->type))) == 0, "pattern type %s", p);
	lit = strstr(p, " = '");
	FUZZ_CHECK(lit != NULL, "pattern %s", p);
	lit += 4;
	u = w = xmalloc(strlen(lit) + 1);
	for (; *lit && !(lit[0] == '\'' && lit[1] == ']' && lit[2] == '\0');
	    lit++) {
		if (*lit == '\\') {
			lit++;
			FUZZ_CHECK(*lit == '\\' || *lit == '\'', "escape in %s", p);
		} else
			FUZZ_CHECK(*lit != '\'', "unescaped quote in %s", p);
		*w++ = *lit;
	}
	*w = '\0';
	FUZZ_CHECK(strcmp(u, o->value) == 0, "pattern %s unquotes to %s", p, u);
	free(u);
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stix_obs *v = NULL, *v2 = NULL, *one;
	size_t n = 0, n2 = 0, n1;

	if (size > 64 * 1024)
		return 0;
	stix_observables((const char *)data, size, &v, &n);
	stix_observables((const char *)data, size, &v2, &n2);
	FUZZ_CHECK(n == n2, "not deterministic: %zu then %zu", n, n2);
	FUZZ_CHECK(n <= STIX_OBS_MAX, "%zu observables", n);
	for (size_t i = 0; i < n; i++) {
		json_t *a, *b;

		FUZZ_CHECK(v[i].type == v2[i].type &&
		    strcmp(v[i].value, v2[i].value) == 0, "not deterministic");
		check_value(&v[i]);
		check_pattern(&v[i]);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(v[j].type != v[i].type ||
			    strcmp(v[j].value, v[i].value) != 0, "twice: %s",
			    v[i].value);
		a = stix_obs_sco(&v[i]);
		b = stix_obs_sco(&v[i]);
		FUZZ_CHECK(a != NULL && b != NULL, "no SCO for %s", v[i].value);
		FUZZ_CHECK(strncmp(json_string_value(json_object_get(a, "id")),
		    stix_obs_sco_type(v[i].type),
		    strlen(stix_obs_sco_type(v[i].type))) == 0 &&
		    strcmp(json_string_value(json_object_get(a, "id")),
		    json_string_value(json_object_get(b, "id"))) == 0,
		    "SCO id of %s", v[i].value);
		json_decref(a);
		json_decref(b);
		if (v[i].type == STIX_OBS_URL)
			continue;
		one = NULL;
		n1 = 0;
		stix_observables(v[i].value, strlen(v[i].value), &one, &n1);
		FUZZ_CHECK(n1 >= 1 && one[0].type == v[i].type &&
		    strcmp(one[0].value, v[i].value) == 0,
		    "%s found again as %zu observables", v[i].value, n1);
		stix_obs_free(one, n1);
	}
	stix_obs_free(v, n);
	stix_obs_free(v2, n2);
	return 0;
}
