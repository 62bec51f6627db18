/*
 * attach.c: attachments (別紙) and samples on request (検体), the pure
 * parts (see attach.h).  The policy functions are in policy.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/attach.h"

#define KEYHDR	(crypto_secretstream_xchacha20poly1305_KEYBYTES + \
		 crypto_secretstream_xchacha20poly1305_HEADERBYTES)

enum cs_err
core_attach_name_check(const char *name, struct cs_error *e)
{
	const unsigned char *p;
	size_t n;

	if (name == NULL || name[0] == '\0')
		return cs_fail(e, CS_EINVAL, "name", "required: the file name "
		    "(?name=)");
	n = strlen(name);
	if (n > CS_ATTACH_NAME_MAX)
		return cs_fail(e, CS_EINVAL, "name", "at most %d bytes",
		    CS_ATTACH_NAME_MAX);
	if (cs_utf8_len(name, n) < 0)
		return cs_fail(e, CS_EINVAL, "name", "must be UTF-8");
	for (p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 &&
		    p[1] <= 0x9f))
			return cs_fail(e, CS_EINVAL, "name", "must not contain "
			    "control characters");
		if (*p == '/' || *p == '\\')
			return cs_fail(e, CS_EINVAL, "name", "must not contain "
			    "a path separator");
	}
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return cs_fail(e, CS_EINVAL, "name", "must be a file name");
	if (name[0] == ' ' || name[n - 1] == ' ')
		return cs_fail(e, CS_EINVAL, "name", "must not begin or end "
		    "with a space");
	return CS_OK;
}

/* Served as sent: nothing a browser runs or renders as a page. */
static const char *const safe_types[] = {
	"application/octet-stream", "text/plain", "text/csv",
	"application/pdf", "application/json", "application/stix+json",
	"application/zip", "application/gzip", "application/x-gzip",
	"application/x-7z-compressed", "application/x-tar",
	"application/vnd.tcpdump.pcap", "application/msword",
	"application/vnd.ms-excel", "application/vnd.ms-powerpoint",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"image/png", "image/jpeg", "image/gif", "image/webp", "message/rfc822",
	NULL
};

void
core_attach_content_type(const char *given, char *out, size_t outsz)
{
	char t[CS_ATTACH_TYPE_MAX + 1];
	size_t n = 0;

	cs_fmt(out, outsz, "%s", "application/octet-stream");
	if (given == NULL)
		return;
	while (*given == ' ')
		given++;
	for (; given[n] != '\0' && given[n] != ';' && given[n] != ' '; n++) {
		if (n >= CS_ATTACH_TYPE_MAX)
			return;
		t[n] = (char)tolower((unsigned char)given[n]);
	}
	t[n] = '\0';
	for (size_t i = 0; safe_types[i] != NULL; i++)
		if (strcmp(t, safe_types[i]) == 0) {
			cs_fmt(out, outsz, "%s", safe_types[i]);
			return;
		}
}

/* RFC 8187 attr-char: ALPHA DIGIT and !#$&+-.^_`|~ */
static bool
attr_char(unsigned char c)
{
	return isalnum(c) || strchr("!#$&+-.^_`|~", c) != NULL;
}

char *
core_attach_disposition(const char *name)
{
	struct cs_buf b;
	bool ascii = true;
	char *out;

	cs_buf_init(&b, 4096);
	cs_buf_adds(&b, "attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p >= 0x80)
			ascii = false;
		if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\') {
			/* one '_' per character, not per byte */
			if (*p < 0x80 || *p >= 0xc0)
				cs_buf_add(&b, "_", 1);
		} else
			cs_buf_add(&b, p, 1);
	}
	cs_buf_adds(&b, "\"");
	if (!ascii) {
		cs_buf_adds(&b, "; filename*=UTF-8''");
		for (const unsigned char *p = (const unsigned char *)name; *p;
		    p++) {
			if (attr_char(*p))
				cs_buf_add(&b, p, 1);
			else
				cs_buf_printf(&b, "%%%02X", *p);
		}
	}
	out = cs_buf_finish(&b);
	return out != NULL ? out : xstrdup("attachment");
}

/* A required, non-empty string without control characters (but line breaks). */
static enum cs_err
text_arg(json_t *body, const char *key, size_t max, bool multiline,
    const char **out, struct cs_error *e)
{
	json_t *v = json_object_get(body, key);
	const unsigned char *s;
	enum cs_err rc;

	if (v == NULL || json_is_null(v))
		return cs_fail(e, CS_EINVAL, key, "required field is missing");
	if ((rc = core_check_string(v, max, key, e)) != CS_OK)
		return rc;
	s = (const unsigned char *)json_string_value(v);
	for (const unsigned char *p = s; *p; p++) {
		if (multiline && (*p == '\n' || *p == '\r' || *p == '\t'))
			continue;
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 &&
		    p[1] <= 0x9f))
			return cs_fail(e, CS_EINVAL, key, "must not contain "
			    "control characters");
	}
	for (const unsigned char *p = s; *p; p++)
		if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t') {
			*out = (const char *)s;
			return CS_OK;
		}
	return cs_fail(e, CS_EINVAL, key, "must not be empty");
}

