/*
 * purge.h: applying the retention policy (docs/internals/retention.md),
 * for the worker's schedule and for `cishared purge`.  Internal to
 * src/daemon/.
 */
#ifndef CS_DAEMON_PURGE_H
#define CS_DAEMON_PURGE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "svc/svc_retention.h"

/* The --retain-* options into cfg->retention. */
struct opts;
void		 purge_config(const struct opts *, struct svc_config *cfg);

/*
 * Purges every class to its end at now_us, SVC_PURGE_BATCH items per
 * transaction (a failed batch is rolled back whole and ends its class);
 * purged[k] gets the count per class.  CS_OK when every batch committed.
 */
enum cs_err	 purge_run(struct store *, const struct svc_config *,
		    int64_t now_us, int64_t purged[RET__COUNT]);

/* `cishared purge`: --dry-run prints what is due, --now purges; exit code. */
int		 purge_cmd(const struct opts *);

#endif
