/*
 * interop/stix: reports and advisories as STIX 2.1 bundles (docs/interop.md).
 * Pure functions: no store, no I/O, no global state.  The input is the JSON
 * the API renders for GET /reports/{id} and GET /advisories/{id} as the
 * caller may see it, so the visibility policy stays the one that decided
 * that JSON; the output is a bundle (a new reference).
 *
 * Ids are UUIDv5 (RFC 9562) in the fixed namespace STIX_NS, over names such
 * as "report:42": the same item always gets the same ids, and a 第k報 is a
 * new version (`modified`) of the same object.  Cyber-observables get the
 * ids STIX 2.1 §2.9 prescribes (the SCO namespace over their contributing
 * properties), so another producer's ipv4-addr of the same address has the
 * same id.
 *
 * Dependencies: util, vocab, core (TLP ids, identity redaction), jansson,
 * libuuid (uuid_generate_sha1).  Thread-safety: reentrant.
 */
#ifndef CS_INTEROP_STIX_H
#define CS_INTEROP_STIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/core.h"

#define STIX_MEDIA_TYPE		"application/stix+json;version=2.1"

/* The cishare namespace: uuid5(NAMESPACE_URL, "urn:cishare:stix"). */
#define STIX_NS			"3e596049-c147-5765-8c7b-a325878f8113"
/* STIX 2.1 §2.9: the namespace of deterministic SCO ids. */
#define STIX_SCO_NS		"00abedb4-aa42-466c-9c01-fed23315a9b7"
/* The OASIS TLP 2.0 marking extension. */
#define STIX_TLP2_EXT		"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

#define STIX_ID_MAX		96	/* "<type>--<uuid>" with its NUL */

/* ---- ids and timestamps (stix_id.c) ----------------------------------- */

/* UUIDv5 of name in namespace ns (textual), lower-case, into out[37]. */
enum cs_err	 stix_uuid5(const char *ns, const char *name, size_t len,
		    char out[37]) CS_WUR;
/* "<type>--" uuid5(STIX_NS, name) into out (STIX_ID_MAX). */
void		 stix_id(const char *type, const char *name, char *out,
		    size_t outsz);
/* A STIX timestamp "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC) of a time in µs. */
void		 stix_time(int64_t us, char *out, size_t outsz);
/* The same, of an API time ("2026-11-21T09:00:00+09:00"); 0 if unparsable. */
int64_t		 stix_time_parse(const char *api_time);

/* ---- TLP 2.0 markings (stix_marking.c) ----------------------------------- */

/* The marking-definition id of a TLP, e.g. marking-definition--939a… */
const char	*stix_marking_id(enum cs_tlp);
/* The marking-definition object of a TLP (a new reference). */
json_t		*stix_marking(enum cs_tlp);
/* TLP from an API id ("amber_strict"); -1 if unknown. */
int		 stix_tlp_of(const char *id);

/* ---- observables (stix_observable.c) -------------------------------------- */

enum stix_obs_type {
	STIX_OBS_IPV4 = 0,
	STIX_OBS_IPV6,
	STIX_OBS_DOMAIN,
	STIX_OBS_URL,
	STIX_OBS_EMAIL,
	STIX_OBS_MD5,
	STIX_OBS_SHA1,
	STIX_OBS_SHA256,
	STIX_OBS__COUNT
};

struct stix_obs {
	enum stix_obs_type	 type;
	char			*value;		/* normalised, refanged */
};

/* The most observables taken from one item (the rest are ignored). */
#define STIX_OBS_MAX		1000

/*
 * Append the observables of text (UTF-8, len bytes) to *v (*n of them),
 * each once: IPv4/IPv6 addresses, domain names, URLs, e-mail addresses and
 * MD5/SHA-1/SHA-256 hashes, after refanging hxxp://, [.], (.), [dot], [:]
 * and [@].  Never fails: text that is none of these yields nothing.
 */
void		 stix_observables(const char *text, size_t len,
		    struct stix_obs **v, size_t *n);
void		 stix_obs_free(struct stix_obs *, size_t);
/* The SCO type ("ipv4-addr", "file", …) and the observable's SCO object. */
const char	*stix_obs_sco_type(enum stix_obs_type);
json_t		*stix_obs_sco(const struct stix_obs *);
/* The STIX pattern that matches it, e.g. [ipv4-addr:value = '198.51.100.7']. */
char		*stix_obs_pattern(const struct stix_obs *);
/* s as the inside of a STIX pattern string literal (' and \ escaped). */
char		*stix_pattern_quote(const char *s);

/* ---- patterns (stix_pattern.c) ------------------------------------------- */

/*
 * CS_OK when s (n bytes) is a well-formed STIX 2.1 pattern; else CS_EINVAL
 * with e naming `field` and the offset and what was expected there.
 */
enum cs_err	 stix_pattern_check(const char *s, size_t n, const char *field,
		    struct cs_error *e) CS_WUR;

/* ---- import (stix_import.c) ---------------------------------------------- */

/* The most objects one bundle may carry. */
#define STIX_IMPORT_MAX		10000

/*
 * CS_OK when body is a STIX 2.1 bundle or TAXII envelope whose objects
 * all pass; else the first fault, its field naming the object's index and
 * property ("objects.3.pattern"): CS_EINVAL, or CS_ETOOBIG past
 * max_objects.
 */
enum cs_err	 stix_import_check(const json_t *body, size_t max_objects,
		    struct cs_error *e) CS_WUR;
/* The TLP of an object: its strictest TLP 2.0 marking, TLP:AMBER if none. */
int		 stix_object_tlp(const json_t *obj);
/* Its version (modified, else created); NULL when it has neither. */
const char	*stix_object_version(const json_t *obj);
/* The syntax of a type name and of "<type>--<uuid>" (type NULL: any). */
bool		 stix_type_valid(const char *type);
bool		 stix_id_valid(const char *id, const char *type);
/* A STIX timestamp in µs since the epoch; -1 if malformed. */
int64_t		 stix_timestamp_us(const char *);

/* ---- objects shared by the mappings (stix.c) ------------------------------- */

/* The x-cishare-report extension-definition (docs/interop.md). */
json_t		*stix_report_ext_definition(void);
void		 stix_report_ext_id(char *out, size_t outsz);
/* The identity of cishare itself (creator of the extension definition). */
json_t		*stix_system_identity(void);
/* An organisation's identity (identity_class organization). */
json_t		*stix_org_identity(const char *key, const char *name,
		    const char *description, const char *created);
/* A bundle of objs (stolen), id from name. */
json_t		*stix_bundle(const char *name, json_t *objs);

/* ---- the mappings ---------------------------------------------------------------- */

/*
 * GET /reports/{id} → a bundle: the incident (the newest version the JSON
 * holds, its 様式 fields in the x-cishare-report extension), its creator's
 * identity, the extension definition and the TLP marking.  orgs maps an
 * org id (as a string) to {"name": …} for the organisations of the path;
 * an anonymised report's creator is its CEPTOAR secretariat's
 * "匿名の報告元" and no string of the sealed source identity is copied.
 * NULL with e set when the JSON is not a report.
 */
json_t		*stix_report_bundle(const json_t *report, const json_t *orgs,
		    struct cs_error *e);
/*
 * GET /advisories/{id} → a bundle: a report object (the newest version),
 * an indicator and an SCO per observable of its text fields, NISC's
 * identity and the TLP marking.
 */
json_t		*stix_advisory_bundle(const json_t *advisory,
		    struct cs_error *e);

#endif
