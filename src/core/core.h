/*
 * core: cishare's domain rules, with no I/O.  Reference enums (organisation
 * types, sectors, TLP, importance, taxonomy), the report form validator, the
 * visibility policy (the only place that decides who reads what), report
 * numbering, and the cryptography behind structural anonymity and
 * encryption at rest.
 *
 * Dependencies: util, jansson (as a data structure), libsodium (pure
 * computation).  Thread-safety: all functions are reentrant once
 * core_init() has run.
 */
#ifndef CS_CORE_H
#define CS_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "util/util.h"

struct ident_set;

/* ---- reference enums ------------------------------------------------ */

enum cs_org_type {
	ORG_PLATFORM = 0,	/* the deployment's own admins; not creatable */
	ORG_NISC,
	ORG_CAS,		/* cas_crisis_management */
	ORG_CI_MINISTRY,
	ORG_CS_MINISTRY,	/* cybersecurity_ministry */
	ORG_IR_MINISTRY,	/* incident_response_ministry */
	ORG_DM_MINISTRY,	/* disaster_management_ministry */
	ORG_CS_AGENCY,		/* cybersecurity_agency */
	ORG_CYBER_BUSINESS,	/* cyberspace_business */
	ORG_CI_OPERATOR,
	ORG_CEPTOAR_SEC,	/* ceptoar_secretariat */
	ORG_CEPTOAR_COUNCIL,
	ORG__COUNT
};

const char	*core_org_type_id(enum cs_org_type);
int		 core_org_type_parse(const char *, enum cs_org_type *);

#define CS_NSECTORS	15
#define CS_ALL_SECTORS	((1u << CS_NSECTORS) - 1)
const char	*core_sector_id(int);
int		 core_sector_parse(const char *);	/* index or -1 */

enum cs_role {
	ROLE_MEMBER	= 1 << 0,
	ROLE_POC	= 1 << 1,
	ROLE_LIAISON	= 1 << 2,
	ROLE_ANALYST	= 1 << 3,
	ROLE_APPROVER	= 1 << 4,
	ROLE_ORG_ADMIN	= 1 << 5,
	ROLE_ADMIN	= 1 << 6
};
#define CS_NROLES 7
const char	*core_role_id(int bit_index);
unsigned	 core_role_parse(const char *);	/* bit or 0 */

/* Ordered from the strictest: a smaller value is a narrower audience. */
enum cs_tlp { TLP_RED = 0, TLP_AMBER_STRICT, TLP_AMBER, TLP_GREEN, TLP_CLEAR };
const char	*core_tlp_id(enum cs_tlp);
int		 core_tlp_parse(const char *, enum cs_tlp *);

enum cs_route { ROUTE_DIRECT = 0, ROUTE_VIA_CEPTOAR, ROUTE_URGENT };
const char	*core_route_id(enum cs_route);
int		 core_route_parse(const char *, enum cs_route *);

enum cs_state { ST_AT_CEPTOAR = 0, ST_AT_MINISTRY, ST_AT_NISC };
const char	*core_state_id(enum cs_state);

/* ---- principals and organisations ----------------------------------- */

/* Who is asking: built by src/http from the credential, read by the policy. */
struct cs_principal {
	int64_t			user_id;
	int64_t			org_id;
	enum cs_org_type	org_type;
	uint32_t		org_sectors;	/* bit per sector index */
	unsigned		roles;		/* enum cs_role bits */
	bool			nda_contractor;
	bool			org_pre_arranged;
	/*
	 * The large-scale CI service failure mode (別紙４－２) while it is on:
	 * its affected sectors, a bit each (0: off).  Set per request from
	 * the deployment's state, read by the policy.
	 */
	uint32_t		ls_sectors;
	/*
	 * The organisation stands for a federation peer node (a peer in the
	 * registry names it): never RED, never a drill's items.
	 */
	bool			fed_peer;
};

/* An organisation as the policy needs it (a share target, say). */
struct cs_org_ref {
	int64_t			id;
	enum cs_org_type	type;
	uint32_t		sectors;
	bool			pre_arranged;
	int64_t			ceptoar;	/* its CEPTOAR secretariat, 0 if none */
};

/* ---- reports: the facts the policy decides on ----------------------- */

enum cs_hop { HOP_SOURCE = 0, HOP_CEPTOAR, HOP_MINISTRY };
const char	*core_hop_id(enum cs_hop);

struct cs_path_entry {
	int64_t			org_id;
	enum cs_org_type	org_type;
	int64_t			joined_us;
};

