/*
 * fuzz_cookie.c: the session cookie and the CSRF token (src/http/parse.c):
 * http_cookie_find() over a Cookie header's value, and http_csrf_ok()
 * over an X-CSRF-Token value.  The input is the Cookie value, then
 * optionally a newline and the X-CSRF-Token value.
 *
 * Invariants:
 *  - the answer (absent, found, ambiguous) and the value found are those
 *    of a reference written apart from RFC 6265 section 5.4 (split at
 *    ';', trim SP and HTAB, a piece without '=' is no cookie, exact
 *    names, one pair of double quotes dropped, a name twice ambiguous),
 *    for the session cookie's name and for a one-letter name;
 *  - nothing is read outside the header (the copy is exactly sized); a
 *    value found lies inside it and holds no ';';
 *  - only the named cookie is picked: cookies of other names added
 *    before or after change nothing; the named one added to a header
 *    without it is found with its value, added to one with it makes it
 *    ambiguous;
 *  - http_csrf_ok() is true exactly when the value is the session token's
 *    CSRF token, computed apart (the keyed BLAKE2b of core/crypto.c with
 *    its key derived here from the master key): never for NULL, a prefix,
 *    an extension, one byte changed or another case.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "fuzz.h"
#include "http/http.h"

#define MAXPAIRS	64

struct pair {
	const char	*name;
	size_t		 nlen;
	const char	*val;
	size_t		 vlen;
};

static int
blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The reference: every pair of the header, RFC 6265 section 5.4 style. */
static size_t
ref_pairs(const char *h, size_t n, struct pair *p, size_t max)
{
	size_t np = 0;
	const char *cur = h, *end = h + n;

	while (cur <= end && np < max) {
		const char *semi = memchr(cur, ';', (size_t)(end - cur));
		const char *a = cur, *b = semi != NULL ? semi : end, *eq;

		cur = b + 1;
		while (a < b && blank(*a))
			a++;
		while (b > a && blank(b[-1]))
			b--;
		if ((eq = memchr(a, '=', (size_t)(b - a))) != NULL) {
			const char *ne = eq, *vs = eq + 1, *ve = b;

			while (ne > a && blank(ne[-1]))
				ne--;
			while (vs < ve && blank(*vs))
				vs++;
			if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
				vs++;
				ve--;
			}
			p[np++] = (struct pair){ a, (size_t)(ne - a), vs,
			    (size_t)(ve - vs) };
		}
		if (semi == NULL)
			break;
	}
	return np;
}

/* *np: the pairs read; MAXPAIRS means the reference stopped short. */
static enum http_cookie
ref_find(const char *h, size_t n, const char *name, const char **v,
    size_t *vl, size_t *npairs)
{
	struct pair p[MAXPAIRS];
	size_t np = ref_pairs(h, n, p, MAXPAIRS), hits = 0;

	*npairs = np;
	*v = NULL;
	*vl = 0;
	for (size_t i = 0; i < np; i++)
		if (p[i].nlen == strlen(name) && memcmp(p[i].name, name,
		    p[i].nlen) == 0) {
			hits++;
			*v = p[i].val;
			*vl = p[i].vlen;
		}
	if (hits > 1) {
		*v = NULL;
		*vl = 0;
	}
	return hits == 0 ? HTTP_COOKIE_ABSENT : hits == 1 ? HTTP_COOKIE_FOUND :
	    HTTP_COOKIE_AMBIGUOUS;
}

/* Run the parser on an exactly sized copy of h; the value comes back copied. */
static enum http_cookie
find_copy(const char *h, size_t n, const char *name, char **val, size_t *vl)
{
	char *c = xmalloc(n > 0 ? n : 1);
	const char *v;
	enum http_cookie k;

	if (n > 0)
		memcpy(c, h, n);
	k = http_cookie_find(c, n, name, &v, vl);
	*val = NULL;
	if (k == HTTP_COOKIE_FOUND) {
		FUZZ_CHECK(v != NULL && v >= c && v + *vl <= c + n,
		    "value outside the header");
		FUZZ_CHECK(memchr(v, ';', *vl) == NULL, "a ';' in the value");
		*val = xmalloc(*vl + 1);
		memcpy(*val, v, *vl);
		(*val)[*vl] = '\0';
	} else
		FUZZ_CHECK(v == NULL && *vl == 0, "a value with answer %d", (int)k);
	free(c);
	return k;
}

