/*
 * test_core.c: unit tests of src/core outside the visibility policy
 * (test_policy.c): the reference enums and their agreement with data/,
 * report numbering, the report form validator, and the cryptography
 * (at-rest sealing, sealed boxes, tokens, passwords, anonymity tags, the
 * audit chain, redaction).
 *
 * Run from the repository root: the data/ checks open data/sectors.json and
 * data/taxonomy.json.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/core.h"
#include "core/ident.h"
#include "fixtures.h"

/* ---- enums --------------------------------------------------------------- */

static void
test_org_types(void **state)
{
	/* The 11 organisation types a client may name, in enum order. */
	static const struct {
		enum cs_org_type	 t;
		const char		*id;
	} types[] = {
		{ ORG_NISC, "nisc" },
		{ ORG_CAS, "cas_crisis_management" },
		{ ORG_CI_MINISTRY, "ci_ministry" },
		{ ORG_CS_MINISTRY, "cybersecurity_ministry" },
		{ ORG_IR_MINISTRY, "incident_response_ministry" },
		{ ORG_DM_MINISTRY, "disaster_management_ministry" },
		{ ORG_CS_AGENCY, "cybersecurity_agency" },
		{ ORG_CYBER_BUSINESS, "cyberspace_business" },
		{ ORG_CI_OPERATOR, "ci_operator" },
		{ ORG_CEPTOAR_SEC, "ceptoar_secretariat" },
		{ ORG_CEPTOAR_COUNCIL, "ceptoar_council" },
	};
	static const char *const bad[] = {
		"platform", "", "NISC", "nisc ", " nisc", "ceptoar", "public",
		"liaison", "ci_operators", "unknown",
	};
	enum cs_org_type t;
	size_t n = sizeof(types) / sizeof(types[0]);

	(void)state;
	assert_int_equal(n, 11);
	assert_int_equal(ORG__COUNT, 12);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(core_org_type_id(types[i].t), types[i].id);
		t = ORG_PLATFORM;
		assert_int_equal(core_org_type_parse(types[i].id, &t), 0);
		assert_int_equal(t, types[i].t);
	}
	/* Every value in the enum round-trips (none forgotten above). */
	for (int i = 1; i < ORG__COUNT; i++) {
		t = ORG_PLATFORM;
		assert_int_equal(core_org_type_parse(
		    core_org_type_id((enum cs_org_type)i), &t), 0);
		assert_int_equal(t, i);
	}
	/* The platform's own type exists but is not parseable. */
	assert_string_equal(core_org_type_id(ORG_PLATFORM), "platform");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t = ORG_CI_OPERATOR;
		if (core_org_type_parse(bad[i], &t) != -1)
			fail_msg("org type \"%s\" was accepted", bad[i]);
		assert_int_equal(t, ORG_CI_OPERATOR);
	}
	assert_int_equal(core_org_type_parse(NULL, &t), -1);
	assert_string_equal(core_org_type_id(ORG__COUNT), "unknown");
	assert_string_equal(core_org_type_id((enum cs_org_type)99), "unknown");
}

static const char *const sector_ids[CS_NSECTORS] = {
	"ict", "finance", "aviation", "airport", "railway", "electricity",
	"gas", "government", "medical", "water", "logistics", "chemical",
	"credit", "petroleum", "port"
};

static void
test_sectors(void **state)
{
	(void)state;
	assert_int_equal(CS_NSECTORS, 15);
	assert_int_equal(CS_ALL_SECTORS, 0x7fff);
	for (int i = 0; i < CS_NSECTORS; i++) {
		assert_string_equal(core_sector_id(i), sector_ids[i]);
		assert_int_equal(core_sector_parse(sector_ids[i]), i);
	}
	assert_int_equal(core_sector_parse("Finance"), -1);
	assert_int_equal(core_sector_parse(""), -1);
	assert_int_equal(core_sector_parse("unknown"), -1);
	assert_int_equal(core_sector_parse("banking"), -1);
	assert_int_equal(core_sector_parse(NULL), -1);
	assert_string_equal(core_sector_id(-1), "unknown");
	assert_string_equal(core_sector_id(CS_NSECTORS), "unknown");
}

static void
test_roles(void **state)
{
	static const struct {
		unsigned	 bit;
		const char	*id;
	} roles[] = {
		{ ROLE_MEMBER, "member" }, { ROLE_POC, "poc" },
		{ ROLE_LIAISON, "liaison" }, { ROLE_ANALYST, "analyst" },
		{ ROLE_APPROVER, "approver" }, { ROLE_ORG_ADMIN, "org_admin" },
		{ ROLE_ADMIN, "admin" },
	};
	unsigned seen = 0;

	(void)state;
	assert_int_equal(CS_NROLES, 7);
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		assert_int_equal(core_role_parse(roles[i].id), roles[i].bit);
		assert_string_equal(core_role_id((int)i), roles[i].id);
		assert_int_equal(roles[i].bit, 1u << i);
		seen |= roles[i].bit;
	}
	assert_int_equal(seen, (1u << CS_NROLES) - 1);
	for (int i = 0; i < CS_NROLES; i++)
		assert_int_equal(core_role_parse(core_role_id(i)), 1u << i);
	assert_int_equal(core_role_parse("Admin"), 0);
	assert_int_equal(core_role_parse("root"), 0);
	assert_int_equal(core_role_parse(""), 0);
	assert_int_equal(core_role_parse(NULL), 0);
	assert_string_equal(core_role_id(CS_NROLES), "unknown");
	assert_string_equal(core_role_id(-1), "unknown");
}

