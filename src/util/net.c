/*
 * net: classification of addresses, URL authority parsing and the checked
 * resolution of webhook targets (net.h).
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "util/net.h"

const char *
net_class_name(enum net_class c)
{
	switch (c) {
	case NET_PUBLIC:	return "public";
	case NET_LOOPBACK:	return "loopback";
	case NET_PRIVATE:	return "private";
	case NET_LINK_LOCAL:	return "link-local";
	case NET_MULTICAST:	return "multicast";
	case NET_RESERVED:	return "reserved";
	case NET_UNSPECIFIED:	return "unspecified";
	}
	return "reserved";
}

/* Is a within prefix/len (host order)? */
static int
in4(uint32_t a, uint32_t prefix, int len)
{
	uint32_t mask = len == 0 ? 0 : 0xffffffffu << (32 - len);

	return (a & mask) == (prefix & mask);
}

#define V4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | \
	((uint32_t)(c) << 8) | (uint32_t)(d))

enum net_class
net_class_v4(uint32_t a)
{
	static const struct {
		uint32_t	 prefix;
		int		 len;
		enum net_class	 cls;
	} t[] = {
		{ V4(0, 0, 0, 0), 32, NET_UNSPECIFIED },
		{ V4(0, 0, 0, 0), 8, NET_RESERVED },		/* "this network" */
		{ V4(10, 0, 0, 0), 8, NET_PRIVATE },
		{ V4(100, 64, 0, 0), 10, NET_PRIVATE },		/* carrier-grade NAT */
		{ V4(127, 0, 0, 0), 8, NET_LOOPBACK },
		{ V4(169, 254, 0, 0), 16, NET_LINK_LOCAL },	/* cloud metadata */
		{ V4(172, 16, 0, 0), 12, NET_PRIVATE },
		{ V4(192, 0, 0, 0), 24, NET_RESERVED },		/* IETF protocol */
		{ V4(192, 0, 2, 0), 24, NET_RESERVED },		/* TEST-NET-1 */
		{ V4(192, 88, 99, 0), 24, NET_RESERVED },	/* 6to4 relay */
		{ V4(192, 168, 0, 0), 16, NET_PRIVATE },
		{ V4(198, 18, 0, 0), 15, NET_RESERVED },	/* benchmarking */
		{ V4(198, 51, 100, 0), 24, NET_RESERVED },	/* TEST-NET-2 */
		{ V4(203, 0, 113, 0), 24, NET_RESERVED },	/* TEST-NET-3 */
		{ V4(224, 0, 0, 0), 4, NET_MULTICAST },
		{ V4(240, 0, 0, 0), 4, NET_RESERVED },		/* and broadcast */
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (in4(a, t[i].prefix, t[i].len))
			return t[i].cls;
	return NET_PUBLIC;
}

static uint32_t
v4_at(const uint8_t *p)
{
	return V4(p[0], p[1], p[2], p[3]);
}

enum net_class
net_class_v6(const uint8_t a[16])
{
	static const uint8_t zero[16];
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	static const uint8_t nat64[12] = { 0x00, 0x64, 0xff, 0x9b };

	if (memcmp(a, zero, 16) == 0)
		return NET_UNSPECIFIED;
	if (memcmp(a, zero, 15) == 0 && a[15] == 1)
		return NET_LOOPBACK;
	if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return net_class_v4(v4_at(a + 12));
	if (memcmp(a, zero, 12) == 0)		/* IPv4-compatible (deprecated) */
		return NET_RESERVED;
	if (a[0] == 0x20 && a[1] == 0x02)	/* 6to4: 2002:V4ADDR::/48 */
		return net_class_v4(v4_at(a + 2));
	if (a[0] == 0xff)
		return NET_MULTICAST;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return NET_LINK_LOCAL;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)	/* site-local (deprecated) */
		return NET_PRIVATE;
	if ((a[0] & 0xfe) == 0xfc)			/* unique local */
		return NET_PRIVATE;
	if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8)
		return NET_RESERVED;			/* documentation */
	if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x00 && a[3] == 0x00)
		return NET_RESERVED;			/* Teredo */
	if ((a[0] & 0xe0) != 0x20)			/* outside 2000::/3 */
		return NET_RESERVED;
	return NET_PUBLIC;
}

enum cs_err
net_url_parse(const char *url, const char *field, struct net_url *u,
    struct cs_error *e)
{
	const char *auth, *end, *host, *hend, *port = NULL;
	size_t n;

