/*
 * stats.c: counts of reports by sector, event type, cause, route, TLP and
 * time (see analysis.h), with the small-cell suppression that keeps a
 * cell's few sources from being guessed.  Pure: the caller feeds the
 * facts of the reports its reader may read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/analysis.h"
#include "util/util.h"

static const char *const dim_ids[STATS__COUNT] = {
	[STATS_SECTOR] = "sector",
	[STATS_EVENT_TYPE] = "event_type",
	[STATS_CAUSE] = "cause",
	[STATS_ROUTE] = "route",
	[STATS_TLP] = "tlp",
	[STATS_MONTH] = "month",
	[STATS_QUARTER] = "quarter",
	[STATS_FISCAL_YEAR] = "fiscal_year",
};

#define JST_OFFSET_US	(9LL * 3600 * 1000000)
#define KEYMAX		256

/* Durations in microseconds. */
struct durs {
	int64_t		*v;
	size_t		 n, cap;
};

struct cell {
	char		 key[KEYMAX];	/* the values, \x1f-separated */
	long		 count;
	int64_t		*src;		/* distinct sources */
	size_t		 nsrc, capsrc;
	struct durs	 to_r, to_adv;
};

struct stats_acc {
	unsigned	 dims;
	struct cell	*cells;
	size_t		 n, cap;
	struct cell	 all;		/* every report once: the overall timings */
};

int
stats_dim_parse(const char *id)
{
	for (int i = 0; i < STATS__COUNT; i++)
		if (id != NULL && strcmp(id, dim_ids[i]) == 0)
			return i;
	return -1;
}

const char *
stats_dim_id(enum stats_dim d)
{
	return d < STATS__COUNT ? dim_ids[d] : "";
}

struct stats_acc *
stats_new(unsigned dims)
{
	struct stats_acc *a = xcalloc(1, sizeof(*a));

	a->dims = dims;
	return a;
}

void
stats_free(struct stats_acc *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->cells[i].src);
		free(a->cells[i].to_r.v);
		free(a->cells[i].to_adv.v);
	}
	free(a->cells);
	free(a->all.src);
	free(a->all.to_r.v);
	free(a->all.to_adv.v);
	free(a);
}

/* Month, fiscal quarter and fiscal year of t, in Japan time. */
static void
periods(int64_t at_us, char *month, char *quarter, char *fy, size_t sz)
{
	time_t t = (time_t)((at_us + JST_OFFSET_US) / 1000000);
	struct tm tm;
	int y, m, fyear, q;

	gmtime_r(&t, &tm);
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	fyear = m >= 4 ? y : y - 1;	/* 年度: April to March */
	q = (m >= 4 ? m - 4 : m + 8) / 3 + 1;
	cs_fmt(month, sz, "%04d-%02d", y, m);
	cs_fmt(quarter, sz, "FY%04d-Q%d", fyear, q);
	cs_fmt(fy, sz, "FY%04d", fyear);
}

static struct cell *
cell_get(struct stats_acc *a, const char *key)
{
	struct cell *c;

	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->cells[i].key, key) == 0)
			return &a->cells[i];
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 16;
		a->cells = xreallocarray(a->cells, a->cap, sizeof(*a->cells));
	}
	c = &a->cells[a->n++];
	memset(c, 0, sizeof(*c));
	(void)cs_strlcpy(c->key, key, sizeof(c->key));
	return c;
}

static void
durs_add(struct durs *d, int64_t us)
{
	if (us < 0)
		return;
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 8;
		d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
	}
	d->v[d->n++] = us;
}

static void
cell_count(struct cell *c, const struct stats_fact *f)
{
	int64_t source = f->source;
	size_t i;

	c->count++;
	durs_add(&c->to_r, f->to_r_us);
	durs_add(&c->to_adv, f->to_adv_us);
	for (i = 0; i < c->nsrc; i++)
		if (c->src[i] == source)
			return;
	if (c->nsrc == c->capsrc) {
		c->capsrc = c->capsrc ? 2 * c->capsrc : 4;
		c->src = xreallocarray(c->src, c->capsrc, sizeof(*c->src));
	}
	c->src[c->nsrc++] = source;
}

