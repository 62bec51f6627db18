/*
 * api_int.h: shared by the files of src/api only — rendering helpers one
 * resource file hands another (SQLite's btreeInt.h idea).
 */
#ifndef CS_API_INT_H
#define CS_API_INT_H

#include "api/api.h"
#include "svc/svc_adv.h"
#include "svc/svc_report.h"

/*
 * The "to" list of a share or relay body ({"to": [ids]}, at least one);
 * *to is the caller's to free.
 */
enum cs_err	 api_to_list(struct api_req *, int64_t **to, size_t *nto,
		    struct cs_error *) CS_WUR;
/* T<n> or T<n>-k as JSON, null before the T-number. */
json_t		*api_adv_ident_json(int64_t t, int k);
/* The delivery record the caller sees: its subtree (NISC: every hop). */
json_t		*api_adv_delivery_json(struct api_req *, const struct svc_adv *);
/* The advisory document; `full` adds versions, sources and delivery. */
json_t		*api_adv_json(struct api_req *, const struct svc_adv *, bool full);
/*
 * An advisory's "source_review" (policy.md "No oracle"): for NISC the
 * decisions and comments, for a reviewing secretariat its own reviews and
 * the hits; NULL for everyone else (and for an advisory without reviews).
 */
json_t		*api_adv_review_json(struct api_req *, struct svc_ctx *,
		    const struct svc_adv *);
/* One source review as NISC and its reviewer see it. */
json_t		*api_adv_review_row_json(struct api_req *,
		    const struct store_adv_review *);
/*
 * The summary line of an inbox/list item (d: the caller's delivery or
 * NULL); with raws, the stored summary's text goes into a slot of it
 * (api_raws_send), else it is parsed.
 */
json_t		*api_adv_item_json(struct api_req *, const struct svc_adv *,
		    const struct store_delivery *d, struct api_raws *raws);
/* A report's "disclosures" list as the reader sees it (disclosures.c). */
json_t		*api_disclosures_json(struct svc_ctx *, const struct svc_report *);
/* The optional "disclosure" id of a share body (0 when absent). */
enum cs_err	 api_disclosure_arg(struct api_req *, int64_t *id,
		    struct cs_error *) CS_WUR;
/* .visible of a report route: the :id report exists and the caller reads it. */
enum cs_err	 api_report_visible(struct api_req *, struct cs_error *) CS_WUR;
/*
 * GET /reports/{id} and GET /advisories/{id} into *out: load, audit the
 * read, render.  The STIX endpoints (api/stix.c) map exactly this JSON.
 */
enum cs_err	 api_report_get_json(struct api_req *, json_t **out,
		    struct cs_error *) CS_WUR;
enum cs_err	 api_adv_get_json(struct api_req *, json_t **out,
		    json_t **review, struct cs_error *) CS_WUR;
/*
 * The JSON of GET /reports/{id} for report `id`, loaded with the
 * visibility check, without auditing the read (TAXII audits its page).
 */
enum cs_err	 api_report_json_of(struct api_req *, int64_t id, json_t **out,
		    struct cs_error *) CS_WUR;
/* The organisations a report's STIX form names (api/stix.c). */
json_t		*api_stix_report_orgs(struct api_req *, const json_t *report);

#endif
