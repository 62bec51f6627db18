/*
 * disclosure.c: the disclosure basis of a report (issue 10 item 10).
 *
 * Reported information is not disclosed by default.  The 手引書 (seed 001,
 * 2.3 情報連絡された情報の取扱い, L2810) names the exceptions: "法令等に定め
 * がある場合又は連絡を行う重要インフラ事業者等の了承がある場合を除き開示しな
 * い", and the information may become public when it falls under the proviso
 * of 情報公開法 5条2号ロ ("人の生命、健康、生活又は財産を保護するため、公に
 * することが必要であると認められる情報").  A report records which of the
 * three applies, who decided it, when and why; nothing leaves the report's
 * TLP range without one (policy.c, policy_report_may_share_disclosed).
 *
 * Pure: the basis vocabulary, the check of a client's body and who may
 * record one.  The store, the audit entry and the listing are svc's
 * (src/svc/disclosure.c).
 */
#include <string.h>

#include "core/core.h"
#include "gen/vocab.h"

_Static_assert(DISC_PUBLIC_INTEREST + 1 == VOCAB_DISCLOSURE_BASIS_N &&
    DISC_LAW == VOCAB_DISCLOSURE_BASIS_LAW &&
    DISC_CONSENT == VOCAB_DISCLOSURE_BASIS_CONSENT &&
    DISC_PUBLIC_INTEREST == VOCAB_DISCLOSURE_BASIS_PUBLIC_INTEREST,
    "enum cs_disclosure_basis differs from vocab_disclosure_basis");

const char *
core_disclosure_basis_id(enum cs_disclosure_basis b)
{
	if ((unsigned)b >= vocab_disclosure_basis_n)
		return "unknown";
	return vocab_disclosure_basis[b].id;
}

int
core_disclosure_basis_parse(const char *s, enum cs_disclosure_basis *out)
{
	int i;

	if (s == NULL || (i = vocab_index(vocab_disclosure_basis, s)) < 0)
		return -1;
	*out = (enum cs_disclosure_basis)i;
	return 0;
}

/*
 * A required, non-empty string of at most max characters without control
 * characters (multiline: line feeds, carriage returns and tabs allowed).
 */
static enum cs_err
check_text(json_t *body, const char *key, size_t max, bool multiline,
    const char **out, struct cs_error *e)
{
	json_t *v = json_object_get(body, key);
	const unsigned char *s;
	enum cs_err rc;

	if (v == NULL || json_is_null(v))
		return cs_fail(e, CS_EINVAL, key, "required field is missing");
	if ((rc = core_check_string(v, max, key, e)) != CS_OK)
		return rc;
	s = (const unsigned char *)json_string_value(v);
	for (const unsigned char *p = s; *p; p++) {
		if (multiline && (*p == '\n' || *p == '\r' || *p == '\t'))
			continue;
		/* C0 controls and DEL; C1 (U+0080..U+009F) is 0xc2 0x80..0x9f */
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 &&
		    p[1] <= 0x9f))
			return cs_fail(e, CS_EINVAL, key, "must not contain "
			    "control characters");
	}
	for (const unsigned char *p = s; *p; p++)
		if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t') {
			*out = (const char *)s;
			return CS_OK;
		}
	return cs_fail(e, CS_EINVAL, key, "must not be empty");
}

enum cs_err
core_disclosure_check(json_t *body, struct cs_disclosure_in *in,
    struct cs_error *e)
{
	json_t *v;
	enum cs_err rc;

	memset(in, 0, sizeof(*in));
	if (!json_is_object(body))
		return cs_fail(e, CS_EINVAL, "", "the body must be an object");
	v = json_object_get(body, "basis");
	if (v == NULL || json_is_null(v))
		return cs_fail(e, CS_EINVAL, "basis", "required field is missing");
	if (!json_is_string(v) ||
	    core_disclosure_basis_parse(json_string_value(v), &in->basis) != 0)
		return cs_fail(e, CS_EINVAL, "basis", "must be law, consent or "
		    "public_interest");
	if ((rc = check_text(body, "reason", CS_MAX_TEXT, true, &in->reason,
	    e)) != CS_OK)
		return rc;
	return check_text(body, "to", CS_MAX_STRING, false, &in->to, e);
}

enum cs_err
policy_report_may_disclose(const struct cs_principal *p,
    const struct cs_report_acl *r, struct cs_error *e)
{
	if (!policy_report_may_read(p, r))
		return cs_fail(e, CS_ENOENT, "", "no such report");
	switch (policy_report_relation(p, r)) {
	case REL_NISC:
		if (p->roles & (ROLE_ANALYST | ROLE_APPROVER))
			return CS_OK;
		return cs_fail(e, CS_EPERM, "", "NISC records a disclosure basis "
		    "through its analysts");
	case REL_MINISTRY:
		if (p->roles & ROLE_LIAISON)
			return CS_OK;
		return cs_fail(e, CS_EPERM, "", "a ministry records a disclosure "
		    "basis through its liaison");
	default:
		return cs_fail(e, CS_EPERM, "", "only NISC or a ministry on the "
		    "report's path records a disclosure basis");
	}
}
