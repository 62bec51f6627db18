/*
 * svc.c: the context, the acting principal, the audit helper and the cache
 * of parsed stored forms shared by the operations, and the master key
 * file (see svc.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "svc/svc.h"
#include "svc/svc_dir.h"

void
svc_ctx_system(struct svc_ctx *c, struct store *st,
    const struct svc_config *cfg, int64_t now_us)
{
	memset(c, 0, sizeof(*c));
	c->st = st;
	c->cfg = cfg;
	c->now_us = now_us;
}

void
svc_principal_fill(const struct store_user *u, const struct store_org *o,
    struct cs_principal *p)
{
	*p = (struct cs_principal){ .user_id = u->id, .org_id = o->id,
	    .org_type = o->type, .org_sectors = o->sectors, .roles = u->roles,
	    .nda_contractor = u->nda_contractor,
	    .org_pre_arranged = o->pre_arranged };
}

enum cs_err
svc_principal_of(struct store *st, int64_t user, struct cs_principal *p)
{
	struct store_user u;
	struct store_org o;
	enum cs_err rc;

	if ((rc = store_user_get(st, user, &u)) != CS_OK)
		return rc;
	if ((rc = store_org_get(st, u.org, &o)) != CS_OK) {
		store_user_fini(&u);
		return rc;
	}
	svc_principal_fill(&u, &o, p);
	store_user_fini(&u);
	store_org_fini(&o);
	return CS_OK;
}

void
svc_org_ref(const struct store_org *o, struct cs_org_ref *ref)
{
	ref->id = o->id;
	ref->type = o->type;
	ref->sectors = o->sectors;
	ref->pre_arranged = o->pre_arranged;
	ref->ceptoar = o->ceptoar;
}

enum cs_err
svc_audit(struct svc_ctx *c, const char *action, const char *item,
    json_t *detail, bool anon)
{
	struct store_audit a;
	enum cs_err rc;

	memset(&a, 0, sizeof(a));
	a.at_us = c->now_us;
	if (c->who.user_id != 0 && !anon) {
		a.user = c->who.user_id;
		a.org = c->who.org_id;
	}
	a.action = (char *)action;
	a.item = (char *)item;
	if (detail != NULL) {
		if (anon)
			json_object_set_new(detail, "actor", json_string(
			    "anonymous source (identity sealed to its CEPTOAR)"));
		a.detail = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(detail);
	}
	rc = store_audit_append(c->st, &a);
	free(a.detail);
	return rc;
}

enum cs_err
svc_audit_op(struct svc_ctx *c, const char *action, const char *kind,
    int64_t id, json_t *detail, bool anon, struct cs_error *e)
{
	char item[48];
	enum cs_err rc;

	cs_fmt(item, sizeof(item), "%s:%lld", kind, (long long)id);
	if ((rc = svc_audit(c, action, item, detail, anon)) != CS_OK)
		return cs_fail(e, rc, "", "audit failed");
	return CS_OK;
}

/* svc_targets_check(); `disclosed`: a report share under a disclosure basis. */
static enum cs_err
targets_check(struct svc_ctx *c, const int64_t *to, size_t nto,
    const struct cs_report_acl *racl, const struct cs_advisory_acl *aacl,
    bool disclosed, struct cs_error *e)
{
	struct store_org o;
	struct cs_org_ref ref;
	char field[32];
	enum cs_err rc;

	for (size_t i = 0; i < nto; i++) {
		cs_fmt(field, sizeof(field), "to.%zu", i);
		/* An organisation the principal may not see is absent. */
		if ((rc = store_org_get(c->st, to[i], &o)) == CS_OK &&
		    !svc_org_visible(c, &o)) {
			store_org_fini(&o);
			rc = CS_ENOENT;
		}
		if (rc != CS_OK)
			return cs_fail(e, rc == CS_ENOENT ? CS_EINVAL : rc, field,
			    "no such organisation");
		svc_org_ref(&o, &ref);
		store_org_fini(&o);
		rc = racl == NULL ?
		    policy_advisory_may_relay(&c->who, aacl, &ref, field, e) :
		    disclosed ?
		    policy_report_may_share_disclosed(&c->who, racl, &ref, field, e) :
		    policy_report_may_share(&c->who, racl, &ref, field, e);
		if (rc != CS_OK)
			return rc;
	}
	return CS_OK;
}

enum cs_err
svc_targets_check(struct svc_ctx *c, const int64_t *to, size_t nto,
    const struct cs_report_acl *racl, const struct cs_advisory_acl *aacl,
    struct cs_error *e)
{
	return targets_check(c, to, nto, racl, aacl, false, e);
}