struct cs_report_acl {
	int64_t			 id;
	enum cs_route		 route;
	enum cs_tlp		 tlp;		/* effective: the strictest so far */
	int			 sector;
	bool			 anonymised;
	int64_t			 submitter_org;	/* 0 when anonymised */
	unsigned char		 anon_tag[32];	/* core_anon_tag() of the submitter */
	const struct cs_path_entry *path;	/* orgs that hold it, in order */
	size_t			 npath;
	const struct cs_org_ref	*shared;	/* orgs it was shared with */
	size_t			 nshared;
	/*
	 * Parallel to shared (may be NULL): how far a version must have
	 * travelled before that share shows it — the sharer's own hop, so a
	 * share never shows what the sharer itself has not received.
	 */
	const enum cs_state	*shared_reach;
	const int64_t		*extra;		/* sender-added recipients */
	size_t			 nextra;
	/*
	 * Parallel to shared (may be NULL): the disclosure basis a share
	 * outside the TLP ceiling was made under, 0 for none (disclosure.c).
	 */
	const int64_t		*shared_disclosure;
};

/* How a principal's organisation stands to a report. */
enum cs_relation {
	REL_NONE = 0,
	REL_SUBMITTER,		/* filed it (anonymised: proven by the tag) */
	REL_CEPTOAR,		/* the CEPTOAR secretariat on its path */
	REL_MINISTRY,		/* a ministry on its path */
	REL_NISC,		/* NISC on its path */
	REL_SHARED		/* explicitly shared with */
};

enum cs_relation policy_report_relation(const struct cs_principal *,
		    const struct cs_report_acl *);
/*
 * THE visibility policy for reports.  Every read path (API, UI, lists,
 * search, exports, notifications, statistics) calls this and nothing else.
 */
bool		 policy_report_may_read(const struct cs_principal *,
		    const struct cs_report_acl *);
/*
 * May the principal share the report with `target`?  On refusal fills e
 * (CS_EPERM or CS_ENOENT) naming `field`.
 */
enum cs_err	 policy_report_may_share(const struct cs_principal *,
		    const struct cs_report_acl *, const struct cs_org_ref *target,
		    const char *field, struct cs_error *e) CS_WUR;
/*
 * The same for a share under a disclosure basis recorded on the report
 * (disclosure.c): the holder's relation and roles as above, but a target
 * outside the TLP ceiling is allowed.
 */
enum cs_err	 policy_report_may_share_disclosed(const struct cs_principal *,
		    const struct cs_report_acl *, const struct cs_org_ref *target,
		    const char *field, struct cs_error *e) CS_WUR;
/* Is `org` inside the report TLP ceiling (tlp.json, report audience)? */
bool		 policy_report_in_ceiling(enum cs_tlp, int sector,
		    const struct cs_org_ref *org);
/* May the principal see identity-bearing (sealed) parts of an anonymised report? */
bool		 policy_report_may_see_identity(const struct cs_principal *,
		    const struct cs_report_acl *);
/*
 * Does version facts (how far it travelled, whether its only form is sealed)
 * let the principal see it?  `reached` is the furthest hop state the
 * version has reached.
 */
bool		 policy_report_version_visible(const struct cs_principal *,
		    const struct cs_report_acl *, enum cs_state reached);
/* Which hop entries of a version the principal may see. */
bool		 policy_report_hop_visible(const struct cs_principal *,
		    const struct cs_report_acl *, enum cs_hop hop, bool sealed);

/* ---- advisories: the facts the policy decides on -------------------- */

enum cs_adv_state {
	ADV_PENDING_APPROVAL = 0,
	ADV_ISSUED,
	ADV_PENDING_SOURCE_REVIEW,	/* an anonymised source's secretariat reviews it */
	ADV_RETURNED,			/* a source review refused it: never delivered */
	ADV_RETURNED_FOR_REVISION	/* the approver sent it back (差戻し) */
};
const char	*core_adv_state_id(enum cs_adv_state);

enum cs_importance { IMP_NONE = 0, IMP_ALERT, IMP_CAUTION, IMP_REFERENCE };
const char	*core_importance_id(enum cs_importance);
enum cs_importance core_importance_parse(const char *);

struct cs_advisory_acl {
	int64_t			 id;
	enum cs_adv_state	 state;
	enum cs_tlp		 tlp;
	uint32_t		 sectors;	/* recipient sectors (form.recipients) */
	const int64_t		*delivered;	/* orgs it was delivered to */
	size_t			 ndelivered;
	const int64_t		*reviewers;	/* secretariats of anonymised sources */
	size_t			 nreviewers;	/* with a review of it (any state) */
};

