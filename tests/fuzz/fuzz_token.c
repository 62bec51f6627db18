/*
 * fuzz_token.c: core_token_parse() (every Authorization: Bearer header)
 * against the token grammar, plus the round trip with core_token_new().
 *
 * core_token_new() issues "cst_<id>_<secret>": id a positive int64 in
 * decimal, secret 64 lowercase hex digits.  The parser must accept every
 * token it issues, and the hash it returns must depend on the secret only.
 * The reference below is that grammar, except that it lets the id have
 * leading zeros, as the parser does (harmless: the id only selects the row
 * whose hash must then match).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_lower_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f');
}

/*
 * 1 if tok is cst_<id>_<secret>: id in [1, INT64_MAX] written in fewer than
 * 24 digits, secret 64 lowercase hex digits.
 */
static int
ref_ok(const char *tok, int64_t *id)
{
	const char *p, *us;
	uint64_t v = 0;
	size_t n;

	if (strncmp(tok, "cst_", 4) != 0)
		return 0;
	p = tok + 4;
	if ((us = strchr(p, '_')) == NULL || (n = (size_t)(us - p)) == 0 ||
	    n >= 24)
		return 0;
	for (; p < us; p++) {
		if (!is_digit(*p))
			return 0;
		if (v > ((uint64_t)INT64_MAX - (uint64_t)(*p - '0')) / 10)
			return 0;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v == 0 || strlen(us + 1) != 64)
		return 0;
	for (p = us + 1; *p != '\0'; p++)
		if (!is_lower_hex(*p))
			return 0;
	*id = (int64_t)v;
	return 1;
}

/* Tokens the server issued must parse back to their id and hash. */
static void
check_issued(int64_t id)
{
	unsigned char h1[32], h2[32];
	int64_t back = 0;
	char *tok;

	tok = core_token_new(id, h1);
	FUZZ_CHECK(core_token_parse(tok, &back, h2) == 0, "issued token %s "
	    "does not parse", tok);
	FUZZ_CHECK(back == id, "token %s parsed as id %lld", tok,
	    (long long)back);
	FUZZ_CHECK(core_hash_eq(h1, h2), "token %s: hash differs", tok);
	FUZZ_CHECK(ref_ok(tok, &back) && back == id, "issued token %s "
	    "outside the grammar", tok);
	free(tok);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char hash[32], h2[32];
	int64_t id = 0, rid = 0, id2 = 0;
	const char *secret;
	char *tok, *canon;
	int rc, ok;

	fuzz_keys_init();
	if (size > 1024)
		return 0;
	tok = fuzz_cstr(data, size);
	rc = core_token_parse(tok, &id, hash);
	ok = ref_ok(tok, &rid);
	FUZZ_CHECK(rc == 0 || rc == -1, "rc %d", rc);
	FUZZ_CHECK((rc == 0) == ok, "core_token_parse(\"%s\") = %d, the "
	    "grammar says %s", tok, rc, ok ? "well-formed" : "malformed");
	if (rc == 0) {
		FUZZ_CHECK(id == rid && id >= 1, "\"%s\": id %lld, "
		    "reference %lld", tok, (long long)id, (long long)rid);
		/* The hash is the secret's alone: the canonical form agrees. */
		secret = strchr(tok + 4, '_') + 1;
		canon = xasprintf("cst_%lld_%s", (long long)id, secret);
		FUZZ_CHECK(core_token_parse(canon, &id2, h2) == 0 &&
		    id2 == id && core_hash_eq(hash, h2), "\"%s\" and \"%s\" "
		    "disagree", tok, canon);
		free(canon);
	}
	/* An id from the input, for the issue-and-parse round trip. */
	id = 1;
	for (size_t i = 0; i < size && i < 8; i++)
		id = (int64_t)(((uint64_t)id << 8 | data[i]) &
		    (uint64_t)INT64_MAX);
	check_issued(id != 0 ? id : 1);
	free(tok);
	return 0;
}
