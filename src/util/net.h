/*
 * net: where an outgoing request (a webhook) may go.  Server-side request
 * forgery defence for API.md "Source protection": a webhook target is an
 * https:// URL whose host resolves only to public addresses; loopback
 * http:// is allowed only when the deployment says so (tests).  The check
 * runs at registration and again at send time, and the sender connects to
 * the address it checked (net_resolve_checked fills what curl's
 * CURLOPT_RESOLVE needs), so a DNS answer that changes between the check
 * and the connection (rebinding) cannot reach the internal network.
 */
#ifndef CS_UTIL_NET_H
#define CS_UTIL_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "util/util.h"

enum net_class {
	NET_PUBLIC = 0,
	NET_LOOPBACK,		/* 127/8, ::1 */
	NET_PRIVATE,		/* 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7 */
	NET_LINK_LOCAL,		/* 169.254/16 (cloud metadata), fe80::/10 */
	NET_MULTICAST,		/* 224/4, ff00::/8 */
	NET_RESERVED,		/* 0/8, 240/4, documentation, benchmarking, 6to4 relay … */
	NET_UNSPECIFIED		/* 0.0.0.0, :: */
};

const char	*net_class_name(enum net_class);
/* a.b.c.d as a host-order integer. */
enum net_class	 net_class_v4(uint32_t);
/* IPv4-mapped, NAT64 and 6to4 addresses are judged by the IPv4 inside. */
enum net_class	 net_class_v6(const uint8_t addr[16]);

struct net_url {
	bool	 https;
	char	 host[256];	/* without the brackets of an IPv6 literal */
	int	 port;		/* 443 or 80 when not given */
};

/*
 * Parses an absolute http(s) URL's scheme and authority.  Refused: other
 * schemes, user info, an empty or over-long host, control characters,
 * spaces, percent-escapes or backslashes in the authority, a port outside
 * 1..65535.
 */
enum cs_err	 net_url_parse(const char *url, const char *field, struct net_url *,
		    struct cs_error *) CS_WUR;

/*
 * The whole check of a webhook target, without connecting: the URL (https,
 * or http only with allow_loopback), then every address its host resolves
 * to must be public (or loopback with allow_loopback).  On success `addr`
 * holds the first checked address as text ("192.0.2.1" / "2001:db8::1"),
 * which the sender pins with CURLOPT_RESOLVE "host:port:addr".  Errors
 * are CS_EINVAL naming `field` (the request's name for the URL).
 */
enum cs_err	 net_resolve_checked(const char *url, const char *field,
		    bool allow_loopback, struct net_url *, char addr[64],
		    struct cs_error *) CS_WUR;

#endif
