/*
 * svc_peer: federation between cishare nodes over TAXII 2.1
 * (docs/interop.md "Federation").  The registry of peer nodes (an admin
 * keeps it: each peer names the local organisation that stands for it,
 * the TAXII API root and collection polled there, and the credential,
 * sealed at rest and never returned); what the poller of cishared
 * (daemon/fedpoll.c) fetched, ingested through the import path
 * (svc_obj_import_as: the contributions collection, provenance the peer's
 * organisation, as POST objects/ with the peer as contributor); and the
 * federated inbox of NISC analysts.  See svc.h.
 */
#ifndef CS_SVC_PEER_H
#define CS_SVC_PEER_H

#include "interop/fed.h"
#include "svc/svc.h"

#define SVC_PEER_NAME_MAX	100
#define SVC_PEER_URL_MAX	2048
#define SVC_PEER_SECRET_MAX	1024
#define SVC_PEER_INTERVAL_DEF	300
#define SVC_PEER_INTERVAL_MAX	86400

/*
 * {"name", "org", "url" (null: the peer only polls us), "collection"
 * (default advisories), "auth": {"type": none|bearer|basic, "login",
 * "secret"}, "interval_s" (1..86400, default 300), "enabled"}.  Audited
 * peer.create (never the secret).
 */
enum cs_err	 svc_peer_create(struct svc_ctx *, const json_t *body,
		    int64_t *id, struct cs_error *) CS_WUR;
/*
 * The same members, each optional; "auth" replaces the credential whole;
 * another url or collection starts over (no cursor, no failures, due now).
 */
enum cs_err	 svc_peer_update(struct svc_ctx *, int64_t id, const json_t *body,
		    struct cs_error *) CS_WUR;
enum cs_err	 svc_peer_delete(struct svc_ctx *, int64_t id,
		    struct cs_error *) CS_WUR;
enum cs_err	 svc_peer_get(struct svc_ctx *, int64_t id, json_t **out,
		    struct cs_error *) CS_WUR;
enum cs_err	 svc_peer_list(struct svc_ctx *, json_t **items,
		    struct cs_error *) CS_WUR;
/* Due now: the poller takes it at its next tick (409 without a url). */
enum cs_err	 svc_peer_sync(struct svc_ctx *, int64_t id,
		    struct cs_error *) CS_WUR;
/*
 * The peers file of `cishared serve --peers FILE` (docs/interop.md
 * "Federation"): {"peers": [<a POST /peers body>, ...]}.  Each peer is
 * registered, or, when one of that name exists, set to the file's
 * configuration (members absent take their defaults; another url or
 * collection starts over).  Peers the file does not name are left alone.
 * A fault names "peers.N.<member>" and nothing is written (the caller's
 * transaction).  Audited peer.create / peer.update for the system.
 */
enum cs_err	 svc_peer_configure(struct svc_ctx *, const json_t *file,
		    int *created, int *updated, struct cs_error *) CS_WUR;
/* A peer as the API shows it: never its secret. */
json_t		*svc_peer_json(const struct store_peer *);

/*
 * Stores a page fetched from peer p through the import path (all or
 * nothing), audited federation.ingest for the peer's organisation; *stored
 * gets the objects in it.
 */
enum cs_err	 svc_peer_ingest(struct svc_ctx *, const struct store_peer *p,
		    const struct fed_page *, int *stored, struct cs_error *) CS_WUR;
/*
 * GET /inbox/federated: the advisories (STIX report objects) peers sent,
 * newest first, before seq `before` (0: from the top), each with its TLP
 * and the peer it came from; audited federation.read.
 */
enum cs_err	 svc_peer_inbox(struct svc_ctx *, int64_t before, int limit,
		    json_t **items, int64_t *next, struct cs_error *) CS_WUR;

#endif