static void
test_tlp_route_state_hop(void **state)
{
	static const char *const tlps[] = { "red", "amber_strict", "amber",
	    "green", "clear" };
	static const char *const routes[] = { "direct", "via_ceptoar",
	    "urgent" };
	enum cs_tlp t;
	enum cs_route r;

	(void)state;
	for (int i = 0; i < 5; i++) {
		assert_string_equal(core_tlp_id((enum cs_tlp)i), tlps[i]);
		t = (enum cs_tlp)((i + 1) % 5);
		assert_int_equal(core_tlp_parse(tlps[i], &t), 0);
		assert_int_equal(t, i);
	}
	/* Ordered from the strictest. */
	assert_true(TLP_RED < TLP_AMBER_STRICT);
	assert_true(TLP_AMBER_STRICT < TLP_AMBER);
	assert_true(TLP_AMBER < TLP_GREEN);
	assert_true(TLP_GREEN < TLP_CLEAR);
	t = TLP_GREEN;
	assert_int_equal(core_tlp_parse("RED", &t), -1);
	assert_int_equal(core_tlp_parse("amber+strict", &t), -1);
	assert_int_equal(core_tlp_parse("AMBER+STRICT", &t), -1);
	assert_int_equal(core_tlp_parse("white", &t), -1);
	assert_int_equal(core_tlp_parse("", &t), -1);
	assert_int_equal(core_tlp_parse(NULL, &t), -1);
	assert_int_equal(t, TLP_GREEN);
	assert_string_equal(core_tlp_id((enum cs_tlp)5), "unknown");

	for (int i = 0; i < 3; i++) {
		assert_string_equal(core_route_id((enum cs_route)i), routes[i]);
		r = (enum cs_route)((i + 1) % 3);
		assert_int_equal(core_route_parse(routes[i], &r), 0);
		assert_int_equal(r, i);
	}
	r = ROUTE_URGENT;
	assert_int_equal(core_route_parse("Direct", &r), -1);
	assert_int_equal(core_route_parse("ceptoar", &r), -1);
	assert_int_equal(core_route_parse(NULL, &r), -1);
	assert_int_equal(r, ROUTE_URGENT);
	assert_string_equal(core_route_id((enum cs_route)3), "unknown");

	assert_string_equal(core_state_id(ST_AT_CEPTOAR), "at_ceptoar");
	assert_string_equal(core_state_id(ST_AT_MINISTRY), "at_ministry");
	assert_string_equal(core_state_id(ST_AT_NISC), "at_nisc");
	assert_string_equal(core_state_id((enum cs_state)3), "unknown");
	assert_string_equal(core_hop_id(HOP_SOURCE), "source");
	assert_string_equal(core_hop_id(HOP_CEPTOAR), "ceptoar");
	assert_string_equal(core_hop_id(HOP_MINISTRY), "ministry");
	assert_string_equal(core_hop_id((enum cs_hop)3), "unknown");
}

static void
test_report_ident(void **state)
{
	char out[32];

	(void)state;
	core_report_ident(12, 1, out, sizeof(out));
	assert_string_equal(out, "R12");
	core_report_ident(12, 0, out, sizeof(out));
	assert_string_equal(out, "R12");
	core_report_ident(12, 2, out, sizeof(out));
	assert_string_equal(out, "R12-2");
	core_report_ident(1, 10, out, sizeof(out));
	assert_string_equal(out, "R1-10");
	core_report_ident(INT64_MAX, 2, out, sizeof(out));
	assert_string_equal(out, "R9223372036854775807-2");
	memcpy(out, "junk", 5);
	core_report_ident(0, 1, out, sizeof(out));
	assert_string_equal(out, "");
	memcpy(out, "junk", 5);
	core_report_ident(0, 3, out, sizeof(out));
	assert_string_equal(out, "");
	memcpy(out, "junk", 5);
	core_report_ident(-5, 1, out, sizeof(out));
	assert_string_equal(out, "");
	/* Truncated, still terminated. */
	core_report_ident(12345, 2, out, 4);
	assert_string_equal(out, "R12");
}

/* ---- data/ agreement ----------------------------------------------------- */

static json_t *
load_data(const char *path)
{
	json_error_t je;
	json_t *j;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		fail_msg("%s is missing: run the test from the repository root "
		    "after generating data/ (python3 tools/gen-data.py)", path);
	j = json_loadf(f, 0, &je);
	fclose(f);
	if (j == NULL)
		fail_msg("%s:%d: %s", path, je.line, je.text);
	return j;
}

static void
test_data_sectors(void **state)
{
	json_t *d, *list, *s;
	size_t i;

	(void)state;
	d = load_data("data/sectors.json");
	list = json_object_get(d, "sectors");
	if (!json_is_array(list))
		fail_msg("data/sectors.json: no \"sectors\" array");
	assert_int_equal(json_array_size(list), CS_NSECTORS);
	json_array_foreach(list, i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));

		if (id == NULL)
			fail_msg("data/sectors.json: sector %zu has no id", i);
		if (core_sector_parse(id) != (int)i)
			fail_msg("data/sectors.json: sector %zu \"%s\" parses "
			    "as %d", i, id, core_sector_parse(id));
		assert_string_equal(core_sector_id((int)i), id);
	}
	json_decref(d);
}

static json_t *
minimal_form(void)
{
	return json_pack("{s:s, s:s, s:s}", "tlp", "amber", "has_attachment",
	    "no", "sector", "finance");
}

static void
test_data_taxonomy(void **state)
{
	struct cs_error e;
	json_t *d, *events, *causes, *x, *form, *all;
	size_t i;

	(void)state;
	d = load_data("data/taxonomy.json");
	events = json_object_get(d, "event_types");
	causes = json_object_get(d, "cause_types");
	if (!json_is_array(events) || !json_is_array(causes))
		fail_msg("data/taxonomy.json: missing event_types/cause_types");
	/* data/README.md: 8 event types, 17 cause types. */
	assert_int_equal(json_array_size(events), 8);
	assert_int_equal(json_array_size(causes), 17);

	json_array_foreach(events, i, x) {
		json_t *id = json_object_get(x, "id");

		if (!json_is_string(id))
			fail_msg("event_types[%zu] has no id", i);
		form = minimal_form();
		json_object_set(form, "event_type", id);
		cs_error_clear(&e);
		if (core_report_form_validate(form, "form", &e) != CS_OK)
			fail_msg("event type \"%s\" refused: %s: %s",
			    json_string_value(id), e.field, e.msg);
		json_decref(form);
	}
	all = json_array();
	json_array_foreach(causes, i, x) {
		json_t *id = json_object_get(x, "id");

		if (!json_is_string(id))
			fail_msg("cause_types[%zu] has no id", i);
		form = minimal_form();
		json_object_set_new(form, "cause_types", json_pack("[O]", id));
		cs_error_clear(&e);
		if (core_report_form_validate(form, "form", &e) != CS_OK)
			fail_msg("cause type \"%s\" refused: %s: %s",
			    json_string_value(id), e.field, e.msg);
		json_decref(form);
		json_array_append(all, id);
	}
	/* All of them at once, in taxonomy order. */
	form = minimal_form();
	json_object_set_new(form, "cause_types", all);
	assert_int_equal(core_report_form_validate(form, "form", &e), CS_OK);
	json_decref(form);
	json_decref(d);
}

/* ---- report form ------------------------------------------------------- */

static char *
repeat(const char *unit, size_t n)
{
	size_t l = strlen(unit);
	char *s = malloc(l * n + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * l, unit, l);
	s[l * n] = '\0';
	return s;
}

