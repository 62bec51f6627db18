/*
 * svc_disclosure: the disclosure basis of a report (issue 10 item 10).
 * Reported information is not disclosed by default; NISC or a ministry on
 * the report's path records why it may be (required by law, the
 * reporter's consent, or the public-interest proviso), and a share outside
 * the report's TLP ceiling names one (svc_report_share).  Every reader of
 * the report sees the list.  See svc.h for the context.
 */
#ifndef CS_SVC_DISCLOSURE_H
#define CS_SVC_DISCLOSURE_H

#include "svc/svc_report.h"

/*
 * Record a disclosure basis on a loaded report (the principal must be
 * NISC or a ministry liaison on its path: policy_report_may_disclose) and
 * audit it (report.disclose with the basis).  Sets *id.
 */
enum cs_err	 svc_disclosure_record(struct svc_ctx *, const struct svc_report *,
		    const struct cs_disclosure_in *, int64_t *id,
		    struct cs_error *) CS_WUR;
/*
 * The disclosures of a report the principal reads (else CS_ENOENT), oldest
 * first; the caller frees them with store_disclosures_free().
 */
enum cs_err	 svc_disclosure_list(struct svc_ctx *, const struct svc_report *,
		    struct store_disclosure **, size_t *, struct cs_error *) CS_WUR;
/*
 * Disclosure `id` recorded on the loaded report, into d (the caller
 * finis it); else 400 naming "disclosure" (a missing id and another
 * report's answer alike).
 */
enum cs_err	 svc_disclosure_find(struct svc_ctx *, const struct svc_report *,
		    int64_t id, struct store_disclosure *d,
		    struct cs_error *) CS_WUR;

#endif
