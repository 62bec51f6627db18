/*
 * taxii.h: shared by the TAXII 2.1 files of src/api (taxii_*.c,
 * docs/interop.md "TAXII 2.1").  The query of an objects or manifest
 * request (taxii_filter.c, a pure parser: fuzzed), the collections, and
 * the rows an objects request pages through.
 */
#ifndef CS_API_TAXII_H
#define CS_API_TAXII_H

#include "api/api_int.h"
#include "interop/stix.h"

#define TAXII_ROOT		"/taxii2/cishare/"
#define TAXII_LIMIT_MAX		1000
#define TAXII_LIMIT_DEFAULT	100
#define TAXII_MATCH_MAX		32	/* values of one match[] filter */
#define TAXII_KEY_MAX		160

struct taxii_filter {
	int64_t		 added_after;	/* µs; -1: none */
	char		 ids[TAXII_MATCH_MAX][STIX_ID_MAX];
	size_t		 nids;
	char		 types[TAXII_MATCH_MAX][64];
	size_t		 ntypes;
	/* match[version]: last (the default), first, all, or timestamps */
	bool		 v_first, v_last, v_all;
	int64_t		 versions[TAXII_MATCH_MAX];
	size_t		 nversions;
	int		 limit;
	/* next: the page starts after (next_us, next_key) */
	bool		 has_next;
	int64_t		 next_us;
	char		 next_key[TAXII_KEY_MAX];
};

/*
 * Parse added_after, match[id], match[type], match[version], limit and
 * next through get(arg, name) (NULL: absent); CS_EINVAL naming the
 * parameter.
 */
enum cs_err	 taxii_filter_parse(const char *(*get)(void *, const char *),
		    void *arg, struct taxii_filter *, struct cs_error *) CS_WUR;
/* The date_added form: "YYYY-MM-DDTHH:MM:SS.ffffffZ" (µs precision). */
void		 taxii_time(int64_t us, char *out, size_t outsz);
/* The next token of a row: "<us>.<key>" into out. */
void		 taxii_next_token(int64_t us, const char *key, char *out,
		    size_t outsz);
/* Does an object of this id, type and version pass the match filters? */
bool		 taxii_match(const struct taxii_filter *, const char *id,
		    const char *type);

/* A collection id of the path ("advisories" …); -1 if none. */
int		 taxii_coll_parse(const char *);
const char	*taxii_coll_id(int);
/* The n-th segment of the request path into out (0: "taxii2"); "" if none. */
void		 taxii_seg(const struct api_req *, int n, char *out, size_t outsz);
/* .visible: the path's collection is one the caller may read (else 404). */
enum cs_err	 taxii_coll_visible(struct api_req *, struct cs_error *) CS_WUR;
/* The handlers of taxii_objects.c. */
enum cs_err	 taxii_objects_get(struct api_req *, struct cs_error *) CS_WUR;
enum cs_err	 taxii_manifest_get(struct api_req *, struct cs_error *) CS_WUR;
enum cs_err	 taxii_object_get(struct api_req *, struct cs_error *) CS_WUR;
enum cs_err	 taxii_versions_get(struct api_req *, struct cs_error *) CS_WUR;
/* Answer TAXII JSON (the media type and status 200). */
void		 taxii_answer(struct api_req *, json_t *out_take);

#endif
