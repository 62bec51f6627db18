/*
 * svc_totp: the optional TOTP second factor (RFC 6238; docs/security.md
 * "Second factor").  A user enrolls (a new secret, pending), confirms it
 * with a code (active; 10 one-time recovery codes shown once), and then
 * every password login needs a code: 6 digits within one 30 s step of
 * now, each step accepted once, or an unused recovery code.  Disabling
 * needs the user's code, or an admin / the user's org_admin.  With
 * --require-totp ROLES a user of those roles without an active TOTP may
 * only enroll.  Each call runs inside the caller's transaction; every
 * change and every refusal at login is audited.
 */
#ifndef CS_SVC_TOTP_H
#define CS_SVC_TOTP_H

#include "svc/svc.h"

/*
 * GET /users/{id}/totp: {"enabled", "pending", "required",
 * "recovery_left", "confirmed_at"} for the user itself or its manager
 * (svc_user_manages); else the 404 of a missing user.
 */
enum cs_err	 svc_totp_status(struct svc_ctx *, int64_t user, json_t **out,
		    struct cs_error *) CS_WUR;
/*
 * The user itself: a new pending secret (replacing a pending one); 409
 * when one is active.  *secret (base32) and *uri (otpauth://) are the
 * caller's to free.
 */
enum cs_err	 svc_totp_enroll(struct svc_ctx *, int64_t user, char **secret,
		    char **uri, struct cs_error *) CS_WUR;
/*
 * The user itself: activates the pending secret when code is its current
 * code; *codes the 10 recovery codes (a JSON array, shown once).
 */
enum cs_err	 svc_totp_confirm(struct svc_ctx *, int64_t user, const char *code,
		    json_t **codes, struct cs_error *) CS_WUR;
/*
 * The user with a valid code (TOTP or recovery; an admin's own too), or
 * another user's manager without one: removes the second factor
 * (pending or active).
 */
enum cs_err	 svc_totp_disable(struct svc_ctx *, int64_t user, const char *code,
		    struct cs_error *) CS_WUR;
/*
 * After a right password for `user` (login hash h): CS_OK when the user
 * has no active TOTP or otp is a valid unused code or recovery code;
 * else the failure counts towards the lockout, is audited, and the
 * answer is CS_EAUTH with field "otp".
 */
enum cs_err	 svc_totp_login(struct svc_ctx *, const unsigned char h[32],
		    int64_t user, const char *otp, struct cs_error *) CS_WUR;
/* Must this user (roles) enroll before anything else? */
enum cs_err	 svc_totp_enroll_due(struct svc_ctx *, const struct store_user *,
		    bool *due) CS_WUR;

#endif
