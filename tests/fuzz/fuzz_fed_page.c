/*
 * fuzz_fed_page.c: what the federation poller parses from a peer (the
 * TAXII envelope of a page, fed_page_parse in src/interop/fed.c; the
 * X-TAXII-Date-Added-Last cursor, fed_cursor_valid; the page URL built
 * from what the peer said, fed_page_url) over any bytes.
 *
 * Invariants: it answers CS_OK, CS_EINVAL or CS_ETOOBIG, the same twice;
 * on CS_OK, kept + dropped = sent, no kept object is TLP:RED or labelled
 * "drill", `next` is printable ASCII of at most FED_NEXT_MAX bytes and the
 * page URL with it and any cursor holds no byte outside 0x21-0x7e (every
 * value percent-encoded) and starts with the root; a valid cursor is a
 * STIX timestamp; the back-off never shrinks as failures grow and never
 * passes an hour unless the interval does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "interop/fed.h"
#include "interop/stix.h"

static bool
drill(const json_t *o)
{
	const json_t *v;
	size_t i;

	json_array_foreach(json_object_get(o, "labels"), i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), "drill") == 0)
			return true;
	return false;
}

static void
url_check(const char *cursor, const char *next)
{
	static const char root[] = "http://127.0.0.1:1/taxii2/r/";
	char *u = fed_page_url(root, "advisories", cursor, next, 100);

	FUZZ_CHECK(u != NULL, "no url");
	FUZZ_CHECK(strncmp(u, root, sizeof(root) - 1) == 0, "root lost: %s", u);
	for (const char *p = u; *p; p++)
		FUZZ_CHECK(*p > 0x20 && *p < 0x7f, "raw byte 0x%02x in the url",
		    (unsigned char)*p);
	free(u);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fed_page p, q;
	struct cs_error e, e2;
	enum cs_err a, b;
	char *s;
	const json_t *o;
	size_t i;

	if (size > 256 * 1024)
		return 0;
	cs_error_clear(&e);
	cs_error_clear(&e2);
	a = fed_page_parse((const char *)data, size, &p, &e);
	b = fed_page_parse((const char *)data, size, &q, &e2);
	FUZZ_CHECK(a == CS_OK || a == CS_EINVAL || a == CS_ETOOBIG, "answer %d",
	    (int)a);
	FUZZ_CHECK(a == b && strcmp(e.field, e2.field) == 0, "not deterministic");
	if (a == CS_OK) {
		const json_t *objs = json_object_get(p.envelope, "objects");

		FUZZ_CHECK(json_is_array(objs), "no objects list");
		FUZZ_CHECK((int)json_array_size(objs) + p.dropped_red +
		    p.dropped_drill == p.total, "kept %zu + %d + %d != %d",
		    json_array_size(objs), p.dropped_red, p.dropped_drill, p.total);
		json_array_foreach(objs, i, o) {
			FUZZ_CHECK(stix_object_tlp(o) != TLP_RED, "RED kept (%zu)", i);
			FUZZ_CHECK(!drill(o), "drill object kept (%zu)", i);
		}
		if (p.next != NULL) {
			FUZZ_CHECK(strlen(p.next) <= FED_NEXT_MAX, "next too long");
			url_check(NULL, p.next);
		}
		FUZZ_CHECK(p.more == q.more && (p.next == NULL) == (q.next == NULL),
		    "not deterministic (more/next)");
	}
	fed_page_fini(&p);
	fed_page_fini(&q);
	/* The bytes as a header value: the cursor check and the URL. */
	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (fed_cursor_valid(s)) {
		FUZZ_CHECK(stix_timestamp_us(s) >= 0, "cursor %s", s);
		url_check(s, NULL);
	}
	if (size <= 4096)
		url_check(s, s);
	free(s);
	/* The back-off schedule. */
	if (size >= 2) {
		int iv = (data[0] | data[1] << 8) % 100000 + 1;
		int64_t prev = 0;

		for (int k = 0; k < 40; k++) {
			int64_t d = fed_delay_us(iv, k);

			FUZZ_CHECK(d >= prev, "back-off shrinks at %d", k);
			FUZZ_CHECK(d >= (int64_t)iv * 1000000, "below the interval");
			FUZZ_CHECK(d <= FED_BACKOFF_MAX_US ||
			    d == (int64_t)iv * 1000000, "over an hour");
			prev = d;
		}
	}
	return 0;
}
