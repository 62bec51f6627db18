/*
 * svc_report: reports (情報連絡) — the one loader of a report's access facts,
 * what a principal sees of its versions, and the operations file, follow up,
 * forward and share.  See svc.h for the context and transaction rules.
 */
#ifndef CS_SVC_REPORT_H
#define CS_SVC_REPORT_H

#include "svc/svc.h"
#include "svc/svc_dir.h"

/* A loaded report with the facts the policy needs. */
struct svc_report {
	struct store_report	 r;
	struct cs_report_acl	 acl;		/* points into the fields below */
	struct cs_org_ref	*shared;
	enum cs_state		*shared_reach;
	int64_t			*shared_disclosure;
	struct store_version	*v;		/* with SVC_LOAD_VERSIONS */
	size_t			 nv;
};

#define SVC_LOAD_VERSIONS	0x1	/* also load every stored version row */

/*
 * THE builder of a report's access facts (cs_report_acl) for the policy.
 * CS_ENOENT "no such report".  The caller frees x with svc_report_fini().
 */
enum cs_err	 svc_report_load(struct svc_ctx *, int64_t id, unsigned flags,
		    struct svc_report *x, struct cs_error *) CS_WUR;
/*
 * The version rows of x, loaded without SVC_LOAD_VERSIONS: when the policy
 * and a list's filters have kept it (a no-op when they are there).
 */
enum cs_err	 svc_report_versions(struct svc_ctx *, struct svc_report *x) CS_WUR;
/* The same, and the acting principal must read it (else CS_ENOENT). */
/*
 * The candidates of a report list for c->who: store_report_candidates(f),
 * and for an actor that joins in the large-scale mode (別紙４－２) also what
 * NISC holds of the affected sectors, merged newest first without
 * duplicates (at most f->limit ids below f->before_id).  The policy still
 * decides each one.  (Before, the mode's candidates replaced the reader's
 * own: a report shared with it vanished from its list — the property test.)
 */
enum cs_err	 svc_report_candidates(struct svc_ctx *, const struct store_report_filter *,
		    int64_t **ids, size_t *n) CS_WUR;
enum cs_err	 svc_report_load_visible(struct svc_ctx *, int64_t id,
		    unsigned flags, struct svc_report *x, struct cs_error *) CS_WUR;
void		 svc_report_fini(struct svc_report *);

/* How far version k has travelled, from its hop rows. */
enum cs_state	 svc_report_reached(const struct svc_report *, int k);
/* Version k's row at hop h, or NULL. */
const struct store_version *svc_report_hop_row(const struct svc_report *, int k,
		    enum cs_hop h);
/*
 * Opens a part sealed to the report's CEPTOAR secretariat (heap, caller
 * frees), or NULL.  Callers first ask the policy whether the principal may.
 */
char		*svc_report_open_sealed(struct svc_ctx *, const struct svc_report *,
		    const char *sealed);
/*
 * The row of version k the principal sees, or NULL; *plain gets its form
 * opened from the seal (heap) when it is sealed, else NULL; *hop (may be
 * NULL) the hop shown.
 */
const struct store_version *svc_report_visible_row(struct svc_ctx *,
		    const struct svc_report *, int k, char **plain, enum cs_hop *hop);
/* Version k's form as the principal sees it: text (heap) or JSON (new ref). */
char		*svc_report_visible_text(struct svc_ctx *, const struct svc_report *,
		    int k, enum cs_hop *hop);
json_t		*svc_report_visible_form(struct svc_ctx *, const struct svc_report *,
		    int k, enum cs_hop *hop);

/* ---- operations ------------------------------------------------------ */

/*
 * What a source version's stored form is made of, worked out from the form
 * as the source sent it before the store is touched (svc_report_prepare:
 * outside the store lock): each top-level member's search text (folded,
 * ident_fold_json_value) and observables.  The version then takes them for
 * every member the server does not stamp (svc_report_file), which gives
 * exactly what the stamped form itself would.
 */
struct obs;

struct svc_report_part {
	const char	*key;		/* borrowed from the form */
	char		*folded;
	struct obs	*obs;
	size_t		 nobs;
};

struct svc_report_prep {
	struct svc_report_part	*v;
	size_t			 n;
};

void		 svc_report_prepare(const json_t *form, struct svc_report_prep *);
void		 svc_report_prep_fini(struct svc_report_prep *);
/*
 * ident_fold_json_value() and obs_extract_json() of the stamped form
 * (heap; obs_free), each member not stamped taken from p: member by member
 * in the form's order, as the whole-form functions go (test_svc compares).
 */
void		 svc_report_derive(const json_t *stamped,
		    const struct svc_report_prep *p, char **folded,
		    struct obs **obs, size_t *nobs);

struct svc_report_file_in {
	enum cs_route	 route;
	bool		 legal_duty;
	json_t		*form;		/* borrowed; copied before it is stamped */
	const int64_t	*extra;		/* sender-added recipients */
	size_t		 nextra;
	bool		 checked;	/* svc_report_file_check() already passed */
	/* svc_report_prepare() of form, or NULL (borrowed) */
	const struct svc_report_prep *prep;
};