enum cs_err
core_sample_check(json_t *body, struct cs_sample_in *in, struct cs_error *e)
{
	enum cs_err rc;

	memset(in, 0, sizeof(*in));
	if (!json_is_object(body))
		return cs_fail(e, CS_EINVAL, "", "the body must be an object");
	if ((rc = text_arg(body, "what", CS_MAX_STRING, false, &in->what,
	    e)) != CS_OK)
		return rc;
	return text_arg(body, "reason", CS_MAX_TEXT, true, &in->reason, e);
}

enum cs_err
core_sample_answer_check(json_t *body, int64_t *attachment,
    const char **decline, struct cs_error *e)
{
	json_t *a, *d;

	*attachment = 0;
	*decline = NULL;
	if (!json_is_object(body))
		return cs_fail(e, CS_EINVAL, "", "the body must be an object");
	a = json_object_get(body, "attachment");
	d = json_object_get(body, "decline");
	if (a != NULL && json_is_null(a))
		a = NULL;
	if (d != NULL && json_is_null(d))
		d = NULL;
	if (a != NULL && d != NULL)
		return cs_fail(e, CS_EINVAL, "decline", "answer with an "
		    "attachment or decline, not both");
	if (a == NULL && d == NULL)
		return cs_fail(e, CS_EINVAL, "attachment", "required: "
		    "\"attachment\" (the id of the sample) or \"decline\"");
	if (a != NULL) {
		if (!json_is_integer(a) || json_integer_value(a) <= 0)
			return cs_fail(e, CS_EINVAL, "attachment", "must be the "
			    "id of an attachment you added to the report");
		*attachment = json_integer_value(a);
		return CS_OK;
	}
	return text_arg(body, "decline", CS_MAX_TEXT, true, decline, e);
}

const char *
core_sample_state_id(enum cs_sample_state s)
{
	switch (s) {
	case SAMPLE_OPEN:	return "open";
	case SAMPLE_ANSWERED:	return "answered";
	case SAMPLE_DECLINED:	return "declined";
	}
	return "unknown";
}

/* ---- sealing ----------------------------------------------------------- */

char *
core_attach_seal_begin(struct cs_attach_seal *s, const unsigned char pk[32])
{
	unsigned char kh[KEYHDR];
	char hex[2 * KEYHDR + 1], *sealed;

	crypto_secretstream_xchacha20poly1305_keygen(kh);
	crypto_secretstream_xchacha20poly1305_init_push(&s->st,
	    kh + crypto_secretstream_xchacha20poly1305_KEYBYTES, kh);
	core_hex(kh, KEYHDR, hex);
	sealed = core_seal_to(pk, hex);
	sodium_memzero(kh, sizeof(kh));
	sodium_memzero(hex, sizeof(hex));
	return sealed;
}

void
core_attach_seal_chunk(struct cs_attach_seal *s, const void *in, size_t n,
    bool last, unsigned char *out)
{
	crypto_secretstream_xchacha20poly1305_push(&s->st, out, NULL, in, n,
	    NULL, 0, last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
}

int
core_attach_open_begin(struct cs_attach_seal *s, const unsigned char pk[32],
    const char *wrapped_sk, const char *sealed_key)
{
	unsigned char kh[KEYHDR];
	char *hex;
	int rc = -1;

	if ((hex = core_open_sealed(pk, wrapped_sk, sealed_key)) == NULL)
		return -1;
	if (strlen(hex) == 2 * KEYHDR && core_unhex(hex, kh, KEYHDR) == 0 &&
	    crypto_secretstream_xchacha20poly1305_init_pull(&s->st,
	    kh + crypto_secretstream_xchacha20poly1305_KEYBYTES, kh) == 0)
		rc = 0;
	sodium_memzero(kh, sizeof(kh));
	sodium_memzero(hex, strlen(hex));
	free(hex);
	return rc;
}

int
core_attach_open_chunk(struct cs_attach_seal *s, const void *in, size_t n,
    unsigned char *out, bool *last)
{
	unsigned char tag = 0;

	*last = false;
	if (n < CS_ATTACH_SEAL_ABYTES ||
	    crypto_secretstream_xchacha20poly1305_pull(&s->st, out, NULL, &tag,
	    in, n, NULL, 0) != 0)
		return -1;
	*last = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
	return 0;
}

void
core_attach_seal_fini(struct cs_attach_seal *s)
{
	sodium_memzero(s, sizeof(*s));
}
