/*
 * fuzz_obs_extract.c: the observable extractor (obs_extract in
 * src/analysis/obs_extract.c) over any bytes.
 *
 * Invariants: at most OBS_MAX, each (kind, value) once; every value is
 * printable ASCII without quotes or blanks; CIDR blocks are an address
 * inet_pton reads with its host bits clear and a prefix within the
 * family; CVE ids are "CVE-YYYY-N…"; a value of any kind but URL is found
 * again, the same, when scanned on its own, and obs_normalise takes it
 * whole; the scan is deterministic.  (stix_observables keeps its own
 * target: fuzz_stix_observables.c checks the other kinds against
 * independent references.)
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/obs.h"
#include "fuzz.h"

static void
check_cidr(const char *v)
{
	const char *sl = strrchr(v, '/');
	char a[64];
	unsigned char b[16];
	int64_t len;
	int fam, max;

	FUZZ_CHECK(sl != NULL && (size_t)(sl - v) < sizeof(a), "cidr %s", v);
	memcpy(a, v, (size_t)(sl - v));
	a[sl - v] = '\0';
	fam = strchr(a, ':') != NULL ? AF_INET6 : AF_INET;
	max = fam == AF_INET6 ? 128 : 32;
	FUZZ_CHECK(cs_str_to_i64(sl + 1, 0, max, &len) == CS_OK &&
	    inet_pton(fam, a, b) == 1, "cidr %s", v);
	for (int bit = len; bit < max; bit++)
		FUZZ_CHECK((b[bit / 8] & (0x80u >> (bit % 8))) == 0,
		    "cidr host bits %s", v);
}

static void
check_cve(const char *v)
{
	size_t n = strlen(v);

	FUZZ_CHECK(n >= 13 && strncmp(v, "CVE-", 4) == 0 && v[8] == '-',
	    "cve %s", v);
	for (size_t i = 4; i < n; i++)
		FUZZ_CHECK(i == 8 || isdigit((unsigned char)v[i]), "cve %s", v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct obs *v = NULL, *v2 = NULL, *one, o;
	size_t n = 0, n2 = 0, n1;

	if (size > 64 * 1024)
		return 0;
	obs_extract((const char *)data, size, &v, &n);
	obs_extract((const char *)data, size, &v2, &n2);
	FUZZ_CHECK(n == n2, "not deterministic: %zu then %zu", n, n2);
	FUZZ_CHECK(n <= OBS_MAX, "%zu observables", n);
	for (size_t i = 0; i < n; i++) {
		const char *s = v[i].value;

		FUZZ_CHECK(v[i].kind == v2[i].kind && strcmp(s, v2[i].value) == 0,
		    "not deterministic");
		FUZZ_CHECK(*s != '\0' && *obs_kind_id(v[i].kind) != '\0',
		    "kind %d value %s", (int)v[i].kind, s);
		for (const char *p = s; *p; p++)
			FUZZ_CHECK((unsigned char)*p > 0x20 &&
			    (unsigned char)*p < 0x7f && *p != '\'' && *p != '"',
			    "byte 0x%02x in %s", (unsigned char)*p, s);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(v[j].kind != v[i].kind ||
			    strcmp(v[j].value, s) != 0, "twice: %s", s);
		if (v[i].kind == OBS_CIDR)
			check_cidr(s);
		if (v[i].kind == OBS_CVE)
			check_cve(s);
		free(obs_registrable(&v[i]));
		if (v[i].kind == OBS_URL)
			continue;
		one = NULL;
		n1 = 0;
		obs_extract(s, strlen(s), &one, &n1);
		FUZZ_CHECK(n1 == 1 && one[0].kind == v[i].kind &&
		    strcmp(one[0].value, s) == 0, "%s found again as %zu", s, n1);
		obs_free(one, n1);
		FUZZ_CHECK(obs_normalise(s, &o) && o.kind == v[i].kind &&
		    strcmp(o.value, s) == 0, "normalise %s", s);
		free(o.value);
	}
	obs_free(v, n);
	obs_free(v2, n2);
	return 0;
}