static const char full_form_json[] =
    "{"
    "\"importance\": \"alert\","
    "\"report_sequence_number\": 2,"
    "\"identification_number\": \"R12-2\","
    "\"reported_at\": \"2026-11-21T13:15:00+09:00\","
    "\"reporter\": {"
    "  \"ministry_name\": \"経済産業省\","
    "  \"department\": \"商務情報政策局\","
    "  \"contact_person\": \"山田 太郎\","
    "  \"phone\": \"03-0000-0000\","
    "  \"fax\": \"03-0000-0001\","
    "  \"email\": \"yamada@example.go.jp\""
    "},"
    "\"tlp\": \"amber_strict\","
    "\"tlp_special_notes\": \"概要のみ共有可\","
    "\"event_type\": \"event_malware_infection\","
    "\"cause_types\": [\"cause_suspicious_email_received\", \"cause_unknown\"],"
    "\"has_attachment\": \"yes\","
    "\"sector\": \"electricity\","
    "\"affected_operator_name\": \"○○電力株式会社\","
    "\"overview\": {"
    "  \"discovered_at\": \"2026-11-20T09:30:00+09:00\","
    "  \"occurred_at\": \"2026-11-19T22:00:00+09:00\","
    "  \"occurred_at_remark\": \"サーバログ等より推測\","
    "  \"affected_system_or_contractor\": \"社内情報系システム\","
    "  \"event_summary\":"
    "  \"不審メールの添付ファイル実行によるマルウェア感染\""
    "},"
    "\"impact\": {"
    "  \"system_operation_status\": \"partially_operating\","
    "  \"service_level_deviation\": \"no\","
    "  \"spillover_possibility\": \"yes\","
    "  \"external_response\": {"
    "    \"press_release\": \"planned\","
    "    \"press_release_detail\": \"2026-11-22 報道発表予定\","
    "    \"ppc_notification\": \"checking\","
    "    \"ppc_notification_detail\": \"確認中\","
    "    \"other_contacts_besides_nisc\": \"警察庁\""
    "  },"
    "  \"supplementary_info\": \"制御系への影響なし\""
    "},"
    "\"timeline\": ["
    "  {\"at\": \"2026-11-19T22:00:00+09:00\", \"description\": \"感染\"},"
    "  {\"at\": \"11月20日 午前9時頃\", \"description\": \"検知\"},"
    "  {}"
    "],"
    "\"next_steps\": \"post_incident_investigation\","
    "\"other_lessons_learned\": \"訓練の重要性\""
    "}";

static json_t *
parse(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);

	if (j == NULL)
		fail_msg("test JSON does not parse: %d:%d %s", je.line,
		    je.column, je.text);
	return j;
}

static void
expect_ok(json_t *form, const char *what)
{
	struct cs_error e;

	cs_error_clear(&e);
	if (core_report_form_validate(form, "form", &e) != CS_OK)
		fail_msg("%s refused: %s: %s", what, e.field, e.msg);
	assert_int_equal(e.code, CS_OK);
}

/* expect_ok, then the form's TLP and sector (each unless -1); frees form. */
static void
expect_form(json_t *form, const char *what, int tlp, int sector)
{
	expect_ok(form, what);
	if (tlp != -1)
		assert_int_equal(core_report_form_tlp(form), tlp);
	if (sector != -1)
		assert_int_equal(core_report_form_sector(form), sector);
	json_decref(form);
}

static void
test_form_minimal(void **state)
{
	(void)state;
	expect_form(minimal_form(), "minimal 第1報", TLP_AMBER, 1);
	expect_form(parse("{\"tlp\":\"red\",\"has_attachment\":\"yes\","
	    "\"sector\":\"port\"}"), "minimal RED", TLP_RED, 14);
}

static void
test_form_full(void **state)
{
	json_t *f;

	(void)state;
	f = parse(full_form_json);
	/* Every field of f_report, with its groups and the table. */
	assert_int_equal(json_object_size(f), 17);
	expect_form(f, "full form", TLP_AMBER_STRICT, 5);
}

static void
test_form_edges_ok(void **state)
{
	json_t *f, *rows;
	char *s;

	(void)state;
	/* Optional fields may be null (cleared), lists may be empty. */
	f = parse("{\"tlp\":\"clear\",\"has_attachment\":\"no\","
	    "\"sector\":\"ict\",\"importance\":null,\"event_type\":null,"
	    "\"cause_types\":[],\"overview\":{},\"impact\":null,"
	    "\"timeline\":[],\"reporter\":{\"phone\":null},"
	    "\"report_sequence_number\":1,\"identification_number\":\"\"}");
	expect_ok(f, "nulls and empties");
	json_decref(f);

	/* Exactly at the limits. */
	f = minimal_form();
	s = repeat("a", CS_MAX_TEXT);
	json_object_set_new(f, "other_lessons_learned", json_string(s));
	free(s);
	/* 8000 code points, 24000 bytes. */
	s = repeat("情", CS_MAX_TEXT);
	json_object_set_new(f, "affected_operator_name", json_string(s));
	free(s);
	s = repeat("名", CS_MAX_STRING);
	json_object_set_new(f, "identification_number", json_string(s));
	free(s);
	json_object_set_new(f, "report_sequence_number", json_integer(100000));
	rows = json_array();
	for (int i = 0; i < CS_MAX_TIMELINE; i++)
		json_array_append_new(rows, json_pack("{s:s}", "description",
		    "x"));
	json_object_set_new(f, "timeline", rows);
	expect_ok(f, "fields at their limits");
	json_decref(f);

	/* Every TLP, every sector. */
	for (int i = 0; i < 5; i++) {
		f = minimal_form();
		json_object_set_new(f, "tlp",
		    json_string(core_tlp_id((enum cs_tlp)i)));
		expect_form(f, core_tlp_id((enum cs_tlp)i), i, -1);
	}
	for (int i = 0; i < CS_NSECTORS; i++) {
		f = minimal_form();
		json_object_set_new(f, "sector", json_string(sector_ids[i]));
		expect_form(f, sector_ids[i], -1, i);
	}
}

/*
 * Invalid forms: each is the minimal form with `patch` merged over it
 * (null `patch` values delete the key), expected to fail at `field`.
 */
