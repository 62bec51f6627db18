/*
 * fedpoll: the federation poller of `cishared serve` (docs/interop.md
 * "Federation").  Its own thread: every half second it takes the peers
 * that are due (store_peer_due), and for each one fetches the pages of its
 * collection added after its cursor (TAXII 2.1 objects/, added_after,
 * next, X-TAXII-Date-Added-Last) with libcurl, and hands each page to
 * svc_peer_ingest in one transaction with the new cursor.  A failure
 * (connection, timeout, HTTP status, a page that is not a TAXII envelope
 * or fails the import checks) is recorded on the peer with exponential
 * back-off (fed_delay_us).  No store transaction is held while a transfer
 * waits on the network; requests are served by the HTTP server's threads
 * meanwhile, so a peer that hangs or answers garbage stalls nothing but
 * its own poll.
 */
#ifndef CS_FEDPOLL_H
#define CS_FEDPOLL_H

#include "svc/svc.h"

struct fedpoll_config {
	long		 connect_timeout_s;	/* 0: 10 s */
	long		 timeout_s;		/* a whole transfer; 0: 30 s */
};

/* Starts the thread; st and cfg are borrowed until fedpoll_stop(). */
enum cs_err	 fedpoll_start(struct store *, const struct svc_config *,
		    const struct fedpoll_config *) CS_WUR;
/* Stops it at once (a transfer in progress is aborted) and joins it. */
void		 fedpoll_stop(void);

#endif
