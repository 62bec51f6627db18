/*
 * svc_obs: the observable index (docs/analysis.md "Observables") — filled
 * at intake from every clear version text, read through the one read
 * policy: an item the acting principal may not read (or a version row of
 * it that it does not see) is never listed and never counted.
 */
#ifndef CS_SVC_OBS_H
#define CS_SVC_OBS_H

#include "svc/svc.h"
#include "svc/svc_report.h"

struct obs;

/*
 * Index the observables of one version text (a form's JSON text) of an
 * item (STORE_ITEM_REPORT at a hop, or STORE_ITEM_ADVISORY, hop 0).
 * Only clear texts: a sealed source form is never indexed.
 */
enum cs_err	 svc_obs_index(struct store *, int item_kind, int64_t item,
		    int version, int hop, int sector, const char *text,
		    int64_t at_us) CS_WUR;
/* Those found already (obs_extract*), indexed. */
enum cs_err	 svc_obs_index_list(struct store *, int item_kind, int64_t item,
		    int version, int hop, int sector, const struct obs *,
		    size_t, int64_t at_us) CS_WUR;
/* The same of the parsed form the text was dumped from (not parsed again). */
enum cs_err	 svc_obs_index_json(struct store *, int item_kind, int64_t item,
		    int version, int hop, int sector, const json_t *form,
		    int64_t at_us) CS_WUR;
/*
 * Index what is stored and not yet indexed (the data of before migration
 * 11): once, remembered as meta "obs_indexed".
 */
enum cs_err	 svc_obs_backfill(struct store *) CS_WUR;

/* GET /observables?value=: 400 "value" when it is no observable. */
enum cs_err	 svc_obs_lookup(struct svc_ctx *, const char *value, json_t **out,
		    struct cs_error *) CS_WUR;
/* GET /reports/{id}/correlations of a report the principal may read. */
enum cs_err	 svc_obs_correlations(struct svc_ctx *, const struct svc_report *,
		    json_t **out, struct cs_error *) CS_WUR;
/* GET /correlations: observables seen in min_sectors sectors in days. */
enum cs_err	 svc_obs_queue(struct svc_ctx *, int min_sectors, int days,
		    json_t **out, struct cs_error *) CS_WUR;

#endif