static const struct {
	const char	*patch;
	const char	*field;
} invalid_forms[] = {
	{ "{\"tlp\": null}", "form.tlp" },
	{ "{\"has_attachment\": null}", "form.has_attachment" },
	{ "{\"sector\": null}", "form.sector" },
	{ "{\"tlp\": \"AMBER\"}", "form.tlp" },
	{ "{\"tlp\": \"white\"}", "form.tlp" },
	{ "{\"tlp\": 3}", "form.tlp" },
	{ "{\"tlp\": [\"red\"]}", "form.tlp" },
	{ "{\"sector\": \"banking\"}", "form.sector" },
	{ "{\"sector\": 1}", "form.sector" },
	{ "{\"has_attachment\": true}", "form.has_attachment" },
	{ "{\"has_attachment\": \"maybe\"}", "form.has_attachment" },
	{ "{\"importance\": \"urgent\"}", "form.importance" },
	{ "{\"event_type\": [\"event_other\", \"event_information_leak\"]}",
	    "form.event_type" },
	{ "{\"event_type\": [\"event_other\"]}", "form.event_type" },
	{ "{\"event_type\": \"event_bogus\"}", "form.event_type" },
	{ "{\"event_type\": \"cause_other\"}", "form.event_type" },
	{ "{\"cause_types\": [\"cause_other\", \"cause_other\"]}",
	    "form.cause_types.1" },
	{ "{\"cause_types\": [\"cause_unknown\", \"cause_bogus\"]}",
	    "form.cause_types.1" },
	{ "{\"cause_types\": [\"cause_other\", \"cause_unknown\", "
	    "\"cause_other\"]}", "form.cause_types.2" },
	{ "{\"cause_types\": [\"event_other\"]}", "form.cause_types.0" },
	{ "{\"cause_types\": [1]}", "form.cause_types.0" },
	{ "{\"cause_types\": \"cause_other\"}", "form.cause_types" },
	{ "{\"overview\": {\"discovered_at\": \"2026-11-21 13:15\"}}",
	    "form.overview.discovered_at" },
	{ "{\"overview\": {\"occurred_at\": \"2026-11-21T13:15:00\"}}",
	    "form.overview.occurred_at" },
	{ "{\"overview\": {\"occurred_at\": 1795234500}}",
	    "form.overview.occurred_at" },
	{ "{\"overview\": {\"event_summary\": 5}}",
	    "form.overview.event_summary" },
	{ "{\"overview\": {\"bogus\": \"x\"}}", "form.overview.bogus" },
	{ "{\"overview\": \"text\"}", "form.overview" },
	{ "{\"reported_at\": \"2026-02-30T00:00:00+09:00\"}",
	    "form.reported_at" },
	{ "{\"reported_at\": \"2026-11-21T13:15:00+0900\"}",
	    "form.reported_at" },
	{ "{\"timeline\": [{\"at\": \"x\", \"bogus\": 1}]}",
	    "form.timeline.0.bogus" },
	{ "{\"timeline\": [{}, {\"description\": 7}]}",
	    "form.timeline.1.description" },
	{ "{\"timeline\": [\"x\"]}", "form.timeline.0" },
	{ "{\"timeline\": {\"at\": \"x\"}}", "form.timeline" },
	{ "{\"report_sequence_number\": 0}", "form.report_sequence_number" },
	{ "{\"report_sequence_number\": -1}", "form.report_sequence_number" },
	{ "{\"report_sequence_number\": \"1\"}",
	    "form.report_sequence_number" },
	{ "{\"report_sequence_number\": 1.0}", "form.report_sequence_number" },
	{ "{\"report_sequence_number\": 100001}",
	    "form.report_sequence_number" },
	{ "{\"identification_number\": 12}", "form.identification_number" },
	{ "{\"reporter\": \"山田\"}", "form.reporter" },
	{ "{\"reporter\": {\"phone\": 300000000}}", "form.reporter.phone" },
	{ "{\"reporter\": {\"name\": \"x\"}}", "form.reporter.name" },
	{ "{\"impact\": {\"system_operation_status\": \"down\"}}",
	    "form.impact.system_operation_status" },
	{ "{\"impact\": {\"service_level_deviation\": \"maybe\"}}",
	    "form.impact.service_level_deviation" },
	{ "{\"impact\": {\"external_response\": {\"press_release\": \"yes\"}}}",
	    "form.impact.external_response.press_release" },
	{ "{\"impact\": {\"external_response\": {\"ppc_notification\": "
	    "\"planned\"}}}",
	    "form.impact.external_response.ppc_notification" },
	{ "{\"impact\": {\"external_response\": {\"bogus\": 1}}}",
	    "form.impact.external_response.bogus" },
	{ "{\"next_steps\": \"done\"}", "form.next_steps" },
	{ "{\"bogus\": \"x\"}", "form.bogus" },
	{ "{\"direction\": \"ministry_to_nisc\"}", "form.direction" },
	{ "{\"TLP\": \"red\"}", "form.TLP" },
};

static void
check_invalid(json_t *form, const char *prefix, const char *field,
    const char *what)
{
	struct cs_error e;
	enum cs_err rc;

	cs_error_clear(&e);
	rc = core_report_form_validate(form, prefix, &e);
	if (rc != CS_EINVAL || e.code != CS_EINVAL)
		fail_msg("%s: expected CS_EINVAL at %s, got rc=%d code=%d "
		    "field=%s", what, field, rc, e.code, e.field);
	if (strcmp(e.field, field) != 0)
		fail_msg("%s: expected field %s, got %s (%s)", what, field,
		    e.field, e.msg);
	if (e.msg[0] == '\0')
		fail_msg("%s: no message", what);
}

static void
test_form_invalid_table(void **state)
{
	const char *key;
	json_t *f, *patch, *v;
	size_t n = sizeof(invalid_forms) / sizeof(invalid_forms[0]);

	(void)state;
	assert_true(n >= 25);
	for (size_t i = 0; i < n; i++) {
		f = minimal_form();
		patch = parse(invalid_forms[i].patch);
		json_object_foreach(patch, key, v) {
			if (json_is_null(v) && json_object_get(f, key) != NULL)
				json_object_del(f, key);
			else
				json_object_set(f, key, v);
		}
		check_invalid(f, "form", invalid_forms[i].field,
		    invalid_forms[i].patch);
		json_decref(patch);
		json_decref(f);
	}
	print_message("%zu invalid form cases\n", n);
}

/* check_invalid on the minimal form with key set to value (taken). */
static void
invalid_with(const char *key, json_t *value, const char *prefix,
    const char *field, const char *what)
{
	json_t *f = minimal_form();

	json_object_set_new(f, key, value);
	check_invalid(f, prefix, field, what);
	json_decref(f);
}

