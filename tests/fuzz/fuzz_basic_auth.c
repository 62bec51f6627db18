/*
 * fuzz_basic_auth.c: http_basic_parse() (every Authorization: Basic header,
 * on /api/v1 and /taxii2) against a reference written from RFC 7617: the
 * scheme case-insensitive, spaces, then standard base64 of "user:password"
 * with a non-empty user and no control characters.  On success out holds
 * "user\0password\0"; on failure the buffer is wiped (no credential left
 * behind in memory).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "fuzz.h"
#include "http/http.h"

#define OUTSZ	512

/* The reference: 0 and user/password when v is a good Basic credential. */
static int
ref(const char *v, size_t n, char *user, char *pw)
{
	unsigned char dec[OUTSZ];
	size_t len = 0;
	const unsigned char *colon;

	if (n < 6 || strncasecmp(v, "Basic ", 6) != 0)
		return -1;
	v += 6;
	n -= 6;
	while (n > 0 && *v == ' ') {
		v++;
		n--;
	}
	if (n == 0 || sodium_base642bin(dec, OUTSZ - 2, v, n, NULL, &len, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0)
		return -1;
	for (size_t i = 0; i < len; i++)
		if (dec[i] < 0x20 || dec[i] == 0x7f)
			return -1;
	if ((colon = memchr(dec, ':', len)) == NULL || colon == dec)
		return -1;
	memcpy(user, dec, (size_t)(colon - dec));
	user[colon - dec] = '\0';
	memcpy(pw, colon + 1, len - (size_t)(colon - dec) - 1);
	pw[len - (size_t)(colon - dec) - 1] = '\0';
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[OUTSZ], user[OUTSZ], pw[OUTSZ];
	char *v;
	int got, want;

	if (size > 4096)
		return 0;
	if (sodium_init() < 0)
		abort();
	v = malloc(size + 1);
	memcpy(v, data, size);
	v[size] = '\0';
	memset(out, 'x', sizeof(out));
	got = http_basic_parse(v, size, out, sizeof(out));
	want = ref(v, size, user, pw);
	FUZZ_CHECK(got == want, "parser %d, reference %d", got, want);
	if (got == 0) {
		FUZZ_CHECK(strcmp(out, user) == 0, "user differs");
		FUZZ_CHECK(strcmp(out + strlen(out) + 1, pw) == 0,
		    "password differs");
	} else
		for (size_t i = 0; i < sizeof(out); i++)
			FUZZ_CHECK(out[i] == 0 || out[i] == 'x',
			    "a refused credential left bytes behind");
	free(v);
	return 0;
}
