/*
 * svc_council: the CEPTOAR council space (API.md "Operating modes",
 * Council): membership (an admin sets it on CEPTOAR secretariats), posts
 * addressed by a member to all members or to some, shared by their author
 * with government organisations.  Who reads a post is core/policy.c's
 * policy_council_may_read.  See svc.h.
 */
#ifndef CS_SVC_COUNCIL_H
#define CS_SVC_COUNCIL_H

#include "svc/svc.h"

/* Set org's membership (admin; a CEPTOAR secretariat only: 400 council_member). */
enum cs_err	 svc_council_member_set(struct svc_ctx *, const struct store_org *,
		    bool member, struct cs_error *) CS_WUR;
/* Is org a member? */
enum cs_err	 svc_council_is_member(struct svc_ctx *, int64_t org, bool *,
		    struct cs_error *) CS_WUR;
/*
 * A post {"text", "tlp", "to": [member org ids] | "all"} by a member's
 * user (403 if its organisation is not a member; 400 naming text, tlp or
 * to.N for a non-member); audited (council.post).
 */
enum cs_err	 svc_council_post(struct svc_ctx *, json_t *body, int64_t *id,
		    struct cs_error *) CS_WUR;
/* One post as the principal may see it (404 as if missing otherwise). */
enum cs_err	 svc_council_get(struct svc_ctx *, int64_t id, json_t **out,
		    struct cs_error *) CS_WUR;
/* The posts the principal may read, newest first; audited (council.read). */
enum cs_err	 svc_council_list(struct svc_ctx *, int64_t before, int limit,
		    json_t **items, int64_t *last, bool *more,
		    struct cs_error *) CS_WUR;
/*
 * The author shares post id with {"to": [org ids]}: government
 * organisations or council members (400 to.N otherwise; 403 for anyone but
 * the author's organisation); audited (council.share).
 */
enum cs_err	 svc_council_share(struct svc_ctx *, int64_t id, json_t *body,
		    struct cs_error *) CS_WUR;

#endif
