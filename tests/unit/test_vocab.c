/*
 * test_vocab.c: unit tests of the generated vocabulary (build/gen/vocab.h,
 * tools/gen-vocab).  Links only libcs_vocab.a (and util, below it, of
 * which it uses nothing): the tables stand without core, as the CLI uses
 * them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "gen/vocab.h"

static void
test_index(void **state)
{
	(void)state;
	assert_int_equal(vocab_index(vocab_tlp, "red"), VOCAB_TLP_RED);
	assert_int_equal(vocab_index(vocab_tlp, "clear"), VOCAB_TLP_CLEAR);
	assert_int_equal(vocab_index(vocab_tlp, "amber_strict"),
	    VOCAB_TLP_AMBER_STRICT);
	assert_int_equal(vocab_index(vocab_tlp, "RED"), -1);
	assert_int_equal(vocab_index(vocab_tlp, "amber+strict"), -1);
	assert_int_equal(vocab_index(vocab_tlp, ""), -1);
	assert_int_equal(vocab_index(vocab_tlp, NULL), -1);
	assert_int_equal(vocab_index(vocab_sector, "port"), VOCAB_SECTOR_PORT);
	assert_int_equal(vocab_index(vocab_service, "ict.g01.s01"),
	    VOCAB_SERVICE_ICT_G01_S01);
}

/* Every list: n items with an id and a Japanese label, then the sentinel. */
static void
check_list(const struct vocab_item *l, size_t n, size_t want)
{
	assert_int_equal(n, want);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(l[i].id);
		assert_non_null(l[i].label_ja);
		assert_int_equal(vocab_index(l, l[i].id), (int)i);
	}
	assert_null(l[n].id);
}

static void
test_lists(void **state)
{
	(void)state;
	check_list(vocab_sector, vocab_sector_n, VOCAB_SECTOR_N);
	check_list(vocab_service, vocab_service_n, VOCAB_SERVICE_N);
	check_list(vocab_org, vocab_org_n, VOCAB_ORG_N);
	check_list(vocab_actor_type, vocab_actor_type_n, VOCAB_ACTOR_TYPE_N);
	check_list(vocab_tlp, vocab_tlp_n, VOCAB_TLP_N);
	check_list(vocab_importance, vocab_importance_n, VOCAB_IMPORTANCE_N);
	check_list(vocab_event_type, vocab_event_type_n, VOCAB_EVENT_TYPE_N);
	check_list(vocab_cause_type, vocab_cause_type_n, VOCAB_CAUSE_TYPE_N);
	check_list(vocab_org_type, vocab_org_type_n, VOCAB_ORG_TYPE_N);
	check_list(vocab_role, vocab_role_n, VOCAB_ROLE_N);
	check_list(vocab_route, vocab_route_n, VOCAB_ROUTE_N);
	check_list(vocab_state, vocab_state_n, VOCAB_STATE_N);
	check_list(vocab_hop, vocab_hop_n, VOCAB_HOP_N);
	check_list(vocab_adv_state, vocab_adv_state_n, VOCAB_ADV_STATE_N);
	check_list(vocab_yes_no, vocab_yes_no_n, VOCAB_YES_NO_N);
	check_list(vocab_op_status, vocab_op_status_n, VOCAB_OP_STATUS_N);
	check_list(vocab_next_steps, vocab_next_steps_n, VOCAB_NEXT_STEPS_N);
	assert_int_equal(VOCAB_SECTOR_N, 15);
	assert_int_equal(VOCAB_EVENT_TYPE_N, 8);
	assert_int_equal(VOCAB_CAUSE_TYPE_N, 17);
}

/* Labels, short forms, parents and citations carry the data through. */
static void
test_labels(void **state)
{
	const struct vocab_item *gov = &vocab_sector[VOCAB_SECTOR_GOVERNMENT];
	int m;

	(void)state;
	assert_string_equal(gov->short_ja, "政府・行政サービス");
	assert_string_equal(gov->parent, "mic");
	m = vocab_index(vocab_org, gov->parent);
	assert_true(m >= 0);
	assert_string_equal(vocab_org[m].label_ja, "総務省");
	assert_string_equal(vocab_importance[VOCAB_IMPORTANCE_ALERT].label_ja,
	    "警報");
	assert_string_equal(vocab_tlp[VOCAB_TLP_RED].short_ja, "RED");
	assert_non_null(vocab_tlp[VOCAB_TLP_RED].cite);
	assert_string_equal(vocab_service[0].parent, vocab_sector[0].id);
	assert_null(vocab_role[VOCAB_ROLE_ADMIN].cite);
	assert_string_equal(vocab_org_type[VOCAB_ORG_TYPE_PLATFORM].label_en,
	    "Platform operator");
}

/* The 様式 tables: form order, the client-required fields, options. */
static void
test_forms(void **state)
{
	const struct vocab_field *f, *g;
	int req = 0;

	(void)state;
	assert_string_equal(vocab_report_form[0].id, "importance");
	assert_ptr_equal(vocab_report_form[0].values, vocab_importance);
	for (f = vocab_report_form; f->id != NULL; f++) {
		req += f->required;
		if (strcmp(f->id, "overview") == 0) {
			assert_int_equal(f->type, VOCAB_F_GROUP);
			g = f->sub;
			assert_string_equal(g[2].id, "occurred_at_remark");
			assert_non_null(g[2].label_ja);
		}
		if (strcmp(f->id, "cause_types") == 0)
			assert_int_equal(f->type, VOCAB_F_ENUM_MULTI);
	}
	assert_int_equal(req, 3);	/* tlp, has_attachment, sector */
	for (f = vocab_advisory_form; f->id != NULL; f++)
		if (strcmp(f->id, "recipients") == 0) {
			assert_true(f->required);
			assert_int_equal(f->sub[0].type, VOCAB_F_REF);
			assert_ptr_equal(f->sub[1].values, vocab_sector);
		}
}

/* The control catalogue: every item, looked up in its own edition only. */
static void
test_controls(void **state)
{
	const struct vocab_control *c;
	size_t n23 = 0, n15 = 0;

	(void)state;
	assert_int_equal(vocab_controls_n, 102);
	for (size_t i = 0; i < vocab_controls_n; i++) {
		c = &vocab_controls[i];
		n23 += strcmp(c->edition, "2023") == 0;
		n15 += strcmp(c->edition, "2015") == 0;
		assert_ptr_equal(vocab_control_find(c->edition, c->id), c);
		assert_true(vocab_index(vocab_control_category, c->category) >= 0);
		assert_non_null(c->cite);
	}
	assert_int_equal(n23, 77);
	assert_int_equal(n15, 25);
	c = vocab_control_find("2023", "shishin2023:4.3.1");
	assert_non_null(c);
	assert_string_equal(c->category, "risk_management");
	assert_null(vocab_control_find("2015", "shishin2023:4.3.1"));
	assert_non_null(vocab_control_find("2015", "shishin2015:6.3.2"));
	assert_null(vocab_control_find("2023", "shishin2023:9.9"));
	assert_null(vocab_control_find(NULL, "shishin2023:2.1"));
	assert_non_null(vocab_edition_find("2023"));
	assert_null(vocab_edition_find("2024"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_controls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
