/*
 * fed.h: the pure part of federation between cishare nodes over TAXII 2.1
 * (docs/interop.md "Federation"): the retry schedule, the cursor, the URL
 * of a page of a peer's collection, and the checks on a page a peer sent
 * (what it may carry in, what never enters).  No store, no I/O.
 */
#ifndef CS_INTEROP_FED_H
#define CS_INTEROP_FED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "util/util.h"

#define FED_BODY_MAX		(8 * 1024 * 1024)	/* bytes of one page */
#define FED_PAGE_LIMIT		100			/* objects asked per page */
#define FED_PAGES_MAX		50			/* pages per sync */
#define FED_BACKOFF_MAX_US	INT64_C(3600000000)	/* one hour */
#define FED_NEXT_MAX		256
#define FED_CURSOR_MAX		40

/*
 * The delay before the next poll: the interval after a success
 * (failures 0); after k consecutive failures interval * 2^k, at most one
 * hour (and never less than the interval).
 */
int64_t		 fed_delay_us(int interval_s, int failures);
/* Is s a STIX timestamp fit to be a cursor (added_after)? */
bool		 fed_cursor_valid(const char *s);
/* The later of two cursors (either may be NULL); a pointer to one of them. */
const char	*fed_cursor_max(const char *a, const char *b);
/*
 * "<root>collections/<collection>/objects/?limit=N[&added_after=..][&next=..]",
 * each value percent-encoded; root gets a '/' when it lacks one.  Caller frees.
 */
char		*fed_page_url(const char *root, const char *collection,
		    const char *cursor, const char *next, int limit);
/* A collection id we may ask for: 1–64 of a-z 0-9 - _ . */
bool		 fed_collection_valid(const char *);

/* A page as received, with what never enters taken out. */
struct fed_page {
	json_t		*envelope;	/* {"objects": [...]} to import */
	bool		 more;
	char		*next;		/* NULL: none */
	int		 total;		/* objects the peer sent */
	int		 dropped_red;	/* TLP:RED objects refused */
	int		 dropped_drill;	/* objects of a drill (label "drill") */
};

/*
 * Parses a TAXII 2.1 envelope of len bytes (at most FED_BODY_MAX): a JSON
 * object with optional "more" (boolean), "next" (a token of printable
 * ASCII, at most FED_NEXT_MAX bytes) and "objects" (a list of objects).
 * Drops every object marked TLP:RED, every object labelled "drill" and
 * what only such objects refer to (object_refs).  The kept objects still
 * go through stix_import_check() before anything is stored.  CS_EINVAL
 * (or CS_ETOOBIG) naming the member otherwise.
 */
enum cs_err	 fed_page_parse(const char *buf, size_t len, struct fed_page *,
		    struct cs_error *) CS_WUR;
void		 fed_page_fini(struct fed_page *);

#endif