static void
test_form_invalid_built(void **state)
{
	json_t *f, *rows, *causes;
	char *s;

	(void)state;
	/* Free text over 8000 code points, in bytes and in code points. */
	s = repeat("a", CS_MAX_TEXT + 1);
	invalid_with("other_lessons_learned", json_string(s), "form",
	    "form.other_lessons_learned", "8001 chars");
	free(s);
	s = repeat("情", CS_MAX_TEXT + 1);
	invalid_with("overview", json_pack("{s:s}", "event_summary", s), "form",
	    "form.overview.event_summary", "8001 kanji");
	free(s);
	s = repeat("a", CS_MAX_TEXT + 1);
	invalid_with("timeline", json_pack("[{s:s},{s:s}]", "description", "ok",
	    "description", s), "form", "form.timeline.1.description",
	    "8001 chars in a row");
	free(s);

	/* Short strings over 256 code points. */
	s = repeat("名", CS_MAX_STRING + 1);
	invalid_with("reporter", json_pack("{s:s}", "contact_person", s),
	    "form", "form.reporter.contact_person", "257 chars");
	free(s);

	/* Invalid UTF-8 and NUL (jansson's _nocheck lets them through). */
	invalid_with("affected_operator_name", json_string_nocheck("\xe6\x97"),
	    "form", "form.affected_operator_name", "truncated UTF-8");
	invalid_with("tlp_special_notes", json_string_nocheck("\xed\xa0\x80"),
	    "form", "form.tlp_special_notes", "surrogate");
	invalid_with("impact", json_pack("{s:o}", "supplementary_info",
	    json_stringn_nocheck("a\0b", 3)), "form",
	    "form.impact.supplementary_info", "embedded NUL");

	/* A required field sent as null. */
	invalid_with("sector", json_null(), "form", "form.sector",
	    "null sector");

	/* More than 200 timeline rows. */
	rows = json_array();
	for (int i = 0; i <= CS_MAX_TIMELINE; i++)
		json_array_append_new(rows, json_object());
	invalid_with("timeline", rows, "form", "form.timeline", "201 rows");

	/* More than 100 ids in a list. */
	causes = json_array();
	for (int i = 0; i <= CS_MAX_LIST; i++)
		json_array_append_new(causes, json_string("cause_other"));
	invalid_with("cause_types", causes, "form", "form.cause_types",
	    "101 causes");

	/* The form itself. */
	f = json_array();
	check_invalid(f, "form", "form", "array form");
	json_decref(f);
	f = json_string("x");
	check_invalid(f, "form", "form", "string form");
	json_decref(f);
	check_invalid(NULL, "form", "form", "NULL form");

	/* The prefix is honoured. */
	invalid_with("tlp", json_string("bogus"), "body.form", "body.form.tlp",
	    "prefix");
	invalid_with("cause_types", json_pack("[ss]", "cause_other",
	    "cause_other"), "followups.0.form",
	    "followups.0.form.cause_types.1", "prefix, nested");
}

/*
 * Walks the dotted path in form: returns the object holding its last
 * component (NULL when a step is missing) and copies that component to key.
 */
static json_t *
leaf_parent(json_t *form, const char *path, char *key, size_t keysz)
{
	char buf[128], *tok, *next, *save;
	json_t *o = form;

	(void)snprintf(buf, sizeof(buf), "%s", path);
	tok = strtok_r(buf, ".", &save);
	while ((next = strtok_r(NULL, ".", &save)) != NULL) {
		o = json_object_get(o, tok);
		tok = next;
	}
	(void)snprintf(key, keysz, "%s", tok);
	return o;
}

static void
test_form_each_full_field_checked(void **state)
{
	/*
	 * Starting from the full form, break each leaf in turn (give it an
	 * object) and check the validator names exactly that leaf.
	 */
	static const char *const leaves[] = {
		"importance", "report_sequence_number", "identification_number",
		"reported_at", "tlp", "tlp_special_notes", "event_type",
		"has_attachment", "sector", "affected_operator_name",
		"next_steps", "other_lessons_learned", "cause_types",
		"timeline", "reporter.ministry_name", "reporter.department",
		"reporter.contact_person", "reporter.phone", "reporter.fax",
		"reporter.email", "overview.discovered_at",
		"overview.occurred_at", "overview.occurred_at_remark",
		"overview.affected_system_or_contractor",
		"overview.event_summary", "impact.system_operation_status",
		"impact.service_level_deviation",
		"impact.spillover_possibility",
		"impact.supplementary_info",
		"impact.external_response.press_release",
		"impact.external_response.press_release_detail",
		"impact.external_response.ppc_notification",
		"impact.external_response.ppc_notification_detail",
		"impact.external_response.other_contacts_besides_nisc",
	};
	static const char *const short_leaves[] = {
		"identification_number", "reporter.ministry_name",
		"reporter.department", "reporter.contact_person",
		"reporter.phone", "reporter.fax", "reporter.email",
		"overview.occurred_at_remark",
	};
	static const char *const text_leaves[] = {
		"tlp_special_notes", "affected_operator_name",
		"other_lessons_learned",
		"overview.affected_system_or_contractor",
		"overview.event_summary", "impact.supplementary_info",
		"impact.external_response.press_release_detail",
		"impact.external_response.ppc_notification_detail",
		"impact.external_response.other_contacts_besides_nisc",
	};
	char key[128], want[140];
	json_t *f, *o;

	(void)state;
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		f = parse(full_form_json);
		o = leaf_parent(f, leaves[i], key, sizeof(key));
		if (json_object_get(o, key) == NULL)
			fail_msg("full form lacks %s", leaves[i]);
		json_object_set_new(o, key, json_object());
		(void)snprintf(want, sizeof(want), "form.%s", leaves[i]);
		check_invalid(f, "form", want, leaves[i]);
		json_decref(f);
	}
	/* Each string leaf has its length limit: 256 or 8000 code points. */
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		size_t max = 0;

		for (size_t k = 0; k < sizeof(short_leaves) /
		    sizeof(short_leaves[0]); k++)
			if (strcmp(leaves[i], short_leaves[k]) == 0)
				max = CS_MAX_STRING;
		for (size_t k = 0; k < sizeof(text_leaves) /
		    sizeof(text_leaves[0]); k++)
			if (strcmp(leaves[i], text_leaves[k]) == 0)
				max = CS_MAX_TEXT;
		if (max == 0)
			continue;
		for (size_t len = max; len <= max + 1; len++) {
			char *s = repeat("字", len);

			f = parse(full_form_json);
			o = leaf_parent(f, leaves[i], key, sizeof(key));
			json_object_set_new(o, key, json_string(s));
			free(s);
			(void)snprintf(want, sizeof(want), "form.%s",
			    leaves[i]);
			if (len == max)
				expect_ok(f, want);
			else
				check_invalid(f, "form", want, want);
			json_decref(f);
		}
	}

	/* The two timeline columns. */
	f = parse(full_form_json);
	json_object_set_new(json_array_get(json_object_get(f, "timeline"), 1),
	    "at", json_integer(9));
	check_invalid(f, "form", "form.timeline.1.at", "timeline at");
	json_decref(f);
}

/* ---- crypto ------------------------------------------------------------ */

static void
test_keys_ready(void **state)
{
	(void)state;
	assert_true(core_keys_ready());
}

static void
test_seal_text(void **state)
{
	static const char *const plains[] = { "", "a",
	    "○○電力株式会社", "yamada@example.go.jp" };
	char *s1, *s2, *p;

	(void)state;
	for (size_t i = 0; i < sizeof(plains) / sizeof(plains[0]); i++) {
		s1 = core_seal_text(plains[i]);
		assert_non_null(s1);
		if (strlen(plains[i]) > 3)
			assert_null(strstr(s1, plains[i]));
		p = core_open_text(s1);
		assert_non_null(p);
		assert_string_equal(p, plains[i]);
		free(p);
		/* A fresh nonce each time. */
		s2 = core_seal_text(plains[i]);
		assert_string_not_equal(s1, s2);
		p = core_open_text(s2);
		assert_string_equal(p, plains[i]);
		free(p);
		free(s1);
		free(s2);
	}
}