static void
check_name(const char *h, size_t n, const char *name)
{
	const char *rv;
	size_t rl, vl, vl2, np;
	char *val, *val2, *wide;
	enum http_cookie k, rk, k2;
	size_t wn;

	k = find_copy(h, n, name, &val, &vl);
	rk = ref_find(h, n, name, &rv, &rl, &np);
	if (np < MAXPAIRS) {
		FUZZ_CHECK(k == rk, "%s: answer %d, reference %d", name, (int)k,
		    (int)rk);
		if (k == HTTP_COOKIE_FOUND)
			FUZZ_CHECK(vl == rl && memcmp(val, rv, vl) == 0,
			    "%s: value differs from the reference", name);
	}
	/* Other cookies around it change nothing. */
	wn = n + 64;
	wide = xmalloc(wn);
	wn = (size_t)snprintf(wide, wn, "zz%s=1; ", name);
	memcpy(wide + wn, h, n);
	wn += n;
	memcpy(wide + wn, "; y=", 4);
	wn += 4;
	k2 = find_copy(wide, wn, name, &val2, &vl2);
	FUZZ_CHECK(k2 == k && (k != HTTP_COOKIE_FOUND || (vl2 == vl &&
	    memcmp(val2, val, vl) == 0)), "%s: other cookies changed the answer",
	    name);
	free(val2);
	/* The named cookie added: found when it was absent, else ambiguous. */
	wn = (size_t)snprintf(wide, n + 64, "%s=tok; ", name);
	memcpy(wide + wn, h, n);
	wn += n;
	k2 = find_copy(wide, wn, name, &val2, &vl2);
	if (k == HTTP_COOKIE_ABSENT)
		FUZZ_CHECK(k2 == HTTP_COOKIE_FOUND && vl2 == 3 &&
		    memcmp(val2, "tok", 3) == 0, "%s: added cookie not found", name);
	else
		FUZZ_CHECK(k2 == HTTP_COOKIE_AMBIGUOUS, "%s: a second one not "
		    "ambiguous", name);
	free(val2);
	free(wide);
	free(val);
}

/* The CSRF token of tok as src/core/crypto.c derives it, computed apart. */
static void
ref_csrf(const char *tok, char out[33])
{
	unsigned char master[CS_KEY_BYTES], k[32], h[16];

	for (size_t i = 0; i < sizeof(master); i++)
		master[i] = (unsigned char)(0xa5 ^ i);
	crypto_kdf_derive_from_key(k, sizeof(k), 4, "cishare1", master);
	crypto_generichash(h, sizeof(h), (const unsigned char *)tok,
	    strlen(tok), k, sizeof(k));
	for (size_t i = 0; i < sizeof(h); i++) {
		out[2 * i] = "0123456789abcdef"[h[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[h[i] & 15];
	}
	out[32] = '\0';
}

static void
check_csrf(const char *tok, const char *sent)
{
	char want[33], v[40];

	ref_csrf(tok, want);
	FUZZ_CHECK(http_csrf_ok(tok, sent) == (strcmp(sent, want) == 0),
	    "csrf answer differs from an exact comparison");
	FUZZ_CHECK(http_csrf_ok(tok, want), "the right token refused");
	FUZZ_CHECK(!http_csrf_ok(tok, NULL) && !http_csrf_ok(NULL, want),
	    "NULL accepted");
	memcpy(v, want, 33);
	v[31] = '\0';
	FUZZ_CHECK(!http_csrf_ok(tok, v), "a prefix accepted");
	memcpy(v, want, 32);
	v[32] = 'a';
	v[33] = '\0';
	FUZZ_CHECK(!http_csrf_ok(tok, v), "an extension accepted");
	FUZZ_CHECK(!http_csrf_ok(tok, ""), "empty accepted");
	for (size_t i = 0; i < 32; i += 7) {
		memcpy(v, want, 33);
		v[i] = (char)(v[i] == 'a' ? 'b' : 'a');
		FUZZ_CHECK(!http_csrf_ok(tok, v), "one byte changed accepted");
		memcpy(v, want, 33);
		v[i] = (char)toupper((unsigned char)v[i]);
		if (v[i] != want[i])
			FUZZ_CHECK(!http_csrf_ok(tok, v), "upper case accepted");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *h = (const char *)data, *nl;
	size_t n = size;
	char *tok, *sent, *val;
	size_t vl;

	if (size > 8192)
		return 0;
	fuzz_keys_init();
	if ((nl = memchr(h, '\n', size)) != NULL)
		n = (size_t)(nl - h);
	check_name(h, n, API_SESSION_COOKIE);
	check_name(h, n, "a");
	/* The CSRF check: the session cookie's value (else a fixed token). */
	if (find_copy(h, n, API_SESSION_COOKIE, &val, &vl) == HTTP_COOKIE_FOUND &&
	    strlen(val) == vl)
		tok = val;
	else {
		free(val);
		tok = xstrdup("cst_1_0123456789abcdef0123456789abcdef0123456789"
		    "abcdef0123456789abcdef");
	}
	sent = nl != NULL ? fuzz_cstr((const uint8_t *)nl + 1,
	    size - n - 1) : xstrdup("");
	if (strlen(sent) == (nl != NULL ? size - n - 1 : 0))
		check_csrf(tok, sent);
	free(sent);
	free(tok);
	return 0;
}
