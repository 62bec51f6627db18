/*
 * svc_dir: the directory — organisations (with a CEPTOAR secretariat's key
 * pair and the identifiers the de-identification check looks for), users
 * (passwords, roles), tokens, and the password check of a login.  See
 * svc.h for the context and transaction rules.
 *
 * Who may attempt an operation by organisation type and role is the
 * router's (core/authz.c); what is checked here is the relation: an
 * org_admin acts only on its own organisation and its users, only an admin
 * grants admin, a user manages its own tokens.  The input rules the API
 * checks in between its own parsing (to keep the order of its errors) are
 * exported; an operation called with `checked` unset runs them itself.
 */
#ifndef CS_SVC_DIR_H
#define CS_SVC_DIR_H

#include "svc/svc.h"
#include "core/ident.h"

/* ---- organisations --------------------------------------------------- */

struct svc_org_in {
	const char		*name;
	enum cs_org_type	 type;
	uint32_t		 sectors;
	int64_t			 ceptoar;	/* its secretariat, 0: none */
	bool			 pre_arranged;
	json_t			*identifiers;	/* borrowed; NULL or null: none */
	bool			 checked;	/* the rules below already passed */
};

/* A CI ministry and a CEPTOAR secretariat list their sectors. */
bool		 svc_org_needs_sectors(enum cs_org_type);
/* Only a cybersecurity agency can be pre-arranged (※1). */
bool		 svc_org_may_pre_arrange(enum cs_org_type);
/*
 * Is organisation `id` a CEPTOAR secretariat (*yes)?  CS_ENOENT: no such
 * organisation; else a store error (e not filled: the caller words it).
 */
enum cs_err	 svc_org_is_ceptoar(struct svc_ctx *, int64_t id, bool *yes)
		    CS_WUR;
/*
 * The ceptoar of a new organisation must be a CEPTOAR secretariat (field
 * ceptoar).
 */
enum cs_err	 svc_org_ceptoar_check(struct svc_ctx *, int64_t id,
		    struct cs_error *) CS_WUR;
/*
 * An identifiers array (the strings a source is known by): at most 32
 * strings of 3 to 128 characters.  *out: its JSON text (heap), NULL when
 * v is NULL or null.
 */
enum cs_err	 svc_org_identifiers(json_t *v, char **out, struct cs_error *)
		    CS_WUR;
/*
 * Create an organisation (a CEPTOAR secretariat gets its key pair) and
 * audit it (org.create); *id its id.
 */
enum cs_err	 svc_org_create(struct svc_ctx *, const struct svc_org_in *,
		    int64_t *id, struct cs_error *) CS_WUR;
/*
 * May the principal see organisation o: every organisation but the
 * platform's own, which only admins see.
 */
bool		 svc_org_visible(const struct svc_ctx *, const struct store_org *o);
/*
 * Load organisation `id` the principal may see: CS_ENOENT "no such
 * organisation", the same for a missing id and an invisible one.
 */
enum cs_err	 svc_org_load(struct svc_ctx *, int64_t id, struct store_org *o,
		    struct cs_error *) CS_WUR;
/* May the principal change loaded organisation o (admin, or its org_admin)? */
enum cs_err	 svc_org_may_update(struct svc_ctx *, const struct store_org *,
		    struct cs_error *) CS_WUR;
/*
 * Store the changed organisation o and audit it (org.update, with the
 * names of the members of `fields`, the request's changes, borrowed —
 * never their values: names and identifiers are sealed at rest).
 */
enum cs_err	 svc_org_update(struct svc_ctx *, const struct store_org *o,
		    json_t *fields, struct cs_error *) CS_WUR;

/* ---- identity sets ----------------------------------------------------- */

/*
 * The strings a source is known by (API.md "Source protection"): its
 * organisation's name and registered identifiers and, for each of its
 * users, login, display name, department, e-mail address, mail domain,
 * phone and fax; plus, for an anonymised report, the snapshot sealed with
 * it when it was filed.  `kinds[i]` names what needles[i] is ("org_name",
 * "identifier", "login", "display_name", "department", "email",
 * "mail_domain", "phone", "fax"), so a CEPTOAR reviewer can be told what a
 * hit is.  svc_identity_compile folds them into `set` (core/ident.h).
 * Plain text in memory only: never stored, never shown beyond the source's
 * own secretariat.
 */