/* Is `org` inside the advisory TLP ceiling (tlp.json, advisory audience)? */
bool		 policy_advisory_in_ceiling(enum cs_tlp, uint32_t sectors,
		    const struct cs_org_ref *org);
/* THE visibility policy for advisories (API, inbox, SSE, notifications). */
bool		 policy_advisory_may_read(const struct cs_principal *,
		    const struct cs_advisory_acl *);
/* Readable by anyone without logging in (issued and TLP:CLEAR). */
bool		 policy_advisory_public(const struct cs_advisory_acl *);
/* May the principal relay the advisory to `target`?  Fills e naming `field`. */
enum cs_err	 policy_advisory_may_relay(const struct cs_principal *,
		    const struct cs_advisory_acl *, const struct cs_org_ref *target,
		    const char *field, struct cs_error *e) CS_WUR;
/*
 * May the principal review the advisory for an anonymised source (a CEPTOAR
 * secretariat among its reviewers; policy.md "No oracle")?
 */
bool		 policy_advisory_may_review(const struct cs_principal *,
		    const struct cs_advisory_acl *);
/* May the principal see the link from an advisory to its source reports? */
bool		 policy_advisory_may_see_sources(const struct cs_principal *);

/*
 * TAXII 2.1 (docs/interop.md "TAXII 2.1").  The collections a principal
 * may read: advisories and indicators (what reached it: the advisory
 * policy decides each object), reports (NISC and ministries: the report
 * policy decides each), contributions (NISC, and the contributing kinds
 * of organisation: their own objects).
 */
enum cs_taxii_coll {
	TAXII_ADVISORIES = 0,
	TAXII_INDICATORS,
	TAXII_REPORTS,
	TAXII_CONTRIBUTIONS,
	TAXII__COUNT
};
bool		 policy_taxii_collection_may_read(const struct cs_principal *,
		    enum cs_taxii_coll);
/*
 * THE visibility policy of a contributed STIX object: NISC reads every
 * one; its contributing organisation reads its own (whatever the TLP:
 * RED stays at NISC and with its source); a peer node's account never
 * reads a RED one.
 */
bool		 policy_contribution_may_read(const struct cs_principal *,
		    int64_t source_org, enum cs_tlp);
/* The same as a store filter: 0 every organisation's, else that org's. */
int64_t		 policy_contribution_scope(const struct cs_principal *);
/*
 * Federation (docs/interop.md "Federation"): may an item of this TLP,
 * part of a drill or not, go to the principal?  Anyone but a peer node's
 * account: what the read policy says; a peer node: never RED, never a
 * drill's items.
 */
bool		 policy_federation_may_send(const struct cs_principal *,
		    enum cs_tlp, bool drill);
/* May the principal read what peer nodes sent (NISC analysts' inbox)? */
bool		 policy_federated_may_read(const struct cs_principal *,
		    enum cs_tlp);

/*
 * What a report's source allowed an advisory built on it to reach: the
 * report's TLP and sector, widened by what the source approved.
 */
struct cs_source_scope {
	int64_t		report;
	enum cs_tlp	tlp;		/* widest TLP allowed */
	uint32_t	sectors;	/* sectors allowed as recipients */
	int64_t		r_number;	/* its R-number, named in a refusal (0: the id) */
};
void		 policy_source_scope(enum cs_tlp report_tlp, int report_sector,
		    struct cs_source_scope *out);
void		 policy_source_scope_widen(struct cs_source_scope *,
		    enum cs_tlp tlp, uint32_t sectors);
/* 409 naming form.tlp or form.recipients.N.sector if the advisory is wider. */
enum cs_err	 policy_advisory_scope_check(enum cs_tlp adv_tlp,
		    const int *recipient_sectors, size_t nrecipients,
		    const struct cs_source_scope *, size_t nsources,
		    struct cs_error *e) CS_WUR;

/* ---- report form ---------------------------------------------------- */

/* Limits on what a form may hold (also enforced on every other input). */
#define CS_MAX_BODY		(256 * 1024)
#define CS_MAX_TEXT		8000	/* code points in a free-text field */
#define CS_MAX_STRING		256	/* code points in a short string */
#define CS_MAX_TIMELINE		200	/* rows in ⑦ */
#define CS_MAX_LIST		100	/* ids in an id list */
#define CS_MAX_COUNT		1000000000LL	/* a count field (users, kW ...) */

/*
 * Validate a report_form object (forms.json) as sent by a client.
 * Server-set fields (report_sequence_number, identification_number,
 * reported_at when absent, reporter) may be absent.  On error fills e with
 * the dotted path, prefixed with `prefix` ("form").
 */
