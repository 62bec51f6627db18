/*
 * attach.c: attachments (別紙) and sample requests (検体) (see
 * svc_attach.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "svc/svc_attach.h"

/* ---- helpers ------------------------------------------------------------ */

static void
hex32(const unsigned char h[32], char out[65])
{
	core_hex(h, 32, out);
	out[64] = '\0';
}

static json_t *
att_json(const struct store_attachment *a, const char *name,
    const char *ctype, const char *sha)
{
	json_t *j = json_pack("{s:I, s:s, s:I, s:s, s:s, s:i, s:o}",
	    "id", (json_int_t)a->id, "name", name, "size", (json_int_t)a->size,
	    "sha256", sha, "content_type", ctype, "version", a->version,
	    "created_at", svc_time(a->created_us));

	if (a->report != 0) {
		json_object_set_new(j, "hop", json_string(core_hop_id(
		    (enum cs_hop)a->hop)));
		json_object_set_new(j, "copy_of", a->source ?
		    json_integer(a->source) : json_null());
	}
	json_object_set_new(j, "sample", a->sample ? json_integer(a->sample) :
	    json_null());
	return j;
}

/* The sealed metadata of an anonymised source's file, opened. */
static json_t *
meta_open(struct svc_ctx *c, const struct svc_report *x,
    const struct store_attachment *a)
{
	char *plain = svc_report_open_sealed(c, x, a->sealed_meta);
	json_t *m = plain != NULL ? json_loads(plain, 0, NULL) : NULL;

	if (plain != NULL) {
		sodium_memzero(plain, strlen(plain));
		free(plain);
	}
	if (m != NULL && (!json_is_string(json_object_get(m, "name")) ||
	    !json_is_string(json_object_get(m, "content_type")) ||
	    !json_is_string(json_object_get(m, "sha256")))) {
		json_decref(m);
		m = NULL;
	}
	return m;
}

/* The secretariat of an anonymised report, for its keys. */
static enum cs_err
secretariat(struct svc_ctx *c, const struct svc_report *x,
    struct store_org *o, struct cs_error *e)
{
	if (store_org_get(c->st, x->r.ceptoar_org, o) != CS_OK)
		return cs_fail(e, CS_ESTORE, "", "no such secretariat");
	if (!o->has_pk || o->wrapped_sk == NULL) {
		store_org_fini(o);
		return cs_fail(e, CS_ECONFLICT, "", "the CEPTOAR secretariat has "
		    "no sealing key");
	}
	return CS_OK;
}

/*
 * Stores a new attachment a (filled but for its bytes) and its bytes,
 * sealed to pk when pk is not NULL.
 */
static enum cs_err
store_file(struct svc_ctx *c, struct store_attachment *a,
    const unsigned char *data, size_t n, const unsigned char *pk,
    struct cs_error *e)
{
	struct cs_attach_seal seal;
	unsigned char *buf = NULL;
	enum cs_err rc;
	size_t off;
	int seq;

