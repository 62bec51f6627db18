/*
 * body.c: streamed response bodies (struct api_stream, a route whose
 * handler sets req->stream; docs/internals/routes.md "Streamed bodies").
 * The body goes out chunked as the client takes it: the handler's first
 * part, then one next() at a time, so memory stays that of one part
 * whatever the size of the whole.  A body that is all in its first part
 * (done, no next(): a rendered answer, api_send_json_text) goes out as one
 * buffer; a kept answer's shared bytes (whole) without a copy.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

struct body {
	struct api_stream	*s;
	struct cs_buf		 part;	/* what is being sent */
	size_t			 off;	/* of it already sent */
	bool			 done;	/* part is the last */
	bool			 failed;
};

static ssize_t
body_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct body *b = cls;
	size_t n;

	(void)pos;
	while (b->off >= cs_buf_len(&b->part)) {
		enum cs_err rc;

		if (b->done || b->failed)
			return MHD_CONTENT_READER_END_OF_STREAM;
		cs_buf_reset(&b->part);
		b->off = 0;
		rc = b->s->next(b->s->state, &b->part, &b->done);
		if (rc != CS_OK || cs_buf_failed(&b->part)) {
			/* The status is gone: end the body short, say so in the log. */
			log_info("event=stream_error rc=%d", (int)rc);
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
	}
	n = cs_buf_len(&b->part) - b->off;
	if (n > max)
		n = max;
	memcpy(buf, cs_buf_str(&b->part) + b->off, n);
	b->off += n;
	return (ssize_t)n;
}

static void
body_free(void *cls)
{
	struct body *b = cls;

	api_stream_free(b->s);
	cs_buf_fini(&b->part);
	free(b);
}

enum MHD_Result
http_send_stream(struct MHD_Connection *c, int status, struct api_stream *s)
{
	struct MHD_Response *resp;
	struct body *b;
	enum MHD_Result ret;
	char *cd = NULL, *text;
	size_t len;

	if (s->done && s->next == NULL && s->disposition == NULL &&
	    s->filename == NULL && s->repr_digest == NULL) {
		const char *ctype = s->content_type != NULL ? s->content_type :
		    "application/octet-stream";	/* s's: added before it goes */

		if (s->whole != NULL) {
			/* Shared bytes: the response releases them when it goes. */
			resp = MHD_create_response_from_buffer_with_free_callback_cls(
			    s->nwhole, (void *)(uintptr_t)s->whole, s->whole_free,
			    s->whole_arg);
			if (resp == NULL) {
				api_stream_free(s);
				return MHD_NO;
			}
			s->whole_free = NULL;
		} else {
			len = cs_buf_len(&s->first);
			if ((text = cs_buf_finish(&s->first)) == NULL) {
				text = xstrdup("");
				len = 0;
			}
			resp = MHD_create_response_from_buffer(len, text,
			    MHD_RESPMEM_MUST_FREE);
			if (resp == NULL) {
				free(text);
				api_stream_free(s);
				return MHD_NO;
			}
		}
		MHD_add_response_header(resp, "Content-Type", ctype);
		api_stream_free(s);
		MHD_add_response_header(resp, "Cache-Control", "no-store");
		http_security_headers(resp);
		ret = MHD_queue_response(c, (unsigned)status, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	b = xcalloc(1, sizeof(*b));
	b->s = s;
	/* the first part moves into the body (its buffer with it) */
	b->part = s->first;
	memset(&s->first, 0, sizeof(s->first));
	b->done = s->done;
	resp = MHD_create_response_from_callback(s->length > 0 ?
	    (uint64_t)s->length : MHD_SIZE_UNKNOWN, 32 * 1024,
	    body_read, b, body_free);
	if (resp == NULL) {
		body_free(b);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", s->content_type != NULL ?
	    s->content_type : "application/octet-stream");
	if (s->repr_digest != NULL)
		MHD_add_response_header(resp, "Repr-Digest", s->repr_digest);
	if (s->disposition != NULL)
		MHD_add_response_header(resp, "Content-Disposition",
		    s->disposition);
	else if (s->filename != NULL) {
		cd = xasprintf("attachment; filename=\"%s\"", s->filename);
		MHD_add_response_header(resp, "Content-Disposition", cd);
		free(cd);
	}
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	http_security_headers(resp);
	ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}
