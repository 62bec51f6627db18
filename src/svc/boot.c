/*
 * boot.c: what `cishared init` puts in a new database — the reference
 * data embedded from data/, the platform organisation with its first admin
 * (whose token is shown once), and with --demo a small population of
 * organisations and people to try the flows with (see svc_boot.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/refdata.h"
#include "svc/svc_boot.h"

struct demo_org {
	const char		*key;
	const char		*ref;		/* reference organisation it is, or NULL */
	const char		*name;
	enum cs_org_type	 type;
	const char		*sectors[4];
	const char		*ceptoar;	/* key of its secretariat */
	bool			 pre_arranged;
};

struct demo_user {
	const char	*org;
	const char	*login;
	const char	*name;
	unsigned	 roles;
	bool		 nda;
};

static const struct demo_org demo_orgs[] = {
	{ "nisc", "nisc", "内閣サイバーセキュリティセンター（NISC）重要インフラ防護担当",
	  ORG_NISC, { NULL }, NULL, false },
	{ "cas", "cas_crisis_management", "内閣官房（事態対処・危機管理担当）", ORG_CAS, { NULL }, NULL, false },
	{ "fsa", "fsa", "金融庁", ORG_CI_MINISTRY, { "finance", NULL }, NULL, false },
	{ "meti", "meti", "経済産業省", ORG_CI_MINISTRY,
	  { "electricity", "gas", "credit", NULL }, NULL, false },
	{ "mlit", "mlit", "国土交通省", ORG_CI_MINISTRY,
	  { "railway", "aviation", "logistics", NULL }, NULL, false },
	{ "mhlw", "mhlw", "厚生労働省", ORG_CI_MINISTRY, { "medical", NULL }, NULL, false },
	{ "bank-ceptoar", NULL, "銀行等CEPTOAR（全国銀行協会）", ORG_CEPTOAR_SEC,
	  { "finance", NULL }, NULL, false },
	{ "power-ceptoar", NULL, "電力CEPTOAR（電力ISAC）", ORG_CEPTOAR_SEC,
	  { "electricity", NULL }, NULL, false },
	{ "rail-ceptoar", NULL, "鉄道CEPTOAR（日本鉄道電気技術協会）", ORG_CEPTOAR_SEC,
	  { "railway", NULL }, NULL, false },
	{ "bank-a", NULL, "みなと銀行", ORG_CI_OPERATOR, { "finance", NULL },
	  "bank-ceptoar", false },
	{ "bank-b", NULL, "さくら信用金庫", ORG_CI_OPERATOR, { "finance", NULL },
	  "bank-ceptoar", false },
	{ "power-a", NULL, "東都電力", ORG_CI_OPERATOR, { "electricity", NULL },
	  "power-ceptoar", false },
	{ "rail-a", NULL, "関東鉄道", ORG_CI_OPERATOR, { "railway", NULL },
	  "rail-ceptoar", false },
	{ "hospital-a", NULL, "中央総合病院", ORG_CI_OPERATOR, { "medical", NULL },
	  NULL, false },
	{ "jpcert", "jpcert_cc", "JPCERTコーディネーションセンター", ORG_CS_AGENCY, { NULL },
	  NULL, true },
};

static const struct demo_user demo_users[] = {
	{ "nisc", "nisc-analyst", "分析 一郎", ROLE_ANALYST, false },
	{ "nisc", "nisc-approver", "承認 花子", ROLE_ANALYST | ROLE_APPROVER, false },
	{ "cas", "cas-officer", "危機 管理", ROLE_MEMBER, false },
	{ "fsa", "fsa-liaison", "金融 連絡", ROLE_LIAISON, false },
	{ "meti", "meti-liaison", "経産 連絡", ROLE_LIAISON, false },
	{ "mlit", "mlit-liaison", "国交 連絡", ROLE_LIAISON, false },
	{ "mhlw", "mhlw-liaison", "厚労 連絡", ROLE_LIAISON, false },
	{ "bank-ceptoar", "bank-ceptoar-poc", "銀行 窓口", ROLE_POC, false },
	{ "power-ceptoar", "power-ceptoar-poc", "電力 窓口", ROLE_POC, false },
	{ "rail-ceptoar", "rail-ceptoar-poc", "鉄道 窓口", ROLE_POC, false },
	{ "bank-a", "bank-a-csirt", "港 さくら", ROLE_MEMBER | ROLE_ORG_ADMIN, false },
	{ "bank-a", "bank-a-contractor", "委託 次郎", ROLE_MEMBER, true },
	{ "bank-b", "bank-b-csirt", "桜 太郎", ROLE_MEMBER, false },
	{ "power-a", "power-a-csirt", "電気 三郎", ROLE_MEMBER, false },
	{ "rail-a", "rail-a-csirt", "線路 四郎", ROLE_MEMBER, false },
	{ "hospital-a", "hospital-a-csirt", "医療 五郎", ROLE_MEMBER, false },
	{ "jpcert", "jpcert-analyst", "調整 六子", ROLE_MEMBER, false },
};