enum cs_err	 core_report_form_validate(json_t *form, const char *prefix,
		    struct cs_error *e) CS_WUR;
/*
 * Check that v is a JSON string of valid UTF-8 without NUL and at most max
 * characters (code points); on error fills e with `path`.
 */
enum cs_err	 core_check_string(json_t *v, size_t max, const char *path,
		    struct cs_error *e) CS_WUR;
/* Validate an advisory_form (forms.json); server-set fields may be absent. */
enum cs_err	 core_advisory_form_validate(json_t *form, const char *prefix,
		    struct cs_error *e) CS_WUR;
/* Format T<n> or T<n>-k into out. */
void		 core_advisory_ident(int64_t t, int version, char *out, size_t sz);
/*
 * Anonymise a report form in place: every free-text and short-string field
 * (never an enum value) has each identity hit (core/ident.h: after NFKC,
 * case folding and separator removal in digit runs) replaced by
 * `replacement`, and is cut back to its length limit if that grew it.
 * Text that is not valid UTF-8 is replaced whole (fail closed).
 */
void		 core_report_form_redact(json_t *form, const struct ident_set *,
		    const char *replacement);
/*
 * Every identity hit in the strings of v (values, any depth), appended to
 * hits as {"field": "<path>.<key>…", "start", "end", "needle"}: code points
 * of the original string, the index of the needle that matched.
 */
void		 core_json_ident_find(json_t *v, const char *path,
		    const struct ident_set *, json_t *hits);
/* Fetch the parsed tlp / sector of a validated form. */
enum cs_tlp	 core_report_form_tlp(json_t *form);
int		 core_report_form_sector(json_t *form);
/* Format R<n> or R<n>-k into out. */
void		 core_report_ident(int64_t r, int version, char *out, size_t sz);

/* ---- crypto: anonymity and encryption at rest ----------------------- */

#define CS_KEY_BYTES	32
/*
 * Install the deployment master key (from the key file beside the
 * database).  Subkeys for at-rest encryption, login lookup and submitter
 * tags are derived from it.  Must be called before the functions below.
 */
void		 core_keys_init(const unsigned char master[CS_KEY_BYTES]);
int		 core_keys_ready(void);
/* Keyed hash linking an anonymised report to its submitter org. */
void		 core_anon_tag(int64_t report_id, int64_t org_id,
		    unsigned char out[32]);
/* Keyed hash of a login for lookup without storing it in clear. */
void		 core_login_hash(const char *login, unsigned char out[32]);
/* At-rest encryption of directory PII (org names, logins, contacts). */
char		*core_seal_text(const char *plain);	/* base64, caller frees */
char		*core_open_text(const char *sealed);	/* NULL if bad */
/* Per-secretariat keypairs: sk is kept wrapped under the master key. */
void		 core_org_keypair(unsigned char pk[32], char **wrapped_sk);
/* Sealed box to a public key; returns base64, caller frees. */
char		*core_seal_to(const unsigned char pk[32], const char *plain);
/* Opens with the wrapped secret key; returns NULL if it does not open. */
char		*core_open_sealed(const unsigned char pk[32],
		    const char *wrapped_sk, const char *sealed);

/* Tokens: "cst_<id>_<secret>"; the store keeps only the hash of the secret. */
char		*core_token_new(int64_t id, unsigned char hash[32]);
int		 core_token_parse(const char *tok, int64_t *id,
		    unsigned char hash[32]);
int		 core_hash_eq(const unsigned char a[32], const unsigned char b[32]);
/* The CSRF token bound to a session token (keyed hash; 32 hex chars). */
void		 core_csrf_token(const char *session_token, char out[33]);
/* Constant-time comparison of two NUL-terminated strings. */
int		 core_str_eq_ct(const char *a, const char *b);
/* argon2id. */
char		*core_password_hash(const char *pw);	/* NULL on failure */
int		 core_password_verify(const char *hash, const char *pw);

/* Audit chain: hash = H(prev || canonical entry). */
void		 core_audit_hash(const unsigned char prev[32], const char *entry,
		    unsigned char out[32]);
void		 core_hex(const unsigned char *, size_t, char *out);
int		 core_unhex(const char *, unsigned char *, size_t);

/* ---- disclosure basis (disclosure.c; issue 10 item 10) ---------------- */

/*
 * Why reported information may leave its TLP range (手引書 2.3, seed
 * 001:L2810): a law requires it, the reporter consented, or the public-
 * interest proviso (情報公開法 5条2号ロ ただし書).  Indices into vocab
 * disclosure_basis; stored by value.
 */