enum cs_err
svc_targets_check_disclosed(struct svc_ctx *c, const int64_t *to, size_t nto,
    const struct cs_report_acl *racl, struct cs_error *e)
{
	return targets_check(c, to, nto, racl, NULL, true, e);
}

enum cs_err
svc_load_failed(enum cs_err rc, const char *what, struct cs_error *e)
{
	if (rc == CS_ENOENT)
		return cs_fail(e, CS_ENOENT, "", "no such %s", what);
	return cs_fail(e, rc, "", "store error");
}

void
svc_contact_add(json_t *j, const struct store_user *u)
{
	/* A person's name or their section, never a login (source protection). */
	if (u->display_name != NULL && *u->display_name != '\0')
		json_object_set_new(j, "contact_person", json_string(u->display_name));
	else if (u->department != NULL && *u->department != '\0')
		json_object_set_new(j, "contact_person", json_string(u->department));
	if (u->phone)
		json_object_set_new(j, "phone", json_string(u->phone));
	if (u->email)
		json_object_set_new(j, "email", json_string(u->email));
}

json_t *
svc_ids_json(const int64_t *ids, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_integer(ids[i]));
	return a;
}

json_t *
svc_time(int64_t us)
{
	char buf[40];

	if (us <= 0)
		return json_null();
	cs_time_format(us, buf, sizeof(buf));
	return json_string(buf);
}

/*
 * Parsed stored forms, direct-mapped by an FNV-1a hash of the text; a hit
 * compares the whole text.  STORED_SLOTS trees of a few KiB bound the
 * memory.  Copies are made under the lock, so no other thread ever sees a
 * cached tree's reference count change.
 */
#define STORED_SLOTS	256

static struct stored {
	uint64_t	 h;
	size_t		 len;
	char		*text;
	json_t		*j;
} stored[STORED_SLOTS];
static pthread_mutex_t stored_lock = PTHREAD_MUTEX_INITIALIZER;

json_t *
svc_json_stored(const char *text)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t len = strlen(text);
	struct stored *e;
	json_t *j, *copy;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)text[i]) * 0x100000001b3ULL;
	e = &stored[h % STORED_SLOTS];
	pthread_mutex_lock(&stored_lock);
	if (e->j != NULL && e->h == h && e->len == len &&
	    memcmp(e->text, text, len) == 0) {
		copy = json_deep_copy(e->j);
		pthread_mutex_unlock(&stored_lock);
		return copy;
	}
	pthread_mutex_unlock(&stored_lock);
	if ((j = json_loadb(text, len, 0, NULL)) == NULL)
		return NULL;
	copy = json_deep_copy(j);
	pthread_mutex_lock(&stored_lock);
	json_decref(e->j);
	free(e->text);
	e->h = h;
	e->len = len;
	e->text = xstrdup(text);
	e->j = j;
	pthread_mutex_unlock(&stored_lock);
	return copy;
}

enum cs_err
svc_key_load(const char *path, bool create, struct cs_error *e)
{
	unsigned char key[CS_KEY_BYTES];
	char hex[2 * CS_KEY_BYTES + 2];
	ssize_t n;
	int fd;
	enum cs_err rc;

	fd = open(path, O_RDONLY);
	if (fd < 0 && errno == ENOENT && create) {
		randombytes_buf(key, sizeof(key));
		core_hex(key, sizeof(key), hex);
		hex[2 * CS_KEY_BYTES] = '\n';
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0 || write(fd, hex, 2 * CS_KEY_BYTES + 1) !=
		    2 * CS_KEY_BYTES + 1 || fsync(fd) != 0) {
			rc = cs_fail(e, CS_EIO, "", "cannot write key file %s: %s",
			    path, strerror(errno));
			if (fd >= 0)
				close(fd);
			goto out;
		}
		close(fd);
		fd = open(path, O_RDONLY);
	}
	if (fd < 0) {
		rc = cs_fail(e, CS_ENOENT, "", "cannot open key file %s: %s",
		    path, strerror(errno));
		goto out;
	}
	n = read(fd, hex, sizeof(hex) - 1);
	close(fd);
	hex[2 * CS_KEY_BYTES] = '\0';
	if (n < 2 * CS_KEY_BYTES)
		rc = cs_fail(e, CS_EINVAL, "", "key file %s is too short", path);
	else if (core_unhex(hex, key, sizeof(key)) != 0)
		rc = cs_fail(e, CS_EINVAL, "", "key file %s is not 64 hex "
		    "characters", path);
	else {
		core_keys_init(key);
		rc = CS_OK;
	}
out:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(hex, sizeof(hex));
	return rc;
}