struct svc_report_out {
	int64_t		 id;
	int		 version;
	enum cs_state	 state;
	int64_t		 r_number;	/* 0 until NISC numbers it */
	json_t		*versions;	/* forward: the versions moved (new ref) */
	/* forward with preview: [{version, form, redactions}] (new ref) */
	json_t		*preview;
	/* forward by a CEPTOAR: its member operators of the report's sector */
	int		 anonymity_set;
	bool		 small_set;	/* fewer than cfg->min_anonymity_set */
};

/* What stands where the CEPTOAR secretariat removed an identity. */
#define SVC_REDACTED	"［匿名化］"

/* How a hop forwards. */
struct svc_forward_in {
	json_t		*patch;		/* merged into the newest version moved */
	bool		 confirm_small_set; /* the small anonymity set is known */
	bool		 preview;	/* fill out->preview (a dry run) */
};

/* The input rules of a first report (form, numbers, legal duty vs route). */
enum cs_err	 svc_report_file_check(const struct svc_report_file_in *,
		    struct cs_error *) CS_WUR;
/* File a report (第1報) as the acting principal's organisation. */
enum cs_err	 svc_report_file(struct svc_ctx *,
		    const struct svc_report_file_in *, struct svc_report_out *,
		    struct cs_error *) CS_WUR;
/* File version k+1 (続報) of a loaded report; only its source may. */
enum cs_err	 svc_report_followup(struct svc_ctx *, struct svc_report *,
		    json_t *form, struct svc_report_out *, struct cs_error *) CS_WUR;
/*
 * Forward what reached the principal's hop (the CEPTOAR secretariat
 * anonymises, the ministry completes for NISC); in->patch (may be NULL) is
 * merged into the newest version moved.  x needs SVC_LOAD_VERSIONS.
 * A CEPTOAR secretariat learns its anonymity set (out->anonymity_set,
 * out->small_set below cfg->min_anonymity_set): its clients warn and ask
 * for a confirmation, recorded with the forward's audit entry (not
 * refused here: the forward contract predates it).  A preview (a dry run: the caller rolls back) fills
 * out->preview with each moved version as the next hop will receive it
 * and where it holds SVC_REDACTED, as {field, start, end} in code points.
 */
enum cs_err	 svc_report_forward(struct svc_ctx *, struct svc_report *,
		    const struct svc_forward_in *, struct svc_report_out *,
		    struct cs_error *) CS_WUR;
/*
 * The anonymity set of an anonymised report at its secretariat: the member
 * operators of the report's sector (those naming the secretariat as their
 * CEPTOAR, or naming none).
 */
enum cs_err	 svc_report_anonymity_set(struct svc_ctx *,
		    const struct svc_report *, int *n, struct cs_error *) CS_WUR;
/*
 * Share with each of `to` (errors name "to.N").  disclosure (0: none) is
 * the id of a disclosure basis recorded on the report (400 "disclosure"
 * otherwise): under it, targets outside the TLP ceiling are allowed, and
 * the audit entry carries the basis.
 */
enum cs_err	 svc_report_share(struct svc_ctx *, struct svc_report *,
		    const int64_t *to, size_t nto, int64_t disclosure,
		    struct cs_error *) CS_WUR;

/*
 * Record that the principal read a loaded report (a source reading its own
 * anonymised report is audited without its name).
 */
enum cs_err	 svc_report_read(struct svc_ctx *, const struct svc_report *,
		    struct cs_error *) CS_WUR;
/* Is that entry without the reader's name (svc_report_read's choice)? */
bool		 svc_report_read_anonymous(const struct svc_ctx *,
		    const struct svc_report *);
/* The entry itself, for a reader known to have read report id. */
enum cs_err	 svc_report_read_audit(struct svc_ctx *, int64_t id, bool anonymous,
		    struct cs_error *) CS_WUR;

/*
 * The identity set of x's source (svc_dir.h): for an anonymised report the
 * sealed snapshot and its organisation as it is now (opening the seal: only
 * for the secretariat's or a server-side check's eyes), else the
 * submitting organisation.  Compiled; the caller finis it.
 */
enum cs_err	 svc_report_source_identity(struct svc_ctx *,
		    const struct svc_report *x, struct svc_identity *,
		    struct cs_error *) CS_WUR;

/*
 * The anonymised write, for bulk writers too (bench/gen): set r's anon_tag
 * from its submitter org and seal `identity` (JSON text) to the
 * secretariat's key pk, and store both.
 */
enum cs_err	 svc_report_seal_source(struct store *, struct store_report *r,
		    int64_t submitter_org, const char *identity,
		    const unsigned char pk[32]) CS_WUR;
/*
 * Insert version k as its source sent it: sealed to pk when r is
 * anonymised (and then without by_org/by_user), else in clear.  form_json
 * (may be NULL) is the parsed form `form` was dumped from: the search text
 * and the observables are then taken from it without parsing form again;
 * prep (may be NULL) what svc_report_prepare() found of the form before it
 * was stamped.
 */
enum cs_err	 svc_report_source_version(struct store *,
		    const struct store_report *r, int k, const char *form,
		    const json_t *form_json, const struct svc_report_prep *prep,
		    const unsigned char *pk, int64_t by_org, int64_t by_user,
		    int64_t at_us) CS_WUR;

#endif