enum cs_disclosure_basis {
	DISC_LAW = 0,
	DISC_CONSENT,
	DISC_PUBLIC_INTEREST
};
const char	*core_disclosure_basis_id(enum cs_disclosure_basis);
int		 core_disclosure_basis_parse(const char *,
		    enum cs_disclosure_basis *);

/* A disclosure as a client sends it (strings borrowed from the body). */
struct cs_disclosure_in {
	enum cs_disclosure_basis basis;
	const char		*reason;	/* <= CS_MAX_TEXT, line breaks allowed */
	const char		*to;		/* <= CS_MAX_STRING, one line */
};
/*
 * Checks {"basis", "reason", "to"} (all required; the strings non-empty
 * UTF-8 without NUL or other control characters): 400 naming the member.
 */
enum cs_err	 core_disclosure_check(json_t *body, struct cs_disclosure_in *,
		    struct cs_error *) CS_WUR;
/*
 * May the principal record a disclosure basis on the report?  NISC
 * (analyst, approver) or a ministry liaison on its path.  CS_ENOENT when
 * it may not read the report (the same answer as a missing one), else
 * CS_EPERM.
 */
enum cs_err	 policy_report_may_disclose(const struct cs_principal *,
		    const struct cs_report_acl *, struct cs_error *) CS_WUR;

/* ---- the CEPTOAR council space (policy.c) -------------------------- */

/*
 * A council post as the policy needs it.  The council is the CEPTOARs'
 * own forum, to which no government body is superior (行動計画 IV 5.1):
 * a post reaches the members its author addressed (or every member), and a
 * government organisation only when the author shares it.
 */
struct cs_council_acl {
	int64_t		 author_org;
	enum cs_tlp	 tlp;
	bool		 to_all;
	const int64_t	*to;		/* addressed members */
	size_t		 nto;
	const int64_t	*shared;	/* organisations the author shared it with */
	size_t		 nshared;
};

/*
 * May the principal read the post?  reader_member: its organisation is a
 * council member now (an "all" post and an addressed one reach members
 * only).  The personnel rule of the TLP applies.
 */
bool		 policy_council_may_read(const struct cs_principal *,
		    const struct cs_council_acl *, bool reader_member);

/* ---- breached passwords (breached.c; ASVS 2.1.7) ---------------------- */

struct cs_breached;
/* One password a line; NULL (e set, field breached-passwords) on failure. */
struct cs_breached *core_breached_load(const char *path, struct cs_error *);
bool		 core_breached_has(const struct cs_breached *, const char *pw);
size_t		 core_breached_count(const struct cs_breached *);
void		 core_breached_free(struct cs_breached *);

/* ---- the yearly self-assessment survey (issue 14, docs/survey.md) ------ */
/*
 * A campaign of `sectors` is seen by NISC, and by the CI ministries and
 * the CI operators with a sector among them; others get its 404.
 */
bool		 policy_survey_may_see(const struct cs_principal *,
		    uint32_t sectors);
/* May answer (and draft): a CI operator of one of the campaign's sectors. */
bool		 policy_survey_may_answer(const struct cs_principal *,
		    uint32_t sectors);
/*
 * The sectors whose respondents' progress (who submitted, never answers)
 * and aggregates the principal sees: NISC all of the campaign's, a CI
 * ministry its own among them, anyone else none (0).
 */
uint32_t	 policy_survey_oversight(const struct cs_principal *,
		    uint32_t sectors);
/*
 * May read one organisation's answers (org, its sectors, whether it
 * shared them): its own organisation; NISC and the ministries of its
 * sectors only when it shared them.
 */
bool		 policy_survey_answers_may_read(const struct cs_principal *,
		    int64_t org, uint32_t org_sectors, bool shared);

/* ---- the risk-management workspace (policy.c) -------------------------- */

/*
 * An operator's risk workspace (profile, register, checklists, plan;
 * issue 14) is private to its organisation unless it shares it: may the
 * principal read the workspace of owner_org, shared with `shared`?
 */
bool		 policy_risk_may_read(const struct cs_principal *,
		    int64_t owner_org, const int64_t *shared, size_t nshared);
/* May the principal change it?  Its own organisation's users only. */
bool		 policy_risk_may_write(const struct cs_principal *,
		    int64_t owner_org);
/*
 * May an operator share its workspace with target?  NISC, or a CI ministry
 * responsible for one of the operator's sectors (its ministry).
 */
bool		 policy_risk_may_share_to(const struct cs_principal *owner,
		    const struct cs_org_ref *target);

#endif
