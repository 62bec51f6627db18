/*
 * breached.c: the breached-password list (ASVS 2.1.7; cishared serve
 * --breached-passwords FILE).  The file holds one password a line, as
 * published lists do; it is kept as sorted 16-byte BLAKE2b digests, so
 * ten million passwords take 160 MB and a lookup is a binary search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/core.h"

#define DIGEST	16
#define MAX_LINES	(50u * 1000 * 1000)

struct cs_breached {
	unsigned char	(*d)[DIGEST];
	size_t		 n;
};

static void
digest(const char *pw, size_t len, unsigned char out[DIGEST])
{
	static const unsigned char key[] = "cishare breached-password list";

	crypto_generichash(out, DIGEST, (const unsigned char *)pw, len, key,
	    sizeof(key) - 1);
}

static int
cmp(const void *a, const void *b)
{
	return memcmp(a, b, DIGEST);
}

struct cs_breached *
core_breached_load(const char *path, struct cs_error *e)
{
	struct cs_breached *b;
	char *line = NULL;
	size_t cap = 0, have = 0;
	ssize_t len;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		cs_fail(e, CS_EIO, "breached-passwords", "cannot open %s", path);
		return NULL;
	}
	b = xcalloc(1, sizeof(*b));
	while ((len = getline(&line, &cap, f)) >= 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (b->n == MAX_LINES) {
			cs_fail(e, CS_ETOOBIG, "breached-passwords", "more than %u "
			    "lines in %s", MAX_LINES, path);
			goto fail;
		}
		if (b->n == have) {
			have = have ? 2 * have : 4096;
			b->d = xreallocarray(b->d, have, DIGEST);
		}
		digest(line, (size_t)len, b->d[b->n++]);
	}
	if (ferror(f)) {
		cs_fail(e, CS_EIO, "breached-passwords", "cannot read %s", path);
		goto fail;
	}
	fclose(f);
	free(line);
	qsort(b->d, b->n, DIGEST, cmp);
	return b;
fail:
	fclose(f);
	free(line);
	core_breached_free(b);
	return NULL;
}

bool
core_breached_has(const struct cs_breached *b, const char *pw)
{
	unsigned char d[DIGEST];

	if (b == NULL || b->n == 0 || pw == NULL)
		return false;
	digest(pw, strlen(pw), d);
	return bsearch(d, b->d, b->n, DIGEST, cmp) != NULL;
}

size_t
core_breached_count(const struct cs_breached *b)
{
	return b != NULL ? b->n : 0;
}

void
core_breached_free(struct cs_breached *b)
{
	if (b == NULL)
		return;
	free(b->d);
	free(b);
}