static void
test_seal_text_tamper(void **state)
{
	char *s, *t, *p;
	size_t n, i;

	(void)state;
	s = core_seal_text("東京電力 連絡先");
	n = strlen(s);
	/* Changing any single base64 character (but padding) breaks it. */
	for (i = 0; i < n && s[i] != '='; i++) {
		t = strdup(s);
		t[i] = t[i] == 'A' ? 'B' : 'A';
		p = core_open_text(t);
		if (p != NULL) {
			/* Only the last char's unused low bits may change. */
			if (i + 1 < n && s[i + 1] != '=')
				fail_msg("tampered at %zu, still opened", i);
			assert_string_equal(p, "東京電力 連絡先");
			free(p);
		}
		free(t);
	}
	/* Truncated, garbage, empty, NULL. */
	t = strndup(s, n - 4);
	assert_null(core_open_text(t));
	free(t);
	assert_null(core_open_text("not base64 at all!"));
	assert_null(core_open_text("AAAA"));
	assert_null(core_open_text(""));
	assert_null(core_open_text(NULL));
	free(s);
}

static void
test_seal_text_other_key(void **state)
{
	char *s, *p;

	(void)state;
	s = core_seal_text("secret org name");
	core_keys_init(fx_key_b);
	p = core_open_text(s);
	core_keys_init(fx_key_a);
	assert_null(p);
	p = core_open_text(s);
	assert_string_equal(p, "secret org name");
	free(p);
	free(s);
}

static void
test_sealed_box(void **state)
{
	unsigned char pk1[32], pk2[32];
	char *w1, *w2, *c, *p, *t;

	(void)state;
	core_org_keypair(pk1, &w1);
	core_org_keypair(pk2, &w2);
	assert_memory_not_equal(pk1, pk2, 32);
	assert_string_not_equal(w1, w2);

	c = core_seal_to(pk1, "submitter: ○○電力 (org 501)");
	assert_non_null(c);
	p = core_open_sealed(pk1, w1, c);
	assert_non_null(p);
	assert_string_equal(p, "submitter: ○○電力 (org 501)");
	free(p);

	/* The other secretariat's key does not open it. */
	assert_null(core_open_sealed(pk2, w2, c));
	/* Mismatched public/secret halves do not either. */
	assert_null(core_open_sealed(pk2, w1, c));
	assert_null(core_open_sealed(pk1, w2, c));

	/* Tampered ciphertext. */
	t = strdup(c);
	t[10] = t[10] == 'A' ? 'B' : 'A';
	assert_null(core_open_sealed(pk1, w1, t));
	free(t);
	assert_null(core_open_sealed(pk1, w1, "garbage!"));
	assert_null(core_open_sealed(pk1, w1, ""));

	/* Tampered wrapped secret key. */
	t = strdup(w1);
	t[5] = t[5] == 'A' ? 'B' : 'A';
	assert_null(core_open_sealed(pk1, t, c));
	free(t);
	/* A wrapped key that is not 32 bytes. */
	t = core_seal_text("short");
	assert_null(core_open_sealed(pk1, t, c));
	free(t);

	/* The wrapped key needs the master key. */
	core_keys_init(fx_key_b);
	p = core_open_sealed(pk1, w1, c);
	core_keys_init(fx_key_a);
	assert_null(p);

	/* Empty message. */
	free(c);
	c = core_seal_to(pk2, "");
	p = core_open_sealed(pk2, w2, c);
	assert_string_equal(p, "");
	free(p);
	free(c);
	free(w1);
	free(w2);
}

static void
test_token(void **state)
{
	unsigned char h1[32], h2[32], hp[32];
	char *t1, *t2, *bad;
	int64_t id;

	(void)state;
	t1 = core_token_new(42, h1);
	t2 = core_token_new(42, h2);
	assert_non_null(t1);
	assert_int_equal(strncmp(t1, "cst_42_", 7), 0);
	assert_int_equal(strlen(t1), 7 + 64);
	assert_string_not_equal(t1, t2);
	assert_false(core_hash_eq(h1, h2));

	id = 0;
	memset(hp, 0, sizeof(hp));
	assert_int_equal(core_token_parse(t1, &id, hp), 0);
	assert_true(id == 42);
	assert_true(core_hash_eq(hp, h1));
	assert_memory_equal(hp, h1, 32);
	assert_int_equal(core_token_parse(t2, &id, hp), 0);
	assert_true(core_hash_eq(hp, h2));

	/* A big id. */
	free(t2);
	t2 = core_token_new(INT64_MAX, h2);
	assert_int_equal(core_token_parse(t2, &id, hp), 0);
	assert_true(id == INT64_MAX);
	assert_true(core_hash_eq(hp, h2));

	/* One secret character changed: parses, hash differs. */
	bad = strdup(t1);
	bad[20] = bad[20] == 'a' ? 'b' : 'a';
	assert_int_equal(core_token_parse(bad, &id, hp), 0);
	assert_false(core_hash_eq(hp, h1));
	free(bad);
	/* Another id with the same secret parses to that id. */
	bad = xasprintf("cst_43_%s", t1 + 7);
	assert_int_equal(core_token_parse(bad, &id, hp), 0);
	assert_true(id == 43);
	free(bad);
	free(t1);
	free(t2);
}

static void
test_token_malformed(void **state)
{
	static const char hex64[] =
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char *bad[32];
	size_t n = 0;
	unsigned char hp[32];
	int64_t id;

	(void)state;
	bad[n++] = xstrdup("");
	bad[n++] = xstrdup("cst_");
	bad[n++] = xstrdup("cst_42");
	bad[n++] = xstrdup("cst_42_");
	bad[n++] = xasprintf("cst__%s", hex64);
	bad[n++] = xasprintf("cst_0_%s", hex64);
	bad[n++] = xasprintf("cst_-1_%s", hex64);
	bad[n++] = xasprintf("cst_+1_%s", hex64);
	bad[n++] = xasprintf("cst_ 1_%s", hex64);
	bad[n++] = xasprintf("cst_abc_%s", hex64);
	bad[n++] = xasprintf("cst_1x_%s", hex64);
	bad[n++] = xasprintf("cst_99999999999999999999_%s", hex64);
	bad[n++] = xasprintf("cst_123456789012345678901234_%s", hex64);
	bad[n++] = xasprintf("cst_42_%.63s", hex64);
	bad[n++] = xasprintf("cst_42_%s0", hex64);
	bad[n++] = xasprintf("cst_42%s", hex64);
	bad[n++] = xasprintf("CST_42_%s", hex64);
	bad[n++] = xasprintf("cs_42_%s", hex64);
	bad[n++] = xasprintf("xcst_42_%s", hex64);
	bad[n++] = xasprintf("Bearer cst_42_%s", hex64);
	for (size_t i = 0; i < n; i++) {
		id = 777;
		if (core_token_parse(bad[i], &id, hp) != -1)
			fail_msg("token \"%s\" was accepted", bad[i]);
		free(bad[i]);
	}
	/* Sanity: the well-formed one parses. */
	bad[0] = xasprintf("cst_42_%s", hex64);
	assert_int_equal(core_token_parse(bad[0], &id, hp), 0);
	assert_true(id == 42);
	free(bad[0]);
}

