/*
 * svc_boot: bootstrap (`cishared init`) — the reference data, the platform
 * organisation and its first admin, and with demo a demo population; and the
 * check that the installed master key belongs to the database.
 *
 * Unlike the other operations, these two are whole commands run before the
 * daemon serves anything: each opens and ends its own transaction (the
 * daemon and bench/gen call them with a store outside any transaction).
 */
#ifndef CS_SVC_BOOT_H
#define CS_SVC_BOOT_H

#include <stdbool.h>

#include <jansson.h>

#include "store/store.h"

/*
 * Idempotent.  Fills `out` with "admin_token" (first run only) and
 * "demo_users" (first demo run only).
 */
enum cs_err	 svc_boot_run(struct store *, bool demo, json_t *out,
		    struct cs_error *) CS_WUR;
/* Does the installed master key open this database's canary? */
enum cs_err	 svc_key_check(struct store *, struct cs_error *) CS_WUR;

#endif
