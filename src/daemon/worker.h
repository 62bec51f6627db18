/*
 * worker: the background thread of `cishared serve`.
 *
 * It
 *  - once a second re-notifies recipients of issued 警報 (alert)
 *    advisories that have not acknowledged them within
 *    svc_config.reminder_us (an inbox event of kind "reminder" plus queued
 *    notifications), and
 *  - every 200 ms drains the notification outbox that src/svc/notify.c
 *    fills: e-mail over SMTP and signed webhooks over HTTP(S), both through
 *    libcurl, up to 20 transfers at once and one per channel, each with a
 *    10 s timeout, exponential back-off and a bounded number of attempts.
 *
 * Sending never happens inside a store transaction, and a slow receiver
 * holds up only its own channel.  Delivery is at least once; a receiver
 * deduplicates on X-Cishare-Delivery (webhooks) or the notification id in
 * Message-ID and X-Cishare-Delivery (e-mail).
 *
 * Webhook signature: X-Cishare-Signature is "sha256=" followed by the hex
 * HMAC-SHA256 of "<X-Cishare-Timestamp>.<body>", keyed with the channel
 * secret exactly as POST /notification-channels returned it (the 64
 * hexadecimal characters as ASCII bytes).
 *
 * Dependencies: svc (svc_adv_remind), store, util, libcurl,
 * libsodium.  The caller runs curl_global_init() once before
 * worker_start().
 */
#ifndef CS_WORKER_H
#define CS_WORKER_H

#include <stdint.h>

#include "svc/svc.h"

struct worker_config {
	const char	*smtp_url;	/* an smtp: or smtps: URL; NULL: no e-mail */
	const char	*mail_from;	/* envelope and From: address */
	int64_t		 backoff_base_us; /* first retry delay; 0: 30 s */
	int		 max_attempts;	/* then NOTIF_FAILED; 0: 6 */
	/*
	 * Called (from the worker thread, after the commit) when the worker
	 * added inbox events, so live streams can wake up; may be NULL.
	 */
	void		(*events_cb)(void *);
	void		*events_arg;
	/* how often the retention policy (cfg->retention) is applied; 0: 1 h */
	int64_t		 purge_every_us;
};

/*
 * Starts the worker thread.  `st` and `cfg` are borrowed and must outlive
 * worker_stop(); `wc` is copied (its strings too).  One worker per process:
 * CS_ECONFLICT if one is running, CS_EINTERNAL if the thread cannot start.
 */
enum cs_err	 worker_start(struct store *st, const struct svc_config *cfg,
		    const struct worker_config *wc) CS_WUR;

/*
 * Asks the worker to stop, wakes it at once, abandons transfers in
 * progress (their notifications stay pending and are retried on the next
 * start) and joins the thread.  A no-op when no worker runs.
 */
void		 worker_stop(void);

#endif
