/*
 * stats.c: GET /stats and GET /public/stats (API.md "Analysis"): counts of
 * the reports the caller may read, grouped; parse → svc_stats → render.
 */
#include <string.h>

#include "analysis/analysis.h"
#include "api/api_int.h"
#include "svc/svc_stats.h"

/* ?group=sector,event_type&since=&until= into in. */
enum cs_err
api_stats_query(struct api_req *q, struct svc_stats_in *in, struct cs_error *e)
{
	const char *group = q->query(q->conn, "group");
	const char *since = q->query(q->conn, "since");
	const char *until = q->query(q->conn, "until");
	char buf[256], *p, *tok, *save = NULL;
	int d;

	memset(in, 0, sizeof(in[0]));
	if (group == NULL || *group == '\0')
		group = "sector";
	if (strlen(group) >= sizeof(buf))
		return cs_fail(e, CS_EINVAL, "group", "too long");
	(void)cs_strlcpy(buf, group, sizeof(buf));
	for (p = buf; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL) {
		if ((d = stats_dim_parse(tok)) < 0)
			return cs_fail(e, CS_EINVAL, "group", "unknown dimension; "
			    "allowed: sector, event_type, cause, route, tlp, month, "
			    "quarter, fiscal_year");
		in->dims |= 1u << d;
	}
	if (in->dims == 0)
		return cs_fail(e, CS_EINVAL, "group", "name at least one dimension");
	if (since != NULL && cs_time_parse(since, &in->since_us) != CS_OK)
		return cs_fail(e, CS_EINVAL, "since", "must be an RFC 3339 date-time");
	if (until != NULL && cs_time_parse(until, &in->until_us) != CS_OK)
		return cs_fail(e, CS_EINVAL, "until", "must be an RFC 3339 date-time");
	return CS_OK;
}

static enum cs_err
stats_get(struct api_req *q, struct cs_error *e)
{
	struct svc_stats_in in;
	struct svc_ctx c;
	enum cs_err rc;

	if ((rc = api_stats_query(q, &in, e)) != CS_OK)
		return rc;
	in.public_view = !q->authed;
	api_svc_ctx(q, &c);
	if ((rc = svc_stats(&c, &in, &q->out, e)) != CS_OK)
		return rc;
	q->status = 200;
	return CS_OK;
}

const struct api_route api_stats_routes[] = {
	API_ROUTE("GET", "/stats", ACT_STATS_READ, .fn = stats_get),
	API_ROUTE("GET", "/public/stats", ACT_PUBLIC_READ, .fn = stats_get),
	API_ROUTES_END
};
