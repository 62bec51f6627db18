/*
 * svc_audit: the audit log as a principal may read it (API.md "Audit" and
 * "Source protection": a non-admin reader sees only the entries about items
 * it may read, and its own organisation's actions).  One visibility
 * decision per entry, made from the same loaders and policy functions as
 * the items' own routes; GET /audit pages through it.  See svc.h for the
 * context.
 */
#ifndef CS_SVC_AUDIT_H
#define CS_SVC_AUDIT_H

#include "svc/svc.h"

/* Entries examined at most for one page: a page may come back short. */
#define SVC_AUDIT_SCAN	5000

/* The decisions of one listing, so that an item seen again is loaded once. */
struct svc_audit_memo {
	char		 kind;		/* 'r' report, 'a' advisory, 'w', 'u' */
	int64_t		 id;
	bool		 yes;
};

struct svc_audit_view {
	struct svc_ctx		*c;
	struct svc_audit_memo	*memo;
	size_t			 n, cap;
};

void		 svc_audit_view_init(struct svc_audit_view *, struct svc_ctx *);
void		 svc_audit_view_fini(struct svc_audit_view *);
/*
 * May the view's principal read entry a?  An admin reads every entry.
 * Anyone else: an entry about an item ("report:N", "advisory:N",
 * "user:N"; a widening.* entry is about its request) when it may read that
 * item, whoever acted; an entry about no item (directory, sessions, lists)
 * when its own organisation acted and it may read every report or
 * advisory the entry lists; nothing else (an unknown kind of item stays
 * hidden).  A store error hides the entry.
 */
bool		 svc_audit_visible(struct svc_audit_view *,
		    const struct store_audit *a);
/*
 * One page of the log as the principal may read it: the entries after seq
 * `after` (at or after since_us when not 0) that svc_audit_visible admits,
 * at most `limit`, examining at most SVC_AUDIT_SCAN entries.  *v, *n: the
 * entries (store_audits_free); *last: the seq of the last entry examined
 * (the cursor of the next page); *more: the log may go on after *last.
 */
enum cs_err	 svc_audit_list(struct svc_ctx *, int64_t after,
		    int64_t since_us, int limit, struct store_audit **v,
		    size_t *n, int64_t *last, bool *more, struct cs_error *)
		    CS_WUR;

#endif
