/*
 * svc_search: full-text search over every version the caller may read,
 * reports and advisories (issue 12 item 5; docs/analysis.md "Search").
 * Candidates come from the store's index (store_search_find); every one
 * goes through the read policy (svc_report_load_visible, svc_adv_load
 * and policy_advisory_may_read) and is matched against the text the
 * caller sees of each version, so an item or a hop the caller may not
 * read changes no result, rank, count or cursor.
 */
#ifndef CS_SVC_SEARCH_H
#define CS_SVC_SEARCH_H

#include "svc/svc.h"

#define SVC_SEARCH_QMAX		256	/* q: 1 to 256 characters */
#define SVC_SEARCH_MAX_ITEMS	1000	/* visible matches ranked, newest first */
#define SVC_SEARCH_SNIPPETS	3	/* per item, one per version */
#define SVC_SEARCH_CONTEXT	20	/* code points before a hit */

struct svc_search_hit {
	enum store_search_kind	 kind;
	int64_t			 id;
	int64_t			 number;	/* R / T number, 0: none yet */
	enum cs_tlp		 tlp;
	int			 sector;	/* a report's; -1 for an advisory */
	uint32_t		 sectors;	/* an advisory's recipients */
	int			 version;	/* the newest the caller sees */
	int64_t			 updated_us;
	int			 rank;		/* versions seen that match */
	json_t			*summary;	/* newest seen; NULL: none */
	json_t			*snippets;	/* [{version, field, text, highlights}] */
};

/*
 * The ranking key of a hit, also a page's cursor:
 * "s<rank>.<updated_us>.<kind>.<id>", four decimal numbers >= 0.
 * svc_search_cursor_parse() reads one (CS_EINVAL if malformed);
 * svc_search_cursor_fmt() writes one (SVC_SEARCH_CURSOR_MAX bytes hold any)
 * that reads back to the same key when every member is >= 0.
 */
struct svc_search_key {
	int64_t	 rank;
	int64_t	 updated_us;
	int64_t	 kind;
	int64_t	 id;
};
#define SVC_SEARCH_CURSOR_MAX	96
enum cs_err	 svc_search_cursor_parse(const char *, struct svc_search_key *)
		    CS_WUR;
void		 svc_search_cursor_fmt(const struct svc_search_key *, char *buf,
		    size_t size);

struct svc_search_in {
	const char	*q;
	int		 kind;		/* -1: both, else enum store_search_kind */
	int		 limit;
	const char	*cursor;	/* NULL: the first page */
};

struct svc_search_out {
	struct svc_search_hit	*v;
	size_t			 n;
	char			*next_cursor;	/* NULL: the last page */
};

/*
 * One page of the ranked results: the number of versions the caller sees
 * that match (most first), then the newest update, reports before
 * advisories, the greatest id.  The caller's own anonymised reports (as
 * their source) are not listed: GET /reports?anonymised=mine&q= is theirs.
 * CS_EINVAL names "q" or "cursor".
 */
enum cs_err	 svc_search(struct svc_ctx *, const struct svc_search_in *,
		    struct svc_search_out *, struct cs_error *) CS_WUR;
void		 svc_search_out_fini(struct svc_search_out *);

/*
 * For GET /reports?q=: the distinct reports below `before` (0: from the
 * top) whose indexed text holds the folded query, greatest id first, at
 * most limit (a superset of the matches: the caller still loads each
 * through the policy and matches what it sees).
 */
enum cs_err	 svc_search_report_ids(struct svc_ctx *, const char *folded,
		    int64_t before, int limit, int64_t **ids, size_t *n) CS_WUR;

#endif
