/*
 * fuzz_taxii_filter.c: the TAXII query parser (taxii_filter_parse in
 * src/api/taxii_filter.c) and the HTTP Basic and Accept parsers
 * (http_basic_parse, http_taxii_accept_ok in src/http/router.c).  The
 * input is "name=value" lines (the query), or a line "basic:" / "accept:"
 * followed by a header value.
 *
 * Invariants: the parser answers CS_OK or CS_EINVAL naming one of the
 * parameters; on CS_OK the limit is 1–1,000, the match lists within their
 * bounds, each id and type valid, a next token round-trips; a
 * Basic credential decodes to a non-empty login without control bytes and
 * a NUL-terminated password inside the buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/taxii.h"
#include "http/http.h"

#include "fuzz.h"

#define NQ	16

struct q {
	char	*k[NQ];
	char	*v[NQ];
	int	 n;
};

static const char *
get(void *arg, const char *key)
{
	struct q *q = arg;

	for (int i = 0; i < q->n; i++)
		if (strcmp(q->k[i], key) == 0)
			return q->v[i];
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct taxii_filter f;
	struct cs_error e;
	struct q q = { .n = 0 };
	char *s, *line, *save = NULL;

	if (size > 16 * 1024)
		return 0;
	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (strncmp(s, "basic:", 6) == 0) {
		char out[CS_BASIC_MAX];

		if (http_basic_parse(s + 6, strlen(s + 6), out, sizeof(out)) == 0) {
			size_t l = strlen(out);

			FUZZ_CHECK(l > 0 && l + 1 < sizeof(out), "login length");
			for (size_t i = 0; i < l; i++)
				FUZZ_CHECK((unsigned char)out[i] >= 0x20 &&
				    out[i] != 0x7f, "control byte in the login");
			FUZZ_CHECK(memchr(out + l + 1, '\0', sizeof(out) - l - 1) !=
			    NULL, "password not terminated");
		}
		free(s);
		return 0;
	}
	if (strncmp(s, "accept:", 7) == 0) {
		bool a = http_taxii_accept_ok(s + 7);

		FUZZ_CHECK(a == http_taxii_accept_ok(s + 7), "accept");
		free(s);
		return 0;
	}
	for (line = strtok_r(s, "\n", &save); line != NULL && q.n < NQ;
	    line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');

		if (eq == NULL)
			continue;
		*eq = '\0';
		q.k[q.n] = line;
		q.v[q.n++] = eq + 1;
	}
	cs_error_clear(&e);
	if (taxii_filter_parse(get, &q, &f, &e) != CS_OK) {
		FUZZ_CHECK(e.code == CS_EINVAL, "code %d", (int)e.code);
		FUZZ_CHECK(get(&q, e.field) != NULL, "field %s not a parameter",
		    e.field);
	} else {
		FUZZ_CHECK(f.limit >= 1 && f.limit <= TAXII_LIMIT_MAX, "limit");
		FUZZ_CHECK(f.nids <= TAXII_MATCH_MAX && f.ntypes <= TAXII_MATCH_MAX &&
		    f.nversions <= TAXII_MATCH_MAX, "match bounds");
		for (size_t i = 0; i < f.nids; i++)
			FUZZ_CHECK(stix_id_valid(f.ids[i], NULL), "id %s", f.ids[i]);
		for (size_t i = 0; i < f.ntypes; i++)
			FUZZ_CHECK(stix_type_valid(f.types[i]), "type %s",
			    f.types[i]);
		if (f.has_next) {
			struct taxii_filter g;
			struct q q2 = { .n = 1 };
			char tok[TAXII_KEY_MAX + 24];

			taxii_next_token(f.next_us, f.next_key, tok, sizeof(tok));
			q2.k[0] = (char *)"next";
			q2.v[0] = tok;
			FUZZ_CHECK(taxii_filter_parse(get, &q2, &g, &e) == CS_OK &&
			    g.next_us == f.next_us &&
			    strcmp(g.next_key, f.next_key) == 0,
			    "next %s does not round-trip", tok);
		}
	}
	free(s);
	return 0;
}
