/*
 * fuzz_attach_name.c: the attachment metadata a client sends (src/core/
 * attach.c): the file name of ?name=, the request's Content-Type, and the
 * JSON body of a sample answer.  The input is the name up to the first
 * newline, the Content-Type up to the second, then the answer body.
 * Checked: an accepted name is valid UTF-8 of 1..255 bytes with no path
 * separator or control character; its Content-Disposition is printable
 * ASCII without a line break and its filename* decodes back to the name;
 * the served type is one of the safe list (a fixed point) whatever was
 * sent; an accepted answer is exactly one of an attachment id > 0 and a
 * non-empty decline.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/attach.h"
#include "fuzz.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
check_name(const char *name)
{
	struct cs_error e;
	const unsigned char *p;
	char *cd, *star, *dec;
	size_t n = strlen(name), k = 0;

	if (core_attach_name_check(name, &e) != CS_OK) {
		FUZZ_CHECK(strcmp(e.field, "name") == 0, "refusal names %s",
		    e.field);
		return;
	}
	FUZZ_CHECK(n >= 1 && n <= CS_ATTACH_NAME_MAX, "length %zu", n);
	FUZZ_CHECK(cs_utf8_len(name, n) >= 0, "accepted bad UTF-8");
	for (p = (const unsigned char *)name; *p; p++)
		FUZZ_CHECK(*p >= 0x20 && *p != 0x7f && *p != '/' && *p != '\\',
		    "accepted byte %02x", *p);
	cd = core_attach_disposition(name);
	for (p = (const unsigned char *)cd; *p; p++)
		FUZZ_CHECK(*p >= 0x20 && *p < 0x7f, "header byte %02x", *p);
	FUZZ_CHECK(strncmp(cd, "attachment; filename=\"", 22) == 0, "%s", cd);
	/* The fallback holds no quote: filename* (if any) follows its end. */
	star = strchr(cd + 22, '"');
	FUZZ_CHECK(star != NULL, "unterminated fallback in %s", cd);
	star++;
	FUZZ_CHECK(*star == '\0' || strncmp(star, "; filename*=UTF-8''", 19) == 0,
	    "after the fallback: %s", star);
	if (*star != '\0') {
		dec = xmalloc(strlen(star) + 1);
		for (const char *s = star + 19; *s; s++) {
			if (*s == '%') {
				int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);

				FUZZ_CHECK(hi >= 0 && lo >= 0, "bad escape in %s", cd);
				dec[k++] = (char)(hi * 16 + lo);
				s += 2;
			} else
				dec[k++] = *s;
		}
		dec[k] = '\0';
		FUZZ_CHECK(strcmp(dec, name) == 0, "filename* is not the name");
		free(dec);
	} else
		for (p = (const unsigned char *)name; *p; p++)
			FUZZ_CHECK(*p < 0x80, "a non-ASCII name without filename*");
	free(cd);
}

static void
check_type(const char *given)
{
	char out[CS_ATTACH_TYPE_MAX + 1], again[CS_ATTACH_TYPE_MAX + 1];

	core_attach_content_type(given, out, sizeof(out));
	core_attach_content_type(out, again, sizeof(again));
	FUZZ_CHECK(strcmp(out, again) == 0, "%s is not a safe type", out);
	FUZZ_CHECK(strstr(out, "html") == NULL && strstr(out, "svg") == NULL &&
	    strstr(out, "script") == NULL, "%s served", out);
}

static void
check_answer(const char *text, size_t n)
{
	struct cs_error e;
	const char *decline;
	int64_t att;
	json_t *j = json_loadb(text, n, JSON_REJECT_DUPLICATES, NULL);

	if (j == NULL)
		return;
	if (core_sample_answer_check(j, &att, &decline, &e) == CS_OK)
		FUZZ_CHECK((att > 0) != (decline != NULL && decline[0] != '\0'),
		    "answer att=%lld decline=%p", (long long)att,
		    (const void *)decline);
	json_decref(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *nl, *nl2, *type = NULL, *rest = NULL;

	if (size > 8192)
		return 0;
	buf = xmalloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	if ((nl = memchr(buf, '\n', size)) != NULL) {
		*nl = '\0';
		type = nl + 1;
		if ((nl2 = strchr(type, '\n')) != NULL) {
			*nl2 = '\0';
			rest = nl2 + 1;
		}
	}
	if (strlen(buf) == (nl != NULL ? (size_t)(nl - buf) : size))
		check_name(buf);
	if (type != NULL)
		check_type(type);
	if (rest != NULL)
		check_answer(rest, size - (size_t)(rest - buf));
	free(buf);
	return 0;
}