static void
test_token_malformed_secret(void **state)
{
	char *bad[4];
	size_t n = 0;
	unsigned char hp[32];
	int64_t id;
	char z[65];

	(void)state;
	memset(z, 'z', 64);
	z[64] = '\0';
	bad[n++] = xasprintf("cst_42_%s", z);
	memset(z, '_', 64);
	bad[n++] = xasprintf("cst_42_%s", z);
	bad[n++] = xasprintf("cst_\t42_%064d", 0);
	bad[n++] = xasprintf("cst_\n42_%064d", 0);
	for (size_t i = 0; i < n; i++) {
		int rc = core_token_parse(bad[i], &id, hp);

		free(bad[i]);
		if (rc != -1)
			fail_msg("malformed token %zu was accepted", i);
	}
}

static void
test_password(void **state)
{
	char *h1, *h2;

	(void)state;
	h1 = core_password_hash("correct horse battery staple");
	h2 = core_password_hash("correct horse battery staple");
	assert_non_null(h1);
	assert_non_null(h2);
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	assert_string_not_equal(h1, h2);	/* salted */
	assert_true(core_password_verify(h1, "correct horse battery staple"));
	assert_true(core_password_verify(h2, "correct horse battery staple"));
	assert_false(core_password_verify(h1, "Correct horse battery staple"));
	assert_false(core_password_verify(h1, "correct horse battery stapl"));
	assert_false(core_password_verify(h1, ""));
	assert_false(core_password_verify("not a hash", "x"));
	assert_false(core_password_verify("", ""));
	free(h1);
	free(h2);
	h1 = core_password_hash("パスワード");
	assert_true(core_password_verify(h1, "パスワード"));
	assert_false(core_password_verify(h1, "ぱすわーど"));
	free(h1);
}

static void
test_anon_tag(void **state)
{
	unsigned char a[32], b[32], c[32], d[32], e[32];

	(void)state;
	core_anon_tag(1000, 501, a);
	core_anon_tag(1000, 501, b);
	assert_memory_equal(a, b, 32);		/* deterministic */
	core_anon_tag(1001, 501, c);
	assert_memory_not_equal(a, c, 32);		/* per report */
	core_anon_tag(1000, 502, d);
	assert_memory_not_equal(a, d, 32);		/* per org */
	/* No ambiguity where the decimal digits would run together. */
	core_anon_tag(11, 1, d);
	core_anon_tag(1, 11, e);
	assert_memory_not_equal(d, e, 32);
	/* Keyed: another master key gives another tag. */
	core_keys_init(fx_key_b);
	core_anon_tag(1000, 501, e);
	core_keys_init(fx_key_a);
	assert_memory_not_equal(a, e, 32);
	/* Not the unkeyed hash of the same message. */
	crypto_generichash(e, 32, (const unsigned char *)"report:1000:org:501",
	    strlen("report:1000:org:501"), NULL, 0);
	assert_memory_not_equal(a, e, 32);
}

static void
test_login_hash(void **state)
{
	unsigned char a[32], b[32], c[32];

	(void)state;
	core_login_hash("yamada", a);
	core_login_hash("yamada", b);
	core_login_hash("yamada2", c);
	assert_memory_equal(a, b, 32);
	assert_memory_not_equal(a, c, 32);
	core_keys_init(fx_key_b);
	core_login_hash("yamada", c);
	core_keys_init(fx_key_a);
	assert_memory_not_equal(a, c, 32);
}

/* Independent oracle: BLAKE2b-256(prev || entry). */
static void
oracle_audit(const unsigned char prev[32], const char *entry,
    unsigned char out[32])
{
	unsigned char *m = malloc(32 + strlen(entry));

	assert_non_null(m);
	memcpy(m, prev, 32);
	memcpy(m + 32, entry, strlen(entry));
	crypto_generichash(out, 32, m, 32 + strlen(entry), NULL, 0);
	free(m);
}

static void
test_audit_chain(void **state)
{
	static const char *const entries[] = {
		"{\"action\":\"report.create\",\"id\":1}",
		"{\"action\":\"report.share\",\"id\":1,\"to\":7}",
		"{\"action\":\"login\",\"user\":3}",
	};
	unsigned char zero[32] = { 0 };
	unsigned char chain[3][32], alt[3][32], want[32];

	(void)state;
	for (int i = 0; i < 3; i++) {
		core_audit_hash(i == 0 ? zero : chain[i - 1], entries[i],
		    chain[i]);
		oracle_audit(i == 0 ? zero : chain[i - 1], entries[i], want);
		assert_memory_equal(chain[i], want, 32);
	}
	/* Changing the first entry changes every later link. */
	core_audit_hash(zero, "{\"action\":\"report.create\",\"id\":2}",
	    alt[0]);
	core_audit_hash(alt[0], entries[1], alt[1]);
	core_audit_hash(alt[1], entries[2], alt[2]);
	for (int i = 0; i < 3; i++)
		assert_memory_not_equal(alt[i], chain[i], 32);
	/* Changing the middle entry changes it and the last, not the first. */
	core_audit_hash(chain[0], "{\"action\":\"report.share\",\"id\":1,"
	    "\"to\":8}", alt[1]);
	core_audit_hash(alt[1], entries[2], alt[2]);
	assert_memory_not_equal(alt[1], chain[1], 32);
	assert_memory_not_equal(alt[2], chain[2], 32);
	/* Reordering changes the head. */
	core_audit_hash(zero, entries[1], alt[0]);
	core_audit_hash(alt[0], entries[0], alt[1]);
	core_audit_hash(alt[1], entries[2], alt[2]);
	assert_memory_not_equal(alt[2], chain[2], 32);
	/* Same inputs, same head. */
	core_audit_hash(chain[1], entries[2], alt[2]);
	assert_memory_equal(alt[2], chain[2], 32);
}

static void
test_hex(void **state)
{
	unsigned char in[4] = { 0x00, 0x7f, 0xab, 0xff }, out[4];
	char hex[9];

	(void)state;
	core_hex(in, 4, hex);
	assert_string_equal(hex, "007fabff");
	assert_int_equal(core_unhex(hex, out, 4), 0);
	assert_memory_equal(in, out, 4);
	assert_int_equal(core_unhex("007FABFF", out, 4), 0);
	assert_memory_equal(in, out, 4);
	assert_int_equal(core_unhex("007fab", out, 4), -1);
	assert_int_equal(core_unhex("007fabff00", out, 4), -1);
	assert_int_equal(core_unhex("007fabfg", out, 4), -1);
	assert_int_equal(core_unhex("007f ab f", out, 4), -1);
}

