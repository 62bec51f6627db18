/*
 * test_cascade.c: the sectors an outage may reach (src/analysis/cascade.c)
 * — the seeded graph (telecommunications and electricity reach every other
 * sector), chains through several sectors by their shortest path, cycles,
 * and a sector nothing depends on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "analysis/analysis.h"

static int
sec(const char *id)
{
	return vocab_index(vocab_sector, id);
}

/* The default graph of data/dependencies.json, as svc loads it. */
static size_t
seeded(struct dep_edge *e)
{
	size_t n = 0;

	for (const struct vocab_dep_edge *d = vocab_dep_edges; d->from != NULL; d++) {
		e[n].from = sec(d->from);
		e[n].to = sec(d->to);
		e[n].basis = d->basis;
		e[n].cite = d->cite;
		n++;
	}
	return n;
}

static void
test_seeded(void **state)
{
	struct dep_edge e[64];
	struct cascade_hit h[VOCAB_SECTOR_N];
	size_t ne = seeded(e), n;

	(void)state;
	/* 2 upstream sectors x 14 others. */
	assert_int_equal(ne, 28);
	n = analysis_cascade(e, ne, sec("electricity"), h, VOCAB_SECTOR_N);
	assert_int_equal(n, VOCAB_SECTOR_N - 1);
	for (size_t i = 0; i < n; i++) {
		assert_int_not_equal(h[i].sector, sec("electricity"));
		assert_int_equal(h[i].npath, 2);
		assert_non_null(strstr(h[i].via->basis, "停電"));
	}
	/* Finance depends on both, but nothing depends on finance. */
	assert_int_equal(analysis_cascade(e, ne, sec("finance"), h,
	    VOCAB_SECTOR_N), 0);
}

/* water -> medical -> logistics, water -> logistics: the direct edge wins. */
static void
test_chains(void **state)
{
	struct dep_edge e[] = {
		{ sec("water"), sec("medical"), "病院は水を使う", NULL },
		{ sec("medical"), sec("logistics"), "医薬品の配送", NULL },
		{ sec("logistics"), sec("water"), "薬品の輸送", NULL },	/* a cycle */
		{ sec("medical"), sec("government"), "行政サービス", NULL },
	};
	struct cascade_hit h[VOCAB_SECTOR_N];
	size_t n;

	(void)state;
	n = analysis_cascade(e, 4, sec("water"), h, VOCAB_SECTOR_N);
	assert_int_equal(n, 3);
	assert_int_equal(h[0].sector, sec("medical"));
	assert_int_equal(h[0].npath, 2);
	assert_int_equal(h[1].sector, sec("logistics"));
	assert_int_equal(h[1].npath, 3);
	assert_int_equal(h[1].path[1], sec("medical"));
	assert_string_equal(h[1].via->basis, "医薬品の配送");
	assert_int_equal(h[2].sector, sec("government"));
	/* max bounds what is written, not the walk. */
	assert_int_equal(analysis_cascade(e, 4, sec("water"), h, 1), 1);
	/* A bad sector index reaches nothing. */
	assert_int_equal(analysis_cascade(e, 4, -1, h, VOCAB_SECTOR_N), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seeded),
		cmocka_unit_test(test_chains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
