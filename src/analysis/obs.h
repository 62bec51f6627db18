/*
 * analysis/obs: observables (indicators) in free text, the one extractor
 * that the STIX mapping (interop/stix.h) and the observable index
 * (svc/obs.c, docs/analysis.md "Observables") both use.
 *
 * The text is normalised to NFKC first (libunistring: full-width ＩＰ, ．
 * and ＠ become ASCII), then refanged (hxxp → http, [.] (.) {.} [dot]
 * (dot) → ".", [:] → ":", [@] [at] → "@"), then scanned: URLs from their
 * scheme (normalised by libcurl's URL API, curl_url), IPv4/IPv6 addresses
 * and CIDR blocks (inet_pton; canonical text, a block's host bits
 * cleared), domain names (a top-level domain the Public Suffix List knows,
 * libpsl), e-mail addresses, MD5/SHA-1/SHA-256 hashes and CVE ids.
 *
 * Pure: no store, no I/O but the PSL file read once per process.
 * Dependencies: util, core, libunistring, libcurl (URL API only), libpsl.
 * Thread-safety: reentrant (the PSL context is loaded once, read-only).
 */
#ifndef CS_ANALYSIS_OBS_H
#define CS_ANALYSIS_OBS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/core.h"

/* Stored by value in the observable index: append, never reorder. */
enum obs_kind {
	OBS_IPV4 = 0,
	OBS_IPV6,
	OBS_DOMAIN,
	OBS_URL,
	OBS_EMAIL,
	OBS_MD5,
	OBS_SHA1,
	OBS_SHA256,
	OBS_CIDR,
	OBS_CVE,
	OBS__COUNT
};

struct obs {
	enum obs_kind	 kind;
	char		*value;		/* normalised */
};

/* The most observables taken from one text (the rest are ignored). */
#define OBS_MAX		1000

/*
 * Append the observables of text (UTF-8 or not, len bytes) to *v (*n of
 * them), each (kind, value) once.  Never fails: text that holds none of
 * them yields nothing.
 */
void		 obs_extract(const char *text, size_t len, struct obs **v,
		    size_t *n);
void		 obs_free(struct obs *, size_t);
/*
 * The same over every string of a JSON value (a form: each text field),
 * but the 様式's contact groups ("reporter", "nisc_contact" at the top).
 */
void		 obs_extract_json(const json_t *, struct obs **v, size_t *n);
/*
 * The same of a member's value, `depth` levels down the form (1: a member
 * of the top object): what obs_extract_json finds of the whole is, in
 * order, what this finds of each member, obs_add()ed.
 */
void		 obs_extract_json_at(const json_t *, int depth, struct obs **v,
		    size_t *n);
/* Appends a copy of an observable found elsewhere (no duplicate, OBS_MAX). */
void		 obs_add(struct obs **v, size_t *n, enum obs_kind, const char *value);
/* "ipv4", "ipv6", "cidr", "domain", "url", "email", "md5", "sha1", "sha256", "cve". */
const char	*obs_kind_id(enum obs_kind);
/*
 * The normalised form of one value as a user typed it (defanged or
 * full-width allowed): true and *o filled (free o->value) when the whole
 * of s is one observable.
 */
bool		 obs_normalise(const char *s, struct obs *o);
/*
 * The registrable domain (eTLD+1, libpsl) of a domain, URL or e-mail
 * observable, e.g. "example.co.jp" of "a.b.example.co.jp" (heap), or NULL.
 */
char		*obs_registrable(const struct obs *);

#endif