static const char *
jstr(json_t *root, const char *path)
{
	json_t *v = json_object_get(root, path);

	return json_string_value(v);
}

/* A report form with the identity in several variants, redacted. */
static void
test_redact(void **state)
{
	static const char *const needles[] = { "ACME電力", "03-1234-5678",
	    "soc@acme.example.jp", "総務部" };
	struct ident_set *set;
	json_t *f, *row;

	(void)state;
	assert_int_equal(ident_set_new(needles, 4, &set), CS_OK);
	f = parse("{"
	    "\"tlp\": \"amber\","
	    "\"overview\": {\"event_summary\": \"ＡＣＭＥ電力の総務部で障害。"
	    "連絡は０３－１２３４－５６７８ か 03 1234 5678 まで\"},"
	    "\"timeline\": [{\"description\": \"SOC@ACME.EXAMPLE.JP に通知\"}]"
	    "}");
	core_report_form_redact(f, set, "[匿名]");
	assert_string_equal(jstr(json_object_get(f, "overview"), "event_summary"),
	    "[匿名]の[匿名]で障害。連絡は[匿名] か [匿名] まで");
	row = json_array_get(json_object_get(f, "timeline"), 0);
	assert_string_equal(jstr(row, "description"), "[匿名] に通知");
	/* Enum values are never rewritten. */
	assert_string_equal(jstr(f, "tlp"), "amber");
	json_decref(f);

	/* Not a form: nothing happens, nothing crashes. */
	f = parse("[\"ACME電力\"]");
	core_report_form_redact(f, set, "*");
	assert_string_equal(json_string_value(json_array_get(f, 0)), "ACME電力");
	json_decref(f);
	ident_set_free(set);
}

/* Hits anywhere in a JSON value, with paths and code point spans. */
static void
test_ident_find_json(void **state)
{
	static const char *const needles[] = { "acme", "0312345678" };
	struct ident_set *set;
	json_t *v, *hits, *h;

	(void)state;
	assert_int_equal(ident_set_new(needles, 2, &set), CS_OK);
	v = parse("{\"a\": \"x ＡＣＭＥ\", \"b\": [1, {\"c\": \"tel 03-1234-5678\"}]}");
	hits = json_array();
	core_json_ident_find(v, "form", set, hits);
	assert_int_equal(json_array_size(hits), 2);
	h = json_array_get(hits, 0);
	assert_string_equal(jstr(h, "field"), "form.a");
	assert_int_equal(json_integer_value(json_object_get(h, "start")), 2);
	assert_int_equal(json_integer_value(json_object_get(h, "end")), 6);
	h = json_array_get(hits, 1);
	assert_string_equal(jstr(h, "field"), "form.b.1.c");
	assert_int_equal(json_integer_value(json_object_get(h, "start")), 4);
	assert_int_equal(json_integer_value(json_object_get(h, "end")), 16);
	assert_int_equal(json_integer_value(json_object_get(h, "needle")), 1);
	json_decref(hits);
	json_decref(v);
	ident_set_free(set);
}

/* A string that grows past its limit is cut back; no needle survives. */
static void
test_redact_overflow(void **state)
{
	static const char *const needles[] = { "ab" };
	struct ident_set *set;
	json_t *f;
	char *s;

	(void)state;
	assert_int_equal(ident_set_new(needles, 1, &set), CS_OK);
	s = repeat("ab", CS_MAX_TEXT / 2);
	f = json_pack("{s:{s:s}}", "overview", "event_summary", s);
	free(s);
	core_report_form_redact(f, set, "XYZ");
	s = strstr(jstr(json_object_get(f, "overview"), "event_summary"), "ab");
	assert_true(cs_utf8_len(jstr(json_object_get(f, "overview"),
	    "event_summary"), strlen(jstr(json_object_get(f, "overview"),
	    "event_summary"))) <= CS_MAX_TEXT);
	json_decref(f);
	ident_set_free(set);
	if (s != NULL)
		fail_msg("a needle survived redaction");
}

/* issue 15: one row per addressee — a repeat is 400 form.recipients.N. */
static void
test_advisory_duplicate_recipients(void **state)
{
	struct cs_error e;
	json_t *f;

	(void)state;
	f = json_loads("{\"tlp\":\"amber\",\"has_attachment\":\"no\","
	    "\"recipients\":[{\"sector\":\"finance\"},{\"sector\":\"electricity\"},"
	    "{\"sector\":\"finance\"}]}", 0, NULL);
	assert_non_null(f);
	memset(&e, 0, sizeof(e));
	assert_int_equal(core_advisory_form_validate(f, "form", &e), CS_EINVAL);
	assert_string_equal(e.field, "form.recipients.2");
	/* The same sector for two named ministries is two addressees. */
	json_array_remove(json_object_get(f, "recipients"), 2);
	assert_int_equal(core_advisory_form_validate(f, "form", &e), CS_OK);
	json_array_append_new(json_object_get(f, "recipients"),
	    json_pack("{s:s, s:i}", "sector", "electricity", "ministry", 7));
	assert_int_equal(core_advisory_form_validate(f, "form", &e), CS_OK);
	json_array_append_new(json_object_get(f, "recipients"),
	    json_pack("{s:i, s:s}", "ministry", 7, "sector", "electricity"));
	assert_int_equal(core_advisory_form_validate(f, "form", &e), CS_EINVAL);
	assert_string_equal(e.field, "form.recipients.3");
	json_decref(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_org_types),
		cmocka_unit_test(test_sectors),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_tlp_route_state_hop),
		cmocka_unit_test(test_report_ident),
		cmocka_unit_test(test_data_sectors),
		cmocka_unit_test(test_data_taxonomy),
		cmocka_unit_test(test_form_minimal),
		cmocka_unit_test(test_form_full),
		cmocka_unit_test(test_form_edges_ok),
		cmocka_unit_test(test_form_invalid_table),
		cmocka_unit_test(test_form_invalid_built),
		cmocka_unit_test(test_form_each_full_field_checked),
		cmocka_unit_test(test_keys_ready),
		cmocka_unit_test(test_seal_text),
		cmocka_unit_test(test_seal_text_tamper),
		cmocka_unit_test(test_seal_text_other_key),
		cmocka_unit_test(test_sealed_box),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_token_malformed),
		cmocka_unit_test(test_token_malformed_secret),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_anon_tag),
		cmocka_unit_test(test_login_hash),
		cmocka_unit_test(test_audit_chain),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_redact_overflow),
		cmocka_unit_test(test_ident_find_json),
		cmocka_unit_test(test_advisory_duplicate_recipients),
	};

	return cmocka_run_group_tests(tests, fx_setup_keys, NULL);
}
