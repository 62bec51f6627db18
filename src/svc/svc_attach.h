/*
 * svc_attach: attachments (別紙) of reports and advisories and NISC's
 * sample requests (検体) (API.md "Attachments (別紙) and samples (検体)",
 * "sample requests"; issue 15 items 1-2).  An attachment belongs to one
 * report version as one hop holds it, or to an advisory, and is read by
 * exactly who reads that (core/attach.h, policy.c); an anonymised source's
 * file is sealed to its CEPTOAR secretariat like the source version and
 * reaches the ministry only as the copy the secretariat's forward keeps.
 * Every read and write is audited.  See svc.h for the context.
 */
#ifndef CS_SVC_ATTACH_H
#define CS_SVC_ATTACH_H

#include "core/attach.h"
#include "svc/svc_adv.h"
#include "svc/svc_report.h"

/* A file as a client sends it (borrowed). */
struct svc_attach_in {
	const char	*name;		/* checked by core_attach_name_check */
	const char	*content_type;	/* the request's Content-Type (may be NULL) */
	const void	*data;
	size_t		 n;
	int		 version;	/* a report's; 0: the newest */
};

/*
 * Adds a file to a loaded report (SVC_LOAD_VERSIONS) as the acting
 * principal (policy_report_may_attach) or to advisory `adv` (NISC; 404
 * when invisible).  *out: {"id","name","size","sha256","content_type",
 * "version"}.
 */
enum cs_err	 svc_attach_report(struct svc_ctx *, struct svc_report *,
		    const struct svc_attach_in *, json_t **out,
		    struct cs_error *) CS_WUR;
enum cs_err	 svc_attach_advisory(struct svc_ctx *, int64_t adv,
		    const struct svc_attach_in *, json_t **out,
		    struct cs_error *) CS_WUR;
/* The attachments of a loaded report / advisory the principal reads. */
json_t		*svc_attach_report_json(struct svc_ctx *, const struct svc_report *);
json_t		*svc_attach_adv_json(struct svc_ctx *, const struct svc_adv *);

/*
 * The secretariat's forward keeps `keep` (ids of the source's sealed
 * attachments of x not yet forwarded; 400 "attachments.N" otherwise):
 * each is opened and stored again in clear at the secretariat's hop.
 * *kept: the new ids.
 */
enum cs_err	 svc_attach_forward(struct svc_ctx *, const struct svc_report *,
		    const int64_t *keep, size_t n, json_t **kept,
		    struct cs_error *) CS_WUR;

/* A download being read: the record and, for a sealed one, its opener. */
struct svc_attach_read {
	struct store_attachment	 a;
	char			*name;		/* opened when sealed */
	char			*content_type;
	char			 sha256[65];
	bool			 sealed;
	struct cs_attach_seal	 seal;
	int			 next;		/* the chunk to read */
};
/*
 * Opens attachment id for the principal (404 when it may not read its
 * item, as for a missing one) and audits the read (attachment.read).
 */
enum cs_err	 svc_attach_open(struct svc_ctx *, int64_t id,
		    struct svc_attach_read *, struct cs_error *) CS_WUR;
/*
 * Appends the next chunk of the file to out (inside a transaction of
 * the caller's; opened when sealed); *done after the last.
 */
enum cs_err	 svc_attach_next(struct store *, struct svc_attach_read *,
		    struct cs_buf *out, bool *done) CS_WUR;
void		 svc_attach_read_fini(struct svc_attach_read *);

/* ---- sample requests --------------------------------------------------- */

/* NISC on the report's path asks for a sample; *id. */
enum cs_err	 svc_sample_request(struct svc_ctx *, const struct svc_report *,
		    const struct cs_sample_in *, int64_t *id,
		    struct cs_error *) CS_WUR;
/* The requests the principal sees, newest first (a page). */
enum cs_err	 svc_sample_list(struct svc_ctx *, int64_t before, int limit,
		    json_t **items, bool *more, int64_t *last,
		    struct cs_error *) CS_WUR;
/* One request (404 when not visible). */
enum cs_err	 svc_sample_get(struct svc_ctx *, int64_t id, json_t **out,
		    struct cs_error *) CS_WUR;
/*
 * The answerer answers with an attachment its organisation added to the
 * report (marked as the sample) or declines; 409 when answered already.
 */
enum cs_err	 svc_sample_answer(struct svc_ctx *, int64_t id,
		    int64_t attachment, const char *decline, json_t **out,
		    struct cs_error *) CS_WUR;

#endif
