/*
 * svc_login: the lockout of password logins (API.md "Source protection").
 * After SVC_LOGIN_MAX_FAILS failed attempts for one login within
 * SVC_LOGIN_WINDOW_US, every attempt for it — right or wrong — is refused
 * with CS_ELIMIT (429) until the window after the last failure has passed.
 * Logins are kept by their keyed hash, so an unknown login costs the same
 * and leaves no readable trace.  See svc.h for the context.
 */
#ifndef CS_SVC_LOGIN_H
#define CS_SVC_LOGIN_H

#include "svc/svc.h"

#define SVC_LOGIN_MAX_FAILS	5
#define SVC_LOGIN_WINDOW_US	(15LL * 60 * 1000000)

/*
 * CS_OK when the login (its keyed hash) may try now; CS_ELIMIT, with
 * *retry_s the seconds left, when it is locked out.
 */
enum cs_err	 svc_login_admit(struct svc_ctx *, const unsigned char hash[32],
		    int64_t *retry_s, struct cs_error *) CS_WUR;
/*
 * Record a failed attempt and audit it (session.login_failed; the user's
 * id when the login exists, else nothing that names it).  Failures older
 * than the window are pruned on the way.
 */
enum cs_err	 svc_login_failed(struct svc_ctx *, const unsigned char hash[32],
		    int64_t user, struct cs_error *) CS_WUR;

#endif
