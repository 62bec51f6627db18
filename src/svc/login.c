/*
 * login.c: the lockout of password logins (svc_login.h).
 */
#include "svc/svc_login.h"

/*
 * Locked while the last failure is less than a window old and the window
 * before it holds SVC_LOGIN_MAX_FAILS failures: the lock lasts a window
 * from the failure that set it (attempts refused meanwhile are not
 * failures, so they do not extend it).
 */
enum cs_err
svc_login_admit(struct svc_ctx *c, const unsigned char hash[32],
    int64_t *retry_s, struct cs_error *e)
{
	int64_t n, last, left;
	enum cs_err rc;

	*retry_s = 0;
	if ((rc = store_login_failures(c->st, hash, c->now_us -
	    SVC_LOGIN_WINDOW_US, &n, &last)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if (n == 0)
		return CS_OK;
	if (n < SVC_LOGIN_MAX_FAILS && (rc = store_login_failures(c->st, hash,
	    last - SVC_LOGIN_WINDOW_US, &n, &last)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if (n < SVC_LOGIN_MAX_FAILS)
		return CS_OK;
	left = last + SVC_LOGIN_WINDOW_US - c->now_us;
	*retry_s = left <= 0 ? 1 : (left + 999999) / 1000000;
	return cs_fail(e, CS_ELIMIT, "login", "too many failed attempts for "
	    "this login; try again in %lld seconds", (long long)*retry_s);
}

enum cs_err
svc_login_failed(struct svc_ctx *c, const unsigned char hash[32], int64_t user,
    struct cs_error *e)
{
	char item[32];
	enum cs_err rc;

	/* Older than two windows: no lock can still rest on them. */
	if ((rc = store_login_failures_prune(c->st, c->now_us -
	    2 * SVC_LOGIN_WINDOW_US)) != CS_OK ||
	    (rc = store_login_failure_add(c->st, hash, c->now_us)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	item[0] = '\0';
	if (user > 0)
		cs_fmt(item, sizeof(item), "user:%lld", (long long)user);
	if ((rc = svc_audit(c, "session.login_failed", item[0] ? item : NULL,
	    json_pack("{s:b}", "known_login", user > 0), false)) != CS_OK)
		return cs_fail(e, rc, "", "audit failed");
	return CS_OK;
}
