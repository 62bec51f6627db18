/*
 * svc_obj: STIX objects contributed through TAXII 2.1 (docs/interop.md
 * "Import").  A bundle or envelope is checked whole (interop/stix.h
 * stix_import_check) before anything is written, then every object lands
 * in the contributions collection with its TLP and its contributing
 * organisation, in the caller's transaction: all or nothing.  See svc.h
 * for the context.
 */
#ifndef CS_SVC_OBJ_H
#define CS_SVC_OBJ_H

#include "svc/svc.h"

#define SVC_OBJ_CONTRIBUTIONS	"contributions"

/*
 * Import body for the acting principal; *status gets the TAXII status
 * resource (complete: the import is synchronous).  Audited as
 * taxii.contribute.
 */
enum cs_err	 svc_obj_import(struct svc_ctx *, const json_t *body,
		    json_t **status, struct cs_error *) CS_WUR;
/*
 * The same, audited as `action` (federation: "federation.ingest", who the
 * peer's organisation).
 */
enum cs_err	 svc_obj_import_as(struct svc_ctx *, const char *action,
		    const json_t *body, json_t **status, struct cs_error *) CS_WUR;
/* A status resource, for its organisation and NISC (else CS_ENOENT). */
enum cs_err	 svc_obj_status(struct svc_ctx *, const char *id,
		    json_t **status, struct cs_error *) CS_WUR;

#endif