void
stats_add(struct stats_acc *a, const struct stats_fact *f)
{
	char month[16], quarter[16], fy[16], key[KEYMAX];
	const char *vals[STATS__COUNT];
	size_t ncause = f->ncauses > 0 ? f->ncauses : 1;

	periods(f->at_us, month, quarter, fy, sizeof(month));
	vals[STATS_SECTOR] = f->sector;
	vals[STATS_EVENT_TYPE] = f->event_type;
	vals[STATS_ROUTE] = f->route;
	vals[STATS_TLP] = f->tlp;
	vals[STATS_MONTH] = month;
	vals[STATS_QUARTER] = quarter;
	vals[STATS_FISCAL_YEAR] = fy;
	/* Grouped by cause, a report counts once under each of its causes. */
	if (!(a->dims & (1u << STATS_CAUSE)))
		ncause = 1;
	for (size_t i = 0; i < ncause; i++) {
		size_t o = 0;

		vals[STATS_CAUSE] = f->ncauses > 0 ? f->causes[i] : NULL;
		key[0] = '\0';
		for (int d = 0; d < STATS__COUNT; d++) {
			if (!(a->dims & (1u << d)))
				continue;
			o += (size_t)snprintf(key + o, o < sizeof(key) ?
			    sizeof(key) - o : 0, "%s\x1f", vals[d] != NULL ?
			    vals[d] : "");
		}
		cell_count(cell_get(a, key), f);
	}
	cell_count(&a->all, f);
}

static int
i64_cmp(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

/* The nearest-rank p-th percentile (0 < p <= 100) of sorted v[0..n), n > 0. */
static int64_t
rank(const int64_t *v, size_t n, int p)
{
	size_t r = (n * (size_t)p + 99) / 100;

	return v[r > 0 ? r - 1 : 0];
}

json_t *
stats_durations_json(int64_t *v, size_t n)
{
	if (n == 0)
		return json_pack("{s:i, s:n, s:n}", "n", 0, "median_s", "p90_s");
	qsort(v, n, sizeof(*v), i64_cmp);
	return json_pack("{s:I, s:I, s:I}", "n", (json_int_t)n, "median_s",
	    (json_int_t)(rank(v, n, 50) / 1000000), "p90_s",
	    (json_int_t)(rank(v, n, 90) / 1000000));
}

static json_t *
timings_json(const struct cell *c)
{
	return json_pack("{s:o, s:o}", "to_r_number",
	    stats_durations_json(c->to_r.v, c->to_r.n), "to_advisory",
	    stats_durations_json(c->to_adv.v, c->to_adv.n));
}

static int
cell_cmp(const void *x, const void *y)
{
	return strcmp(((const struct cell *)x)->key,
	    ((const struct cell *)y)->key);
}

json_t *
stats_json(const struct stats_acc *a, int k, bool suppress, bool show_sources)
{
	json_t *cells = json_array();
	struct cell *sorted = xcalloc(a->n + 1, sizeof(*sorted));
	long total = 0, hidden = 0;

	if (a->n > 0)
		memcpy(sorted, a->cells, a->n * sizeof(*sorted));
	qsort(sorted, a->n, sizeof(*sorted), cell_cmp);
	for (size_t i = 0; i < a->n; i++) {
		const struct cell *c = &sorted[i];
		json_t *key = json_object(), *cell;
		const char *p = c->key;

		if (suppress && c->nsrc < (size_t)k) {
			hidden++;
			json_decref(key);
			continue;
		}
		for (int d = 0; d < STATS__COUNT; d++) {
			const char *end;

			if (!(a->dims & (1u << d)))
				continue;
			end = strchr(p, '\x1f');
			json_object_set_new(key, dim_ids[d], end == p ?
			    json_null() : json_stringn(p, (size_t)(end - p)));
			p = end + 1;
		}
		cell = json_pack("{s:o, s:I, s:o}", "key", key, "count",
		    (json_int_t)c->count, "timings", timings_json(c));
		if (show_sources)
			json_object_set_new(cell, "sources",
			    json_integer((json_int_t)c->nsrc));
		json_array_append_new(cells, cell);
		total += c->count;
	}
	free(sorted);
	/* The overall timings: like a cell, only from k sources up. */
	return json_pack("{s:o, s:I, s:i, s:I, s:o}", "cells", cells,
	    "suppressed", (json_int_t)hidden, "k", k, "total", (json_int_t)total,
	    "timings", suppress && a->all.nsrc < (size_t)k ? json_null() :
	    timings_json(&a->all));
}