#define NDEMO_ORGS (sizeof(demo_orgs) / sizeof(demo_orgs[0]))
#define NDEMO_USERS (sizeof(demo_users) / sizeof(demo_users[0]))

static enum cs_err
load_refdata(struct store *st, struct cs_error *e)
{
	for (const struct cs_embedded *f = cs_embedded_files; f->name != NULL; f++) {
		json_error_t je;
		json_t *j = json_loadb(f->data, f->size, JSON_REJECT_DUPLICATES, &je);

		if (j == NULL)
			return cs_fail(e, CS_EINTERNAL, f->name, "embedded data does "
			    "not parse: %s", je.text);
		json_decref(j);
		if (store_ref_put(st, f->name, f->data) != CS_OK)
			return cs_fail(e, CS_ESTORE, "", "could not store %s", f->name);
	}
	return CS_OK;
}

static enum cs_err
add_user(struct store *st, int64_t org, const char *login, const char *name,
    unsigned roles, bool nda, const char *pw, int64_t now, char **token,
    struct cs_error *e)
{
	struct store_user u;
	struct store_token t;
	enum cs_err rc;

	memset(&u, 0, sizeof(u));
	memset(&t, 0, sizeof(t));
	u.org = org;
	u.login = (char *)login;
	u.display_name = (char *)name;
	u.roles = roles;
	u.nda_contractor = nda;
	u.created_us = now;
	core_login_hash(login, u.login_hash);
	if (pw != NULL && (u.pw_hash = core_password_hash(pw)) == NULL)
		return cs_fail(e, CS_EINTERNAL, "", "password hashing failed");
	rc = store_user_insert(st, &u);
	free(u.pw_hash);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "could not create user %s", login);
	if ((rc = store_counter_next(st, "token", &t.id)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*token = core_token_new(t.id, t.hash);
	t.user = u.id;
	t.label = (char *)"init";
	t.created_us = now;
	if ((rc = store_token_insert(st, &t)) != CS_OK) {
		free(*token);
		*token = NULL;
		return cs_fail(e, rc, "", "could not store token");
	}
	return CS_OK;
}

/* actor_types checked in this order: an organisation takes its first type. */
static const struct {
	const char		*actor_type;
	enum cs_org_type	 type;
} ref_types[] = {
	{ "nisc", ORG_NISC },
	{ "cas_crisis_management", ORG_CAS },
	{ "ci_ministry", ORG_CI_MINISTRY },
	{ "cybersecurity_ministry", ORG_CS_MINISTRY },
	{ "incident_response_ministry", ORG_IR_MINISTRY },
	{ "disaster_management_ministry", ORG_DM_MINISTRY },
	{ "cybersecurity_agency", ORG_CS_AGENCY },
};

/*
 * The organisation for reference id `ref` (actors.json organizations),
 * created on first use with its type and, for a CI ministry, the sectors
 * sectors.json gives it.  meta "ref_org:<ref>" remembers it.
 */
static enum cs_err
ensure_ref_org(struct store *st, json_t *actors, json_t *sectors,
    const char *ref, bool pre_arranged, int64_t now, int64_t *id,
    struct cs_error *e)
{
	struct store_org o;
	char key[80], idbuf[32], *v = NULL;
	json_t *org = NULL, *x, *t;
	size_t i, k;
	enum cs_err rc;

	cs_fmt(key, sizeof(key), "ref_org:%s", ref);
	rc = store_meta_get(st, key, &v);
	if (rc == CS_OK) {
		rc = cs_str_to_i64(v, 1, INT64_MAX, id);
		free(v);
		return rc == CS_OK ? CS_OK : cs_fail(e, CS_ESTORE, "", "bad %s", key);
	}
	if (rc != CS_ENOENT)
		return cs_fail(e, rc, "", "store error");
	json_array_foreach(json_object_get(actors, "organizations"), i, x)
		if (cs_streq(json_string_value(json_object_get(x, "id")), ref))
			org = x;
	if (org == NULL)
		return cs_fail(e, CS_EINTERNAL, "", "unknown reference org %s", ref);
	memset(&o, 0, sizeof(o));
	o.type = ORG__COUNT;
	for (k = 0; k < sizeof(ref_types) / sizeof(ref_types[0]) &&
	    o.type == ORG__COUNT; k++)
		json_array_foreach(json_object_get(actors, "actor_types"), i, t) {
			json_t *m;
			size_t j;

			if (!cs_streq(json_string_value(json_object_get(t, "id")),
			    ref_types[k].actor_type))
				continue;
			json_array_foreach(json_object_get(t, "member_organizations"), j, m)
				if (cs_streq(json_string_value(m), ref))
					o.type = ref_types[k].type;
		}
	if (o.type == ORG__COUNT)
		return cs_fail(e, CS_EINTERNAL, "", "no type for reference org %s", ref);
	if (o.type == ORG_CI_MINISTRY)
		json_array_foreach(json_object_get(sectors, "sectors"), i, x)
			if (cs_streq(json_string_value(json_object_get(x,
			    "ci_ministry")), ref))
				o.sectors |= 1u << core_sector_parse(json_string_value(
				    json_object_get(x, "id")));
	o.name = (char *)json_string_value(json_object_get(org, "label_ja"));
	o.pre_arranged = pre_arranged && o.type == ORG_CS_AGENCY;
	o.created_us = now;
	if ((rc = store_org_insert(st, &o)) != CS_OK)
		return cs_fail(e, rc, "", "could not create %s", ref);
	cs_fmt(idbuf, sizeof(idbuf), "%lld", (long long)o.id);
	if ((rc = store_meta_set(st, key, idbuf)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*id = o.id;
	return CS_OK;
}

/* Every ministry, agency and Cabinet Secretariat body of actors.json. */
static enum cs_err
load_ref_orgs(struct store *st, json_t *actors, json_t *sectors, int64_t now,
    struct cs_error *e)
{
	json_t *x;
	size_t i;
	int64_t id;
	enum cs_err rc;

	json_array_foreach(json_object_get(actors, "organizations"), i, x)
		if ((rc = ensure_ref_org(st, actors, sectors, json_string_value(
		    json_object_get(x, "id")), false, now, &id, e)) != CS_OK)
			return rc;
	return CS_OK;
}

static json_t *
embedded_json(const char *name)
{
	const struct cs_embedded *f = refdata_find(name);

	return f ? json_loadb(f->data, f->size, 0, NULL) : NULL;
}

static enum cs_err
load_demo(struct store *st, int64_t now, json_t *out, struct cs_error *e)
{
	int64_t ids[NDEMO_ORGS];
	json_t *people = json_array();
	char pw[24];
	enum cs_err rc = CS_OK;

	json_t *actors = embedded_json("actors.json");
	json_t *sectors = embedded_json("sectors.json");

	for (size_t i = 0; i < NDEMO_ORGS; i++) {
		struct store_org o;

		if (demo_orgs[i].ref != NULL) {
			rc = ensure_ref_org(st, actors, sectors, demo_orgs[i].ref,
			    demo_orgs[i].pre_arranged, now, &ids[i], e);
			if (rc != CS_OK) {
				json_decref(actors);
				json_decref(sectors);
				json_decref(people);
				return rc;
			}
			continue;
		}
		memset(&o, 0, sizeof(o));
		o.type = demo_orgs[i].type;
		o.name = (char *)demo_orgs[i].name;
		o.pre_arranged = demo_orgs[i].pre_arranged;
		o.created_us = now;
		for (int s = 0; s < 4 && demo_orgs[i].sectors[s]; s++)
			o.sectors |= 1u << core_sector_parse(demo_orgs[i].sectors[s]);
		for (size_t j = 0; j < i && demo_orgs[i].ceptoar; j++)
			if (strcmp(demo_orgs[j].key, demo_orgs[i].ceptoar) == 0)
				o.ceptoar = ids[j];
		if (o.type == ORG_CEPTOAR_SEC) {
			core_org_keypair(o.pk, &o.wrapped_sk);
			o.has_pk = true;
		}
		rc = store_org_insert(st, &o);
		free(o.wrapped_sk);
		if (rc != CS_OK) {
			json_decref(actors);
			json_decref(sectors);
			json_decref(people);
			return cs_fail(e, rc, "", "could not create demo org");
		}
		ids[i] = o.id;
	}
	json_decref(actors);
	json_decref(sectors);
	for (size_t i = 0; i < NDEMO_USERS; i++) {
		int64_t org = 0;
		char *tok = NULL;

		for (size_t j = 0; j < NDEMO_ORGS; j++)
			if (strcmp(demo_orgs[j].key, demo_users[i].org) == 0)
				org = ids[j];
		/* Random demo passwords: printed once, like the admin token. */
		{
			unsigned char rnd[8];
			char hex[17];

			randombytes_buf(rnd, sizeof(rnd));
			core_hex(rnd, sizeof(rnd), hex);
			cs_fmt(pw, sizeof(pw), "demo-%s", hex);
		}
		if ((rc = add_user(st, org, demo_users[i].login, demo_users[i].name,
		    demo_users[i].roles, demo_users[i].nda, pw, now, &tok, e)) != CS_OK) {
			json_decref(people);
			return rc;
		}
		json_array_append_new(people, json_pack("{s:s, s:s, s:s, s:I}",
		    "login", demo_users[i].login, "password", pw, "token", tok,
		    "org", (json_int_t)org));
		sodium_memzero(tok, strlen(tok));
		free(tok);
	}
	json_object_set_new(out, "demo_users", people);
	return CS_OK;
}

enum cs_err
svc_key_check(struct store *st, struct cs_error *e)
{
	char *v = NULL, *plain;
	enum cs_err rc;

	if ((rc = store_begin(st)) != CS_OK)
		return cs_fail(e, rc, "", "cannot begin a transaction");
	rc = store_meta_get(st, "key_check", &v);
	store_rollback(st);
	if (rc == CS_ENOENT)
		return CS_OK;
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	plain = core_open_text(v);
	free(v);
	if (plain == NULL)
		return cs_fail(e, CS_EINVAL, "key-file", "the key file does not "
		    "belong to this database");
	free(plain);
	return CS_OK;
}

/*
 * On the first run `out` gets "admin_token"; with demo (once) "demo_users".
 * The caller prints them; they are not stored in clear.
 */
enum cs_err
svc_boot_run(struct store *st, bool demo, json_t *out, struct cs_error *e)
{
	struct store_org o;
	char *v = NULL, *tok = NULL;
	int64_t now = cs_time_now_us();
	enum cs_err rc;

	if ((rc = store_begin(st)) != CS_OK)
		return cs_fail(e, rc, "", "cannot begin a transaction");
	if ((rc = load_refdata(st, e)) != CS_OK)
		goto fail;
	/* A sealed canary: serve refuses a key file that cannot open it. */
	rc = store_meta_get(st, "key_check", &v);
	if (rc == CS_ENOENT) {
		char *canary = core_seal_text("cishare key check");

		rc = store_meta_set(st, "key_check", canary);
		free(canary);
		if (rc != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto fail;
		}
	} else if (rc == CS_OK) {
		char *plain = core_open_text(v);

		free(v);
		v = NULL;
		if (plain == NULL) {
			rc = cs_fail(e, CS_EINVAL, "key-file", "the key file does not "
			    "belong to this database");
			goto fail;
		}
		free(plain);
	} else {
		rc = cs_fail(e, rc, "", "store error");
		goto fail;
	}
	rc = store_meta_get(st, "platform_org", &v);
	if (rc == CS_ENOENT) {
		char idbuf[32];

		memset(&o, 0, sizeof(o));
		o.type = ORG_PLATFORM;
		o.name = (char *)"cishare platform";
		o.created_us = now;
		if ((rc = store_org_insert(st, &o)) != CS_OK) {
			rc = cs_fail(e, rc, "", "could not create the platform org");
			goto fail;
		}
		cs_fmt(idbuf, sizeof(idbuf), "%lld", (long long)o.id);
		if ((rc = store_meta_set(st, "platform_org", idbuf)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto fail;
		}
		if ((rc = add_user(st, o.id, "admin", "platform administrator",
		    ROLE_ADMIN, false, NULL, now, &tok, e)) != CS_OK)
			goto fail;
		json_object_set_new(out, "admin_token", json_string(tok));
		sodium_memzero(tok, strlen(tok));
		free(tok);
	} else if (rc != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto fail;
	}
	free(v);
	v = NULL;
	if (demo) {
		rc = store_meta_get(st, "demo", &v);
		if (rc == CS_ENOENT) {
			if ((rc = load_demo(st, now, out, e)) != CS_OK)
				goto fail;
			if ((rc = store_meta_set(st, "demo", "1")) != CS_OK) {
				rc = cs_fail(e, rc, "", "store error");
				goto fail;
			}
		} else if (rc != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto fail;
		}
		free(v);
	}
	/* After the demo, so its organisations keep their well-known ids. */
	{
		json_t *actors = embedded_json("actors.json");
		json_t *sectors = embedded_json("sectors.json");

		rc = actors && sectors ? load_ref_orgs(st, actors, sectors, now, e) :
		    cs_fail(e, CS_EINTERNAL, "", "reference data missing");
		json_decref(actors);
		json_decref(sectors);
		if (rc != CS_OK)
			goto fail;
	}
	if ((rc = store_commit(st)) != CS_OK)
		return cs_fail(e, rc, "", "commit failed");
	return CS_OK;
fail:
	store_rollback(st);
	return rc;
}