	a->nchunks = (int)((n + CS_ATTACH_CHUNK - 1) / CS_ATTACH_CHUNK);
	a->size = (int64_t)n;
	a->created_us = c->now_us;
	if (pk != NULL) {
		a->sealed_key = core_attach_seal_begin(&seal, pk);
		buf = xmalloc(CS_ATTACH_CHUNK + CS_ATTACH_SEAL_ABYTES);
	}
	if ((rc = store_attachment_insert(c->st, a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	for (off = 0, seq = 0; off < n; off += CS_ATTACH_CHUNK, seq++) {
		size_t k = n - off > CS_ATTACH_CHUNK ? CS_ATTACH_CHUNK : n - off;

		if (pk != NULL) {
			core_attach_seal_chunk(&seal, data + off, k, off + k == n,
			    buf);
			rc = store_attachment_chunk_put(c->st, a->id, seq, buf,
			    k + CS_ATTACH_SEAL_ABYTES);
		} else
			rc = store_attachment_chunk_put(c->st, a->id, seq,
			    data + off, k);
		if (rc != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
	}
	rc = CS_OK;
out:
	if (pk != NULL)
		core_attach_seal_fini(&seal);
	free(buf);
	return rc;
}

static enum cs_err
check_in(const struct svc_config *cfg, const struct svc_attach_in *in,
    struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = core_attach_name_check(in->name, e)) != CS_OK)
		return rc;
	if (in->n == 0)
		return cs_fail(e, CS_EINVAL, "body", "the file is empty");
	if (cfg != NULL && cfg->max_attachment > 0 &&
	    (int64_t)in->n > cfg->max_attachment)
		return cs_fail(e, CS_ETOOBIG, "body", "an attachment is at most "
		    "%lld bytes", (long long)cfg->max_attachment);
	return CS_OK;
}

/* ---- adding ------------------------------------------------------------- */

enum cs_err
svc_attach_report(struct svc_ctx *c, struct svc_report *x,
    const struct svc_attach_in *in, json_t **out, struct cs_error *e)
{
	struct store_attachment a;
	struct store_org sec;
	unsigned char sha[32];
	char ctype[CS_ATTACH_TYPE_MAX + 1], hex[65], *meta;
	json_t *mj;
	bool sealed, have_sec = false;
	enum cs_hop hop;
	enum cs_err rc;

	*out = NULL;
	memset(&a, 0, sizeof(a));
	if ((rc = policy_report_may_attach(&c->who, &x->acl, &hop, e)) != CS_OK)
		return rc;
	if ((rc = check_in(c->cfg, in, e)) != CS_OK)
		return rc;
	if (in->version < 0 || in->version > x->r.nversions)
		return cs_fail(e, CS_EINVAL, "version", "must be a version of "
		    "this report (1..%d)", x->r.nversions);
	core_attach_content_type(in->content_type, ctype, sizeof(ctype));
	crypto_hash_sha256(sha, in->data, in->n);
	hex32(sha, hex);
	sealed = hop == HOP_SOURCE && x->r.anonymised;
	a.report = x->r.id;
	a.version = in->version > 0 ? in->version : x->r.nversions;
	a.hop = hop;
	a.by_org = c->who.org_id;
	a.by_user = c->who.user_id;
	if (sealed) {
		if ((rc = secretariat(c, x, &sec, e)) != CS_OK)
			return rc;
		have_sec = true;
		mj = json_pack("{s:s, s:s, s:s}", "name", in->name,
		    "content_type", ctype, "sha256", hex);
		meta = json_dumps(mj, JSON_COMPACT);
		json_decref(mj);
		a.sealed_meta = core_seal_to(sec.pk, meta);
		sodium_memzero(meta, strlen(meta));
		free(meta);
		a.name = xstrdup("");
		a.content_type = xstrdup("");
	} else {
		a.name = xstrdup(in->name);
		a.content_type = xstrdup(ctype);
		memcpy(a.sha256, sha, 32);
		a.has_sha256 = true;
	}
	if ((rc = store_file(c, &a, in->data, in->n, sealed ? sec.pk : NULL,
	    e)) != CS_OK)
		goto out;
	/* An anonymised source's entry names neither it nor the file. */
	if ((rc = svc_audit_op(c, "attachment.add", "report", x->r.id, sealed ?
	    json_pack("{s:I, s:i, s:I}", "attachment", (json_int_t)a.id,
	    "version", a.version, "size", (json_int_t)a.size) :
	    json_pack("{s:I, s:i, s:I, s:s, s:s}", "attachment",
	    (json_int_t)a.id, "version", a.version, "size", (json_int_t)a.size,
	    "sha256", hex, "name", in->name), sealed, e)) != CS_OK)
		goto out;
	*out = att_json(&a, in->name, ctype, hex);
out:
	if (have_sec)
		store_org_fini(&sec);
	store_attachment_fini(&a);
	return rc;
}

enum cs_err
svc_attach_advisory(struct svc_ctx *c, int64_t adv,
    const struct svc_attach_in *in, json_t **out, struct cs_error *e)
{
	struct store_attachment a;
	struct svc_adv x;
	unsigned char sha[32];
	char ctype[CS_ATTACH_TYPE_MAX + 1], hex[65];
	enum cs_err rc;

	*out = NULL;
	memset(&a, 0, sizeof(a));
	if ((rc = svc_adv_load_visible(c, adv, &x, e)) != CS_OK)
		return rc;
	if (c->who.org_type != ORG_NISC) {
		rc = cs_fail(e, CS_EPERM, "", "attachments to advisories are "
		    "added by NISC analysts");
		goto out;
	}
	if ((rc = check_in(c->cfg, in, e)) != CS_OK)
		goto out;
	core_attach_content_type(in->content_type, ctype, sizeof(ctype));
	crypto_hash_sha256(sha, in->data, in->n);
	hex32(sha, hex);
	a.advisory = adv;
	a.version = x.a.nversions;
	a.name = xstrdup(in->name);
	a.content_type = xstrdup(ctype);
	memcpy(a.sha256, sha, 32);
	a.has_sha256 = true;
	a.by_org = c->who.org_id;
	a.by_user = c->who.user_id;
	if ((rc = store_file(c, &a, in->data, in->n, NULL, e)) != CS_OK)
		goto out;
	if ((rc = svc_audit_op(c, "attachment.add", "advisory", adv,
	    json_pack("{s:I, s:i, s:I, s:s, s:s}", "attachment",
	    (json_int_t)a.id, "version", a.version, "size", (json_int_t)a.size,
	    "sha256", hex, "name", in->name), false, e)) != CS_OK)
		goto out;
	*out = att_json(&a, in->name, ctype, hex);
out:
	store_attachment_fini(&a);
	svc_adv_fini(&x);
	return rc;
}

/* ---- listing ------------------------------------------------------------ */

/* May the principal read report attachment a of loaded report x? */
static bool
report_att_visible(struct svc_ctx *c, const struct svc_report *x,
    const struct store_attachment *a)
{
	return policy_report_attachment_visible(&c->who, &x->acl,
	    svc_report_reached(x, a->version), (enum cs_hop)a->hop,
	    a->sealed_meta != NULL);
}

json_t *
svc_attach_report_json(struct svc_ctx *c, const struct svc_report *x)
{
	struct store_attachment *v = NULL;
	size_t n = 0;
	json_t *out = json_array();
	char hex[65];

	if (store_attachment_list(c->st, false, x->r.id, &v, &n) != CS_OK)
		return out;
	for (size_t i = 0; i < n; i++) {
		json_t *m;

		if (!report_att_visible(c, x, &v[i]))
			continue;
		if (v[i].sealed_meta == NULL) {
			hex32(v[i].sha256, hex);
			json_array_append_new(out, att_json(&v[i], v[i].name,
			    v[i].content_type, hex));
			continue;
		}
		if ((m = meta_open(c, x, &v[i])) == NULL)
			continue;
		json_array_append_new(out, att_json(&v[i],
		    json_string_value(json_object_get(m, "name")),
		    json_string_value(json_object_get(m, "content_type")),
		    json_string_value(json_object_get(m, "sha256"))));
		/* The secretariat sees what its forwards kept. */
		json_object_set_new(json_array_get(out, json_array_size(out) - 1),
		    "sealed", json_true());
		json_decref(m);
	}
	store_attachments_free(v, n);
	return out;
}

json_t *
svc_attach_adv_json(struct svc_ctx *c, const struct svc_adv *x)
{
	struct store_attachment *v = NULL;
	size_t n = 0;
	json_t *out = json_array();
	char hex[65];

	if (store_attachment_list(c->st, true, x->a.id, &v, &n) != CS_OK)
		return out;
	for (size_t i = 0; i < n; i++) {
		/* Only the versions this reader is shown (source review). */
		if (v[i].version > x->a.nversions)
			continue;
		hex32(v[i].sha256, hex);
		json_array_append_new(out, att_json(&v[i], v[i].name,
		    v[i].content_type, hex));
	}
	store_attachments_free(v, n);
	return out;
}

/* ---- reading ------------------------------------------------------------ */

void
svc_attach_read_fini(struct svc_attach_read *r)
{
	store_attachment_fini(&r->a);
	free(r->name);
	free(r->content_type);
	core_attach_seal_fini(&r->seal);
	memset(r, 0, sizeof(*r));
}

enum cs_err
svc_attach_open(struct svc_ctx *c, int64_t id, struct svc_attach_read *r,
    struct cs_error *e)
{
	struct svc_report x;
	struct svc_adv ad;
	bool anon = false;
	enum cs_err rc;

	memset(r, 0, sizeof(*r));
	if ((rc = store_attachment_get(c->st, id, &r->a)) != CS_OK)
		return svc_load_failed(rc, "attachment", e);
	if (r->a.advisory != 0) {
		if ((rc = svc_adv_load_visible(c, r->a.advisory, &ad, e)) != CS_OK)
			goto fail;
		if (r->a.version > ad.a.nversions) {
			svc_adv_fini(&ad);
			rc = cs_fail(e, CS_ENOENT, "", "no such attachment");
			goto fail;
		}
		svc_adv_fini(&ad);
		r->name = xstrdup(r->a.name);
		r->content_type = xstrdup(r->a.content_type);
		hex32(r->a.sha256, r->sha256);
		rc = svc_audit_op(c, "attachment.read", "advisory", r->a.advisory,
		    json_pack("{s:I}", "attachment", (json_int_t)id), false, e);
		if (rc != CS_OK)
			goto fail;
		return CS_OK;
	}
	if ((rc = svc_report_load(c, r->a.report, SVC_LOAD_VERSIONS, &x, e)) !=
	    CS_OK)
		goto fail;
	if (!report_att_visible(c, &x, &r->a)) {
		svc_report_fini(&x);
		rc = cs_fail(e, CS_ENOENT, "", "no such attachment");
		goto fail;
	}
	if (r->a.sealed_meta != NULL) {
		struct store_org sec;
		json_t *m = meta_open(c, &x, &r->a);

		r->sealed = true;
		if (m == NULL || secretariat(c, &x, &sec, e) != CS_OK) {
			json_decref(m);
			svc_report_fini(&x);
			rc = cs_fail(e, CS_EINTERNAL, "", "the sealed attachment "
			    "does not open");
			goto fail;
		}
		r->name = xstrdup(json_string_value(json_object_get(m, "name")));
		r->content_type = xstrdup(json_string_value(json_object_get(m,
		    "content_type")));
		cs_fmt(r->sha256, sizeof(r->sha256), "%s", json_string_value(
		    json_object_get(m, "sha256")));
		json_decref(m);
		rc = core_attach_open_begin(&r->seal, sec.pk, sec.wrapped_sk,
		    r->a.sealed_key) == 0 ? CS_OK : CS_EINTERNAL;
		store_org_fini(&sec);
		if (rc != CS_OK) {
			svc_report_fini(&x);
			cs_fail(e, rc, "", "the sealed attachment does not open");
			goto fail;
		}
	} else {
		r->name = xstrdup(r->a.name);
		r->content_type = xstrdup(r->a.content_type);
		hex32(r->a.sha256, r->sha256);
	}
	/* A source reading its own anonymised report's file: no name. */
	anon = x.r.anonymised && policy_report_relation(&c->who, &x.acl) ==
	    REL_SUBMITTER;
	svc_report_fini(&x);
	if ((rc = svc_audit_op(c, "attachment.read", "report", r->a.report,
	    json_pack("{s:I, s:i}", "attachment", (json_int_t)id, "version",
	    r->a.version), anon, e)) != CS_OK)
		goto fail;
	return CS_OK;
fail:
	svc_attach_read_fini(r);
	return rc;
}

enum cs_err
svc_attach_next(struct store *st, struct svc_attach_read *r,
    struct cs_buf *out, bool *done)
{
	struct cs_buf raw;
	unsigned char *plain;
	bool last = false;
	enum cs_err rc;

	*done = false;
	if (r->next >= r->a.nchunks) {
		*done = true;
		return CS_OK;
	}
	if (!r->sealed) {
		if ((rc = store_attachment_chunk_get(st, r->a.id, r->next, out)) !=
		    CS_OK)
			return rc;
		*done = ++r->next >= r->a.nchunks;
		return CS_OK;
	}
	cs_buf_init(&raw, CS_ATTACH_CHUNK + CS_ATTACH_SEAL_ABYTES);
	if ((rc = store_attachment_chunk_get(st, r->a.id, r->next, &raw)) !=
	    CS_OK) {
		cs_buf_fini(&raw);
		return rc;
	}
	plain = xmalloc(cs_buf_len(&raw) + 1);
	if (core_attach_open_chunk(&r->seal, cs_buf_str(&raw), cs_buf_len(&raw),
	    plain, &last) != 0 || last != (r->next + 1 == r->a.nchunks))
		rc = CS_EINTERNAL;
	else if (cs_buf_add(out, plain, cs_buf_len(&raw) -
	    CS_ATTACH_SEAL_ABYTES) != 0)
		rc = CS_ETOOBIG;
	sodium_memzero(plain, cs_buf_len(&raw));
	free(plain);
	cs_buf_fini(&raw);
	if (rc != CS_OK)
		return rc;
	*done = ++r->next >= r->a.nchunks;
	return CS_OK;
}

/* ---- the secretariat's forward ----------------------------------------- */

enum cs_err
svc_attach_forward(struct svc_ctx *c, const struct svc_report *x,
    const int64_t *keep, size_t n, json_t **kept, struct cs_error *e)
{
	struct store_attachment *v = NULL, copy;
	size_t nv = 0;
	char field[40];
	enum cs_err rc = CS_OK;

	*kept = json_array();
	if (n == 0)
		return CS_OK;
	if (!x->r.anonymised ||
	    policy_report_relation(&c->who, &x->acl) != REL_CEPTOAR)
		return cs_fail(e, CS_EINVAL, "attachments", "only the CEPTOAR "
		    "secretariat's forward of an anonymised report keeps "
		    "attachments");
	if ((rc = store_attachment_list(c->st, false, x->r.id, &v, &nv)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	for (size_t i = 0; i < n; i++) {
		struct svc_attach_read r;
		struct store_attachment *src = NULL;
		struct cs_buf all;
		bool done = false, twice = false;
		unsigned char sha[32], want[32];

		cs_fmt(field, sizeof(field), "attachments.%zu", i);
		for (size_t j = 0; j < nv; j++) {
			if (v[j].id == keep[i] && v[j].sealed_meta != NULL &&
			    v[j].hop == HOP_SOURCE)
				src = &v[j];
			if (v[j].source == keep[i])
				twice = true;
		}
		for (size_t j = 0; j < i; j++)
			if (keep[j] == keep[i])
				twice = true;
		if (src == NULL) {
			rc = cs_fail(e, CS_EINVAL, field, "no such attachment of "
			    "the source on this report");
			goto out;
		}
		if (twice) {
			rc = cs_fail(e, CS_EINVAL, field, "forwarded already");
			goto out;
		}
		/* Opened through the read path: its audit entry included. */
		if ((rc = svc_attach_open(c, src->id, &r, e)) != CS_OK)
			goto out;
		cs_buf_init(&all, (size_t)src->size + 1);
		while (!done && (rc = svc_attach_next(c->st, &r, &all, &done)) ==
		    CS_OK)
			;
		if (rc == CS_OK) {
			crypto_hash_sha256(sha, (const unsigned char *)
			    cs_buf_str(&all), cs_buf_len(&all));
			if (core_unhex(r.sha256, want, 32) != 0 ||
			    memcmp(sha, want, 32) != 0 ||
			    (int64_t)cs_buf_len(&all) != src->size)
				rc = CS_EINTERNAL;
		}
		if (rc != CS_OK) {
			cs_buf_fini(&all);
			svc_attach_read_fini(&r);
			rc = cs_fail(e, rc, field, "the sealed attachment does not "
			    "open");
			goto out;
		}
		memset(&copy, 0, sizeof(copy));
		copy.report = x->r.id;
		copy.version = src->version;
		copy.hop = HOP_CEPTOAR;
		copy.name = xstrdup(r.name);
		copy.content_type = xstrdup(r.content_type);
		memcpy(copy.sha256, sha, 32);
		copy.has_sha256 = true;
		copy.source = src->id;
		copy.by_org = c->who.org_id;
		copy.by_user = c->who.user_id;
		rc = store_file(c, &copy, (const unsigned char *)cs_buf_str(&all),
		    cs_buf_len(&all), NULL, e);
		cs_buf_fini(&all);
		svc_attach_read_fini(&r);
		if (rc == CS_OK)
			rc = svc_audit_op(c, "attachment.forward", "report",
			    x->r.id, json_pack("{s:I, s:I}", "attachment",
			    (json_int_t)copy.id, "from", (json_int_t)src->id),
			    false, e);
		if (rc == CS_OK)
			json_array_append_new(*kept, json_integer(copy.id));
		store_attachment_fini(&copy);
		if (rc != CS_OK)
			goto out;
	}
out:
	store_attachments_free(v, nv);
	return rc;
}

/* ---- sample requests ---------------------------------------------------- */

static json_t *
sample_json(const struct store_sample_request *s, const struct svc_report *x)
{
	char idb[40];

	core_report_ident(x->r.r_number, 1, idb, sizeof(idb));
	return json_pack("{s:I, s:I, s:o, s:s, s:s, s:I, s:o, s:s, s:o, s:o, s:o}",
	    "id", (json_int_t)s->id, "report", (json_int_t)s->report,
	    "identification_number", idb[0] ? json_string(idb) : json_null(),
	    "what", s->what, "reason", s->reason,
	    "by_org", (json_int_t)s->by_org,
	    "requested_at", svc_time(s->at_us),
	    "state", core_sample_state_id((enum cs_sample_state)s->state),
	    "attachment", s->attachment ? json_integer(s->attachment) :
	    json_null(),
	    "decline", s->decline ? json_string(s->decline) : json_null(),
	    "answered_at", s->answered_us ? svc_time(s->answered_us) :
	    json_null());
}

enum cs_err
svc_sample_request(struct svc_ctx *c, const struct svc_report *x,
    const struct cs_sample_in *in, int64_t *id, struct cs_error *e)
{
	struct store_sample_request s;
	enum cs_err rc;

	if (policy_report_relation(&c->who, &x->acl) != REL_NISC)
		return cs_fail(e, CS_EPERM, "", "samples are requested by NISC "
		    "once the report has reached it");
	memset(&s, 0, sizeof(s));
	s.report = x->r.id;
	s.what = (char *)(uintptr_t)in->what;
	s.reason = (char *)(uintptr_t)in->reason;
	s.by_org = c->who.org_id;
	s.by_user = c->who.user_id;
	s.at_us = c->now_us;
	s.state = SAMPLE_OPEN;
	if ((rc = store_sample_insert(c->st, &s)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*id = s.id;
	return svc_audit_op(c, "sample.request", "report", x->r.id,
	    json_pack("{s:I, s:s}", "sample_request", (json_int_t)s.id, "what",
	    in->what), false, e);
}

/* A sample request and its report, when the principal sees it. */
static enum cs_err
sample_load(struct svc_ctx *c, int64_t id, struct store_sample_request *s,
    struct svc_report *x, struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = store_sample_get(c->st, id, s)) != CS_OK)
		return svc_load_failed(rc, "sample request", e);
	if ((rc = svc_report_load(c, s->report, SVC_LOAD_VERSIONS, x, e)) !=
	    CS_OK) {
		store_sample_fini(s);
		return rc;
	}
	if (!policy_sample_may_read(&c->who, &x->acl)) {
		svc_report_fini(x);
		store_sample_fini(s);
		return cs_fail(e, CS_ENOENT, "", "no such sample request");
	}
	return CS_OK;
}

enum cs_err
svc_sample_get(struct svc_ctx *c, int64_t id, json_t **out,
    struct cs_error *e)
{
	struct store_sample_request s;
	struct svc_report x;
	enum cs_err rc;

	if ((rc = sample_load(c, id, &s, &x, e)) != CS_OK)
		return rc;
	*out = sample_json(&s, &x);
	rc = svc_audit_op(c, "sample.read", "report", x.r.id, json_pack("{s:I}",
	    "sample_request", (json_int_t)id), false, e);
	if (rc != CS_OK) {
		json_decref(*out);
		*out = NULL;
	}
	svc_report_fini(&x);
	store_sample_fini(&s);
	return rc;
}

enum cs_err
svc_sample_list(struct svc_ctx *c, int64_t before, int limit, json_t **items,
    bool *more, int64_t *last, struct cs_error *e)
{
	struct store_sample_request *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	*items = json_array();
	*more = false;
	*last = 0;
	for (;;) {
		if ((rc = store_sample_page(c->st, before, 200, &v, &n)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		for (size_t i = 0; i < n; i++) {
			struct svc_report x;

			before = v[i].id;
			if (svc_report_load(c, v[i].report, SVC_LOAD_VERSIONS, &x,
			    e) != CS_OK)
				continue;
			if (policy_sample_may_read(&c->who, &x.acl)) {
				if (json_array_size(*items) >= (size_t)limit) {
					*more = true;
					svc_report_fini(&x);
					break;
				}
				json_array_append_new(*items, sample_json(&v[i], &x));
				*last = v[i].id;
			}
			svc_report_fini(&x);
		}
		store_samples_free(v, n);
		if (*more || n < 200)
			break;
	}
	cs_error_clear(e);
	return svc_audit(c, "sample.list", "sample-requests", json_pack("{s:I}",
	    "count", (json_int_t)json_array_size(*items)), false) == CS_OK ?
	    CS_OK : cs_fail(e, CS_ESTORE, "", "audit failed");
}

enum cs_err
svc_sample_answer(struct svc_ctx *c, int64_t id, int64_t attachment,
    const char *decline, json_t **out, struct cs_error *e)
{
	struct store_sample_request s;
	struct store_attachment a;
	struct svc_report x;
	char *keep_decline;
	enum cs_err rc;

	*out = NULL;
	if ((rc = sample_load(c, id, &s, &x, e)) != CS_OK)
		return rc;
	memset(&a, 0, sizeof(a));
	if (!policy_sample_may_answer(&c->who, &x.acl)) {
		rc = cs_fail(e, CS_EPERM, "", "a sample request is answered by "
		    "the report's source (anonymised: its CEPTOAR secretariat)");
		goto out;
	}
	if (s.state != SAMPLE_OPEN) {
		rc = cs_fail(e, CS_ECONFLICT, "", "this request was answered "
		    "already");
		goto out;
	}
	if (attachment != 0) {
		/* Its own file on this report, one NISC reads. */
		if (store_attachment_get(c->st, attachment, &a) != CS_OK ||
		    a.report != x.r.id || a.by_org != c->who.org_id ||
		    a.sealed_meta != NULL || svc_report_reached(&x, a.version) <
		    ST_AT_NISC) {
			rc = cs_fail(e, CS_EINVAL, "attachment", "must be the id "
			    "of an attachment your organisation added to this "
			    "report (of a version NISC has received)");
			goto out;
		}
		if ((rc = store_attachment_set_sample(c->st, a.id, s.id)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
	}
	keep_decline = s.decline;
	s.decline = decline != NULL ? (char *)(uintptr_t)decline : NULL;
	s.state = attachment != 0 ? SAMPLE_ANSWERED : SAMPLE_DECLINED;
	s.attachment = attachment;
	s.answered_by_org = c->who.org_id;
	s.answered_by_user = c->who.user_id;
	s.answered_us = c->now_us;
	rc = store_sample_answer(c->st, &s, SAMPLE_OPEN);
	if (rc == CS_OK)
		*out = sample_json(&s, &x);
	s.decline = keep_decline;
	if (rc != CS_OK) {
		rc = rc == CS_ENOENT ? cs_fail(e, CS_ECONFLICT, "", "this request "
		    "was answered already") : cs_fail(e, rc, "", "store error");
		goto out;
	}
	rc = svc_audit_op(c, attachment != 0 ? "sample.answer" :
	    "sample.decline", "report", x.r.id, json_pack("{s:I, s:o}",
	    "sample_request", (json_int_t)id, "attachment", attachment ?
	    json_integer(attachment) : json_null()), false, e);
	if (rc != CS_OK) {
		json_decref(*out);
		*out = NULL;
	}
out:
	store_attachment_fini(&a);
	svc_report_fini(&x);
	store_sample_fini(&s);
	return rc;
}