struct svc_identity {
	char		**needles;
	const char	**kinds;
	size_t		  n;
	struct ident_set *set;
};

void		 svc_identity_init(struct svc_identity *);
void		 svc_identity_fini(struct svc_identity *);
/* Add one string (NULL and empty ones are skipped; duplicates too). */
void		 svc_identity_add(struct svc_identity *, const char *kind,
		    const char *s);
/* Add organisation `org` and all its users (CS_ENOENT: no such org). */
enum cs_err	 svc_identity_add_org(struct svc_ctx *, struct svc_identity *,
		    int64_t org, struct cs_error *) CS_WUR;
/* Add the fields of an identity snapshot (svc_identity_snapshot). */
void		 svc_identity_add_snapshot(struct svc_identity *, json_t *);
/* The snapshot of the acting user and org sealed with an anonymised report. */
json_t		*svc_identity_snapshot(const struct svc_ctx *);
/* Fold the strings into id->set (call once, after the adds). */
enum cs_err	 svc_identity_compile(struct svc_identity *, struct cs_error *)
		    CS_WUR;

/* ---- users ----------------------------------------------------------- */

struct svc_user_in {
	int64_t		 org;
	const char	*login;
	const char	*display_name, *email, *phone, *department, *fax;
	const char	*password;	/* NULL: no password login */
	unsigned	 roles;
	bool		 nda_contractor;
	bool		 checked;	/* the rules below already passed */
};

/*
 * May the principal add users to organisation `org` (an admin, or its
 * org_admin; field org), and does it exist?
 */
enum cs_err	 svc_user_may_add(struct svc_ctx *, int64_t org,
		    struct cs_error *) CS_WUR;
/* A login name: 1-64 characters of A-Z a-z 0-9 . _ @ - + (field login). */
enum cs_err	 svc_user_login_check(const char *login, struct cs_error *)
		    CS_WUR;
/*
 * A new password (field password; ASVS V2.1): 12 to 128 characters, any,
 * not holding the login, not in the configured breached-password list.
 */
#define SVC_PASSWORD_MIN	12
#define SVC_PASSWORD_MAX	128
enum cs_err	 svc_user_password_rule(const struct svc_config *,
		    const char *login, const char *pw, struct cs_error *) CS_WUR;
/* Only an admin grants admin (field roles). */
enum cs_err	 svc_user_roles_check(struct svc_ctx *, unsigned roles,
		    struct cs_error *) CS_WUR;
/*
 * May the principal manage user u: an admin; its organisation's org_admin
 * unless u is an admin; with self_ok, u itself.
 */
bool		 svc_user_manages(const struct svc_ctx *,
		    const struct store_user *u, bool self_ok);
/*
 * May the principal see user u: an admin, u itself, or an org_admin of u's
 * organisation (GET /users shows it those users).
 */
bool		 svc_user_visible(const struct svc_ctx *, const struct store_user *u);
/*
 * Load user `id` the principal may see: CS_ENOENT "no such user", the same
 * for a missing id and an invisible one.
 */
enum cs_err	 svc_user_load(struct svc_ctx *, int64_t id, struct store_user *u,
		    struct cs_error *) CS_WUR;
/*
 * Create a user (login unique, password hashed) and audit it
 * (user.create); *id its id.
 */
enum cs_err	 svc_user_create(struct svc_ctx *, const struct svc_user_in *,
		    int64_t *id, struct cs_error *) CS_WUR;

/* What a user update changed besides the fields already set on the row. */
struct svc_user_change {
	bool		 roles, nda_contractor;	/* present in the request */
	bool		 password;		/* set the password below */
	const char	*new_password;		/* NULL: disable password login */
};

/*
 * Store the changed user u (with a new password: the rule, then its hash)
 * and audit it (user.update, naming which of roles, nda_contractor and
 * password the request held).
 */
