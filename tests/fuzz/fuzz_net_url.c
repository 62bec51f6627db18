/*
 * fuzz_net_url.c: the webhook URL parser (net_url_parse) on untrusted
 * input.  An accepted URL has an http(s) scheme, a non-empty host with no
 * user info, escapes, spaces or control characters, and a port in range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/net.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_url u;
	struct cs_error e;
	char *s;

	if (size > 4096)
		return 0;
	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (net_url_parse(s, "url", &u, &e) == CS_OK) {
		FUZZ_CHECK(strncmp(s, u.https ? "https://" : "http://",
		    u.https ? 8 : 7) == 0, "scheme");
		FUZZ_CHECK(u.host[0] != '\0', "empty host");
		FUZZ_CHECK(u.port >= 1 && u.port <= 65535, "port %d", u.port);
		for (const char *p = u.host; *p; p++)
			FUZZ_CHECK((unsigned char)*p > 0x20 && *p != '@' &&
			    *p != '%' && *p != '\\' && *p != 0x7f, "host char");
	} else
		FUZZ_CHECK(e.code == CS_EINVAL && strcmp(e.field, "url") == 0,
		    "error names the field");
	free(s);
	return 0;
}
