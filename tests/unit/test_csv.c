/*
 * test_csv.c: the RFC 4180 writer of the CSV exports (src/interop/csv.c):
 * plain cells, quoting of commas, quotes, CR and LF, CRLF row ends, the
 * formula-injection guard, Japanese text untouched, and the cap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "interop/csv.h"

static char *
row(const char *const *cells, size_t n)
{
	struct cs_buf b;

	cs_buf_init(&b, 1 << 20);
	assert_int_equal(csv_row(&b, cells, n), 0);
	return cs_buf_finish(&b);
}

static void
check(const char *const *cells, size_t n, const char *want)
{
	char *got = row(cells, n);

	assert_string_equal(got, want);
	free(got);
}

static void
test_plain(void **state)
{
	(void)state;
	check((const char *[]){ "a", "b", "c" }, 3, "a,b,c\r\n");
	check((const char *[]){ NULL, "", "x" }, 3, ",,x\r\n");
	check((const char *[]){ "ランサムウェア被害", "ict" }, 2,
	    "ランサムウェア被害,ict\r\n");
	check((const char *[]){ "with space ", " lead" }, 2,
	    "with space , lead\r\n");
}

static void
test_quoting(void **state)
{
	(void)state;
	check((const char *[]){ "a,b" }, 1, "\"a,b\"\r\n");
	check((const char *[]){ "say \"hi\"" }, 1, "\"say \"\"hi\"\"\"\r\n");
	check((const char *[]){ "\"" }, 1, "\"\"\"\"\r\n");
	check((const char *[]){ "line1\nline2", "x" }, 2,
	    "\"line1\nline2\",x\r\n");
	check((const char *[]){ "a\r\nb" }, 1, "\"a\r\nb\"\r\n");
	check((const char *[]){ "東京,大阪「\"引用\"」" }, 1,
	    "\"東京,大阪「\"\"引用\"\"」\"\r\n");
}

static void
test_formula_guard(void **state)
{
	(void)state;
	check((const char *[]){ "=1+1" }, 1, "'=1+1\r\n");
	check((const char *[]){ "+81", "-5", "@SUM(A1)" }, 3,
	    "'+81,'-5,'@SUM(A1)\r\n");
	check((const char *[]){ "\tx" }, 1, "'\tx\r\n");
	/* a CR first: guarded and quoted */
	check((const char *[]){ "\rx" }, 1, "\"'\rx\"\r\n");
	check((const char *[]){ "=HYPERLINK(\"http://x\",\"y\")" }, 1,
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
	/* only the first byte counts */
	check((const char *[]){ "a=b", "x-y" }, 2, "a=b,x-y\r\n");
	check((const char *[]){ "＝1" }, 1, "＝1\r\n");
	assert_false(csv_cell_guarded(NULL, 0));
	assert_false(csv_cell_guarded("", 0));
	assert_true(csv_cell_guarded("-", 1));
}

static void
test_cells_and_cap(void **state)
{
	struct cs_buf b;
	char *s;

	(void)state;
	cs_buf_init(&b, 1 << 10);
	assert_int_equal(csv_cell(&b, "ab", 1, true), 0);
	assert_int_equal(csv_cell(&b, "x,y", 3, false), 0);
	assert_int_equal(csv_row_end(&b), 0);
	s = cs_buf_finish(&b);
	assert_string_equal(s, "a,\"x,y\"\r\n");
	free(s);
	cs_buf_init(&b, 4);
	assert_int_equal(csv_cell(&b, "abcdef", 6, true), -1);
	cs_buf_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_formula_guard),
		cmocka_unit_test(test_cells_and_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
