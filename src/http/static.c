/*
 * static.c: the web UI, embedded into the binary at build time
 * (gen/webfiles.c), served under a strict CSP with its MIME types.
 */
#include <stdint.h>
#include <string.h>

#include "core/refdata.h"
#include "http/http_int.h"

static const char *
mime_of(const char *path)
{
	static const struct { const char *ext, *type; } t[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".json", "application/json; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot != NULL && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(dot, t[i].ext) == 0)
			return t[i].type;
	return "application/octet-stream";
}

/* The web UI, embedded at build time; unknown page paths get index.html. */
enum MHD_Result
http_serve_web(struct MHD_Connection *c, const char *url, const char *method)
{
	const struct cs_embedded *f;
	struct MHD_Response *resp;
	struct cs_error e;
	const char *path = url + 1, *last;
	enum MHD_Result ret;

	cs_error_clear(&e);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		cs_fail(&e, CS_EINVAL, "", "method %s not allowed here", method);
		return http_send_error(c, 405, &e);
	}
	if (*path == '\0' || strstr(path, "..") != NULL)
		path = "index.html";
	f = refdata_web_find(path);
	last = strrchr(url, '/');
	if (f == NULL && last != NULL && strchr(last, '.') == NULL)
		f = refdata_web_find("index.html");
	if (f == NULL) {
		cs_fail(&e, CS_ENOENT, "", "no such resource");
		return http_send_error(c, 404, &e);
	}
	resp = MHD_create_response_from_buffer(f->size, (void *)(uintptr_t)f->data,
	    MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(resp, "Content-Type", mime_of(f->name));
	MHD_add_response_header(resp, "Cache-Control", strcmp(f->name,
	    "index.html") == 0 ? "no-cache" : "public, max-age=300");
	http_security_headers(resp);
	ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}
