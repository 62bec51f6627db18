/*
 * sse.c: the event-stream parser (see sse.h).
 *
 * Bytes go into the current line until CR or LF; each complete line is
 * then interpreted at once, so no more than one line and one event are
 * ever held.  A CR at the end of one piece and an LF at the start of the
 * next are one line break (after_cr).
 */
#include <string.h>

#include "cli/sse.h"

static enum sse_result	process_line(struct sse_parser *);
static void		process_field(struct sse_parser *, const char *, size_t,
			    const char *, size_t, enum sse_result *);
static enum sse_result	dispatch(struct sse_parser *);
static int		field_is(const char *, size_t, const char *);

void
sse_init(struct sse_parser *p, sse_handler handler, void *arg)
{
	memset(p, 0, sizeof(*p));
	p->handler = handler;
	p->arg = arg;
	cs_buf_init(&p->line, SSE_MAX_LINE);
	cs_buf_init(&p->data, SSE_MAX_DATA);
	p->retry_ms = -1;
	p->at_start = 1;
	p->state = SSE_OK;
}

void
sse_fini(struct sse_parser *p)
{
	cs_buf_fini(&p->line);
	cs_buf_fini(&p->data);
}

void
sse_restart(struct sse_parser *p)
{
	cs_buf_reset(&p->line);
	cs_buf_reset(&p->data);
	p->type[0] = '\0';
	/* The id of a half-read event was never confirmed: drop it. */
	(void)cs_strlcpy(p->idbuf, p->last_id, sizeof(p->idbuf));
	p->after_cr = 0;
	p->at_start = 1;
	p->have_data = 0;
	p->state = SSE_OK;
}

const char *
sse_last_id(const struct sse_parser *p)
{
	return p->last_id;
}

void
sse_set_last_id(struct sse_parser *p, const char *id)
{
	if (cs_strlcpy(p->last_id, id, sizeof(p->last_id)) == -1)
		p->last_id[0] = '\0';
	(void)cs_strlcpy(p->idbuf, p->last_id, sizeof(p->idbuf));
}

long
sse_retry_ms(const struct sse_parser *p)
{
	return p->retry_ms;
}

enum sse_result
sse_feed(struct sse_parser *p, const char *buf, size_t n)
{
	enum sse_result rc;
	size_t i = 0, j;

	if (p->state != SSE_OK)
		return p->state;
	while (i < n) {
		if (p->after_cr) {
			p->after_cr = 0;
			if (buf[i] == '\n') {
				i++;
				continue;
			}
		}
		for (j = i; j < n && buf[j] != '\n' && buf[j] != '\r'; j++)
			;
		if (j > i && cs_buf_add(&p->line, buf + i, j - i) == -1) {
			p->state = SSE_ETOOBIG;
			break;
		}
		if (j == n)
			break;
		p->after_cr = buf[j] == '\r';
		i = j + 1;
		rc = process_line(p);
		cs_buf_reset(&p->line);
		if (rc != SSE_OK) {
			p->state = rc;
			break;
		}
	}
	return p->state;
}

static int
field_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && memcmp(name, want, len) == 0;
}

static enum sse_result
process_line(struct sse_parser *p)
{
	enum sse_result rc = SSE_OK;
	const char *s, *colon, *v;
	size_t len, nlen, vlen;

	s = cs_buf_str(&p->line);
	len = cs_buf_len(&p->line);
	if (p->at_start) {
		/* A UTF-8 byte order mark may open the stream. */
		p->at_start = 0;
		if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			len -= 3;
		}
	}
	if (len == 0)
		return dispatch(p);
	if (s[0] == ':')
		return SSE_OK;
	if ((colon = memchr(s, ':', len)) != NULL) {
		nlen = (size_t)(colon - s);
		v = colon + 1;
		vlen = len - nlen - 1;
		if (vlen > 0 && *v == ' ') {
			v++;
			vlen--;
		}
	} else {
		nlen = len;
		v = "";
		vlen = 0;
	}
	process_field(p, s, nlen, v, vlen, &rc);
	return rc;
}

static void
process_field(struct sse_parser *p, const char *name, size_t nlen,
    const char *v, size_t vlen, enum sse_result *rc)
{
	int64_t ms;
	char num[16];

	if (field_is(name, nlen, "data")) {
		if ((p->have_data && cs_buf_add(&p->data, "\n", 1) == -1) ||
		    cs_buf_add(&p->data, v, vlen) == -1)
			*rc = SSE_ETOOBIG;
		p->have_data = 1;
	} else if (field_is(name, nlen, "event")) {
		/* A type with a NUL or over the cap is kept cut short. */
		if (vlen >= sizeof(p->type))
			vlen = sizeof(p->type) - 1;
		memcpy(p->type, v, vlen);
		p->type[vlen] = '\0';
	} else if (field_is(name, nlen, "id")) {
		/* An id we could not send back intact is ignored. */
		if (vlen < sizeof(p->idbuf) && memchr(v, '\0', vlen) == NULL) {
			memcpy(p->idbuf, v, vlen);
			p->idbuf[vlen] = '\0';
		}
	} else if (field_is(name, nlen, "retry")) {
		if (vlen > 0 && vlen < sizeof(num) &&
		    strspn(v, "0123456789") >= vlen) {
			memcpy(num, v, vlen);
			num[vlen] = '\0';
			if (cs_str_to_i64(num, 0, 86400000, &ms) == CS_OK)
				p->retry_ms = (long)ms;
		}
	}
	/* Any other field is ignored, as the standard says. */
}

static enum sse_result
dispatch(struct sse_parser *p)
{
	struct sse_event ev;
	int stop;

	memcpy(p->last_id, p->idbuf, sizeof(p->last_id));
	if (!p->have_data) {
		p->type[0] = '\0';
		return SSE_OK;
	}
	ev.id = p->last_id;
	ev.type = p->type[0] != '\0' ? p->type : "message";
	ev.data = cs_buf_str(&p->data);
	ev.datalen = cs_buf_len(&p->data);
	stop = p->handler(&ev, p->arg);
	cs_buf_reset(&p->data);
	p->have_data = 0;
	p->type[0] = '\0';
	return stop ? SSE_STOP : SSE_OK;
}