enum cs_err	 svc_user_update(struct svc_ctx *, struct store_user *u,
		    const struct svc_user_change *, struct cs_error *) CS_WUR;

/* ---- tokens and passwords --------------------------------------------- */

/*
 * Mint a token for user `user` (label may be NULL) and audit it
 * (token.create): *tok the secret (heap; the caller wipes and frees it).
 * No relation check: the caller has one (svc_token_create) or the password.
 */
enum cs_err	 svc_token_mint(struct svc_ctx *, int64_t user,
		    const char *label, char **tok, struct cs_error *) CS_WUR;
/* The same with an expiry (0: never) and a scope (enum cs_token_scope). */
enum cs_err	 svc_token_mint_ex(struct svc_ctx *, int64_t user,
		    const char *label, int64_t expires_us, int scope, char **tok,
		    struct cs_error *) CS_WUR;
/* A login's token (POST /login) expires after 90 days. */
#define SVC_LOGIN_TOKEN_US	(90LL * 86400 * 1000000)
/*
 * The same for user id `user` as the principal: an admin, the user's
 * org_admin or the user itself.
 */
enum cs_err	 svc_token_create(struct svc_ctx *, int64_t user,
		    const char *label, int64_t expires_us, int scope, char **tok,
		    struct cs_error *) CS_WUR;
/*
 * Revoke token `id` and audit it (token.revoke); a token of a user the
 * principal does not manage is CS_ENOENT "no such token".
 */
enum cs_err	 svc_token_revoke(struct svc_ctx *, int64_t id,
		    struct cs_error *) CS_WUR;
/*
 * The user a login and password name (POST /login, POST /session).  A
 * locked login is CS_ELIMIT with *retry_s set, before any password work;
 * a wrong pair is CS_EAUTH "wrong login or password" (field password),
 * after the same argon2id cost whether or not the login exists, with the
 * failure recorded and audited: the caller commits on CS_EAUTH.
 */
enum cs_err	 svc_password_check(struct svc_ctx *, const char *login,
		    const char *pw, int64_t *user, int64_t *retry_s,
		    struct cs_error *) CS_WUR;
/*
 * The same, where a password reset by an administrator (temporary, see
 * svc_password_reset) must be replaced: with new_pw NULL that is
 * CS_ECONFLICT (field new_password); else new_pw (the password rule) is
 * stored, audited (user.password_change), and the login goes on.  The
 * same for a password that is in the breached list (--breached-passwords,
 * ASVS 2.1.7), though it was not when set.  A
 * user with an active TOTP must give otp first (svc_totp_login).
 */
enum cs_err	 svc_password_check_new(struct svc_ctx *, const char *login,
		    const char *pw, const char *new_pw, const char *otp,
		    int64_t *user,
		    int64_t *retry_s, struct cs_error *) CS_WUR;
/*
 * Reset the password of user `id` (admin, or the org_admin of the user's
 * organisation: svc_user_manages; else the same 404 as a missing user):
 * a random temporary password (*tmp, the caller frees and wipes it) that
 * must be changed at the next login; the user's other logins (API tokens
 * and sessions) stay; audited (user.password_reset).
 */
enum cs_err	 svc_password_reset(struct svc_ctx *, int64_t id, char **tmp,
		    struct cs_error *) CS_WUR;
/*
 * A user changes its own password (POST /users/{id}/password; ASVS 2.1.5,
 * 2.1.6): only the user itself (else CS_EPERM; an invisible user is the
 * 404 of a missing one), with its current password, checked as a login
 * is (the lockout: CS_ELIMIT with *retry_s; a wrong one is CS_EAUTH field
 * current_password, recorded and audited as a failed login — the caller
 * commits it), and a new one by the password rule that differs from it
 * (400 new_password).  Every web session of the user ends (API tokens
 * stay); audited user.password_change.
 */
enum cs_err	 svc_password_change(struct svc_ctx *, int64_t id,
		    const char *current, const char *new_pw, int64_t *retry_s,
		    struct cs_error *) CS_WUR;

#endif
