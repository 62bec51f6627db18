/*
 * retention.h: the retention rules (issue 16 item 6), pure: the item
 * classes a deployment keeps for a configured number of days, the cut-off
 * a purge run compares each item's last activity with, whether an item
 * is due, and who may place a legal hold or erase an anonymised source.
 * docs/internals/retention.md explains the choices (the audit log is kept).
 */
#ifndef CS_CORE_RETENTION_H
#define CS_CORE_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/core.h"

enum cs_ret_class {
	RET_REPORTS = 0,	/* reports: every version, hop, share, attachment */
	RET_ADVISORIES,		/* advisories: versions, deliveries, inbox events */
	RET_STIX,		/* STIX objects contributed through TAXII */
	RET_NOTIFICATIONS,	/* the notification outbox (sent or given up) */
	RET_EXERCISES,		/* cross-sector exercises with their notes */
	RET__COUNT
};

#define RET_DAY_US	(INT64_C(86400) * 1000000)
#define RET_MAX_DAYS	36500	/* 100 years */

/* The configured policy: days per class, 0 = keep forever (the default). */
struct cs_retention {
	int64_t		days[RET__COUNT];
};

/* "reports", ...; "" out of range. */
const char	*retention_class_id(enum cs_ret_class);
/* The class named id; -1 when none. */
int		 retention_class_of(const char *id);

/*
 * The last-activity time before which an item of class k is due at
 * now_us; 0 when the class is kept forever (nothing is due).
 */
int64_t		 retention_cutoff(const struct cs_retention *, enum cs_ret_class k,
		    int64_t now_us);

/* Is an item of class k, last active at last_us, due at now_us? Held: never. */
bool		 retention_due(const struct cs_retention *, enum cs_ret_class k,
		    int64_t last_us, bool held, int64_t now_us);

/*
 * May p place or lift a legal hold on an item?  An admin may on any item
 * (by id, without reading it); NISC analysts and approvers on an item they
 * may read (`readable`, from the read policy).
 */
bool		 retention_may_hold(const struct cs_principal *p, bool readable);

/*
 * May p erase the sealed source identity of report r?  Only an anonymised
 * report, only by its source (REL_SUBMITTER through the anonymity tag) or
 * its CEPTOAR secretariat (REL_CEPTOAR).
 */
bool		 retention_may_erase_source(const struct cs_principal *p,
		    const struct cs_report_acl *r);

#endif