	memset(u, 0, sizeof(*u));
	if (strncmp(url, "https://", 8) == 0) {
		u->https = true;
		auth = url + 8;
		u->port = 443;
	} else if (strncmp(url, "http://", 7) == 0) {
		auth = url + 7;
		u->port = 80;
	} else
		return cs_fail(e, CS_EINVAL, field, "must be an https:// URL");
	end = auth + strcspn(auth, "/?#");
	for (const char *p = auth; p < end; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c == 0x7f || c == '%' || c == '\\' || c == '@')
			return cs_fail(e, CS_EINVAL, field, "the URL's host part "
			    "has user info, escapes or control characters");
	}
	for (const char *p = end; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return cs_fail(e, CS_EINVAL, field,
			    "the URL has control characters");
	if (*auth == '[') {
		const char *rb = memchr(auth, ']', (size_t)(end - auth));

		if (rb == NULL)
			return cs_fail(e, CS_EINVAL, field, "unclosed [ in the URL");
		host = auth + 1;
		hend = rb;
		if (rb + 1 < end) {
			if (rb[1] != ':')
				return cs_fail(e, CS_EINVAL, field,
				    "bad port in the URL");
			port = rb + 2;
		}
	} else {
		host = auth;
		hend = memchr(auth, ':', (size_t)(end - auth));
		if (hend != NULL)
			port = hend + 1;
		else
			hend = end;
	}
	n = (size_t)(hend - host);
	if (n == 0 || n >= sizeof(u->host))
		return cs_fail(e, CS_EINVAL, field, "the URL has no usable host");
	memcpy(u->host, host, n);
	u->host[n] = '\0';
	if (port != NULL) {
		int64_t pv;
		char pb[8];
		size_t pl = (size_t)(end - port);

		if (pl == 0 || pl >= sizeof(pb))
			return cs_fail(e, CS_EINVAL, field, "bad port in the URL");
		memcpy(pb, port, pl);
		pb[pl] = '\0';
		for (size_t i = 0; i < pl; i++)
			if (pb[i] < '0' || pb[i] > '9')
				return cs_fail(e, CS_EINVAL, field,
				    "bad port in the URL");
		if (cs_str_to_i64(pb, 1, 65535, &pv) != CS_OK)
			return cs_fail(e, CS_EINVAL, field, "bad port in the URL");
		u->port = (int)pv;
	}
	return CS_OK;
}

/*
 * Tests only: CISHARED_TEST_RESOLVE_DELAY_MS (1-60000) makes every lookup
 * that slow, as a slow or unreachable resolver would (t_resolver: the
 * lookup holds no transaction).
 */
static void
resolver_test_delay(void)
{
	const char *v = getenv("CISHARED_TEST_RESOLVE_DELAY_MS");
	long ms = v != NULL ? strtol(v, NULL, 10) : 0;
	struct timespec ts;

	if (ms <= 0 || ms > 60000)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0)
		;
}

enum cs_err
net_resolve_checked(const char *url, const char *field, bool allow_loopback,
    struct net_url *u, char addr[64], struct cs_error *e)
{
	struct addrinfo hints, *res = NULL;
	char port[8];
	enum cs_err rc;
	int first = 1, gai;

	addr[0] = '\0';
	if ((rc = net_url_parse(url, field, u, e)) != CS_OK)
		return rc;
	if (!u->https && !allow_loopback)
		return cs_fail(e, CS_EINVAL, field, "must be an https:// URL");
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	snprintf(port, sizeof(port), "%d", u->port);
	resolver_test_delay();
	if ((gai = getaddrinfo(u->host, port, &hints, &res)) != 0 || res == NULL)
		return cs_fail(e, CS_EINVAL, field, "the URL's host does not "
		    "resolve");
	rc = CS_OK;
	for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		enum net_class cls;
		char text[64];

		if (ai->ai_family == AF_INET) {
			const struct sockaddr_in *s4 = (const void *)ai->ai_addr;

			cls = net_class_v4(ntohl(s4->sin_addr.s_addr));
			inet_ntop(AF_INET, &s4->sin_addr, text, sizeof(text));
		} else if (ai->ai_family == AF_INET6) {
			const struct sockaddr_in6 *s6 = (const void *)ai->ai_addr;

			cls = net_class_v6(s6->sin6_addr.s6_addr);
			inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof(text));
		} else
			continue;
		/* Every address must pass: the resolver may pick any. */
		if (cls == NET_LOOPBACK ? !allow_loopback : cls != NET_PUBLIC) {
			rc = cs_fail(e, CS_EINVAL, field, "the URL's host is a "
			    "%s address; webhooks go to public addresses only",
			    net_class_name(cls));
			break;
		}
		/* Plain http only to loopback. */
		if (!u->https && cls != NET_LOOPBACK) {
			rc = cs_fail(e, CS_EINVAL, field, "must be an https:// URL");
			break;
		}
		if (first) {
			snprintf(addr, 64, "%s", text);
			first = 0;
		}
	}
	freeaddrinfo(res);
	if (rc == CS_OK && first)
		rc = cs_fail(e, CS_EINVAL, field, "the URL's host does not "
		    "resolve");
	if (rc != CS_OK)
		addr[0] = '\0';
	return rc;
}
