/*
 * purge.c: see purge.h.  Each batch is one transaction: an item goes with
 * every row that refers to it or not at all (st_retention.c), and the
 * batch's audit entry commits with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "daemon/options.h"
#include "daemon/purge.h"

void
purge_config(const struct opts *o, struct svc_config *cfg)
{
	cfg->retention.days[RET_REPORTS] = o->retain_reports;
	cfg->retention.days[RET_ADVISORIES] = o->retain_advisories;
	cfg->retention.days[RET_STIX] = o->retain_stix;
	cfg->retention.days[RET_NOTIFICATIONS] = o->retain_notifications;
	cfg->retention.days[RET_EXERCISES] = o->retain_exercises;
}

enum cs_err
purge_run(struct store *st, const struct svc_config *cfg, int64_t now_us,
    int64_t purged[RET__COUNT])
{
	struct svc_ctx c;
	struct cs_error e;
	enum cs_err rc, worst = CS_OK;

	for (int k = 0; k < RET__COUNT; k++) {
		int64_t n = SVC_PURGE_BATCH;

		purged[k] = 0;
		if (retention_cutoff(&cfg->retention, (enum cs_ret_class)k,
		    now_us) == 0)
			continue;
		while (n == SVC_PURGE_BATCH) {
			cs_error_clear(&e);
			if ((rc = store_begin(st)) != CS_OK) {
				worst = rc;
				break;
			}
			svc_ctx_system(&c, st, cfg, now_us);
			if ((rc = svc_retention_purge(&c, k, SVC_PURGE_BATCH, &n,
			    &e)) != CS_OK) {
				store_rollback(st);
				log_warn("event=purge_failed class=%s error=%s "
				    "msg=\"%s\"", retention_class_id(k),
				    cs_err_name(rc), e.msg);
				worst = rc;
				break;
			}
			if ((rc = store_commit(st)) != CS_OK) {
				log_warn("event=purge_failed class=%s error=%s",
				    retention_class_id(k), cs_err_name(rc));
				worst = rc;
				break;
			}
			purged[k] += n;
		}
		if (purged[k] > 0)
			log_info("event=purge class=%s days=%lld purged=%lld",
			    retention_class_id(k),
			    (long long)cfg->retention.days[k],
			    (long long)purged[k]);
	}
	return worst;
}

static int
dry_run(struct store *st, const struct svc_config *cfg, int64_t now_us)
{
	struct svc_ctx c;
	struct cs_error e;
	json_t *plan = NULL, *cl;
	size_t i;
	enum cs_err rc;

	cs_error_clear(&e);
	if (store_begin(st) != CS_OK)
		fatalx("purge: cannot begin a transaction");
	svc_ctx_system(&c, st, cfg, now_us);
	if ((rc = svc_retention_plan(&c, &plan, &e)) != CS_OK) {
		store_rollback(st);
		fatalx("purge: %s", e.msg);
	}
	if (store_commit(st) != CS_OK)
		fatalx("purge: commit failed");
	json_array_foreach(json_object_get(plan, "classes"), i, cl) {
		json_t *cut = json_object_get(cl, "cutoff");

		printf("%-14s days=%-6lld due=%-6lld cutoff=%s\n",
		    json_string_value(json_object_get(cl, "class")),
		    (long long)json_integer_value(json_object_get(cl, "days")),
		    (long long)json_integer_value(json_object_get(cl, "due")),
		    json_is_string(cut) ? json_string_value(cut) : "-");
	}
	printf("%-14s reports=%lld advisories=%lld (never purged)\n", "held",
	    (long long)json_integer_value(json_object_get(json_object_get(plan,
	    "held"), "reports")),
	    (long long)json_integer_value(json_object_get(json_object_get(plan,
	    "held"), "advisories")));
	printf("%-14s kept (hash-chained, never purged)\n", "audit");
	json_decref(plan);
	fflush(stdout);
	return 0;
}

int
purge_cmd(const struct opts *o)
{
	struct svc_config cfg;
	struct store *st;
	struct cs_error e;
	int64_t purged[RET__COUNT], now = cs_time_now_us(), total = 0;
	enum cs_err rc;
	int code;

	if (o->dry_run == o->purge_now) {
		fprintf(stderr, "cishared: purge needs exactly one of --dry-run "
		    "and --now\n");
		opts_usage(o->cmd, 64);
	}
	memset(&cfg, 0, sizeof(cfg));
	purge_config(o, &cfg);
	cs_error_clear(&e);
	if (store_open(o->db, false, &st, &e) != CS_OK)
		fatalx("%s", e.msg);
	if (o->dry_run) {
		code = dry_run(st, &cfg, now);
		store_close(st);
		return code;
	}
	rc = purge_run(st, &cfg, now, purged);
	store_close(st);
	for (int k = 0; k < RET__COUNT; k++) {
		printf("%-14s purged=%lld\n", retention_class_id(k),
		    (long long)purged[k]);
		total += purged[k];
	}
	printf("%-14s purged=%lld%s\n", "total", (long long)total,
	    rc == CS_OK ? "" : " (a batch failed: see the log)");
	fflush(stdout);
	return rc == CS_OK ? 0 : 1;
}
