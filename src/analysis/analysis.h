/*
 * analysis: what NISC reads across sectors, as pure functions of the items
 * (no store, no I/O; LAYOUT.md §1).  The first piece is the evaluation of a
 * report against its service's service-maintenance level (サービス維持レベル,
 * 行動計画 別紙２): the numeric levels are vocab_sml_rules[] (generated from
 * data/sectors.json), everything else is text for a person to judge.
 */
#ifndef CS_ANALYSIS_H
#define CS_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "gen/vocab.h"

enum sml_eval {
	SML_INSUFFICIENT,	/* a value the level needs is missing or ambiguous */
	SML_DEVIATION,		/* every condition of a rule holds */
	SML_NO_DEVIATION,	/* a condition of every applicable rule fails */
	SML_NOT_NUMERIC		/* the level is text: a person judges */
};

/* What form.impact.service_level_deviation said. */
enum sml_reported {
	SML_REPORTED_NONE,
	SML_REPORTED_YES,
	SML_REPORTED_NO
};

struct sml_result {
	enum sml_eval			 eval;
	const struct vocab_sml_rule	*rule;	/* the rule that decided, or NULL */
	int				 service; /* index of vocab_service, -1: none */
	enum sml_reported		 reported;
	bool				 disagrees; /* reported yes/no against eval */
};

/*
 * Evaluate a (valid) report form at time at_us: form.impact names the
 * service and its figures; the outage lasts from impact.started_at to
 * impact.ended_at, or to at_us while it is ongoing (or has no end yet).
 * A level with facility-specific rules uses the rule of impact.facility;
 * without it, the rules must agree.
 */
void		 analysis_sml_eval(json_t *form, int64_t at_us,
		    struct sml_result *);
/*
 * What analysis_sml_eval reads of a form, from its stored JSON text by the
 * member scan (cs_json_pick), without parsing the rest: {"sector",
 * "impact": {the members the rules read}} (new reference).  The text is
 * one the server wrote (no duplicate keys).
 */
json_t		*analysis_sml_form(const char *text);
/* "deviation", "no_deviation", "not_numeric", "insufficient_data". */
const char	*analysis_sml_eval_id(enum sml_eval);
/*
 * The result as API.md "Analysis" renders it: {"evaluated", "rule",
 * "text_ja", "citation", "reported", "disagrees"} (new reference).
 */
json_t		*analysis_sml_json(const struct sml_result *);

/* ---- statistics (stats.c) ---------------------------------------------- */

/* What a statistics cell may be grouped by (API.md "Analysis"). */
enum stats_dim {
	STATS_SECTOR,
	STATS_EVENT_TYPE,
	STATS_CAUSE,		/* a report counts once under each of its causes */
	STATS_ROUTE,
	STATS_TLP,
	STATS_MONTH,		/* "2026-11", Japan time */
	STATS_QUARTER,		/* fiscal: "FY2026-Q1" is April to June 2026 */
	STATS_FISCAL_YEAR,	/* "FY2026": April 2026 to March 2027 */
	STATS__COUNT
};

/* The dimension named id ("sector" ...), or -1. */
int		 stats_dim_parse(const char *id);
const char	*stats_dim_id(enum stats_dim);

/* One report as statistics see it: facets only, never its text. */
struct stats_fact {
	const char		*sector;	/* ids, NULL: unknown */
	const char		*event_type;
	const char *const	*causes;
	size_t			 ncauses;
	const char		*route;
	const char		*tlp;
	int64_t			 at_us;		/* when it was filed */
	int64_t			 source;	/* the source organisation, for k */
	int64_t			 to_r_us;	/* filing to NISC's R-number; < 0: not yet */
	int64_t			 to_adv_us;	/* filing to the first advisory; < 0: none */
};

struct stats_acc;

/* An accumulator grouping by the dimensions set in `dims` (1 << STATS_...). */
struct stats_acc *stats_new(unsigned dims);
void		 stats_free(struct stats_acc *);
void		 stats_add(struct stats_acc *, const struct stats_fact *);
/*
 * The cells, {"cells": [{"key": {dim: value ...}, "count", "sources"?}],
 * "suppressed": m, "k": k, "total": n}, sorted by key: with `suppress`,
 * a cell of fewer than k distinct source organisations is left out and
 * counted in "suppressed" (cells; its reports stay out of "total" too);
 * with `show_sources` each cell says how many sources it has.
 */
json_t		*stats_json(const struct stats_acc *, int k, bool suppress,
		    bool show_sources);
/*
 * {"n", "median_s", "p90_s"} of v[0..n) (microseconds; sorted in place),
 * nearest rank; the figures are null when n is 0.
 */
json_t		*stats_durations_json(int64_t *v, size_t n);

/* ---- interdependency (cascade.c) ---------------------------------------- */

/* An edge of the sector dependency graph: an outage in from may reach to. */
struct dep_edge {
	int		 from, to;	/* sector indices (vocab_sector) */
	const char	*basis;		/* why (the seed's words, or NISC's) */
	const char	*cite;		/* where it is stated, or NULL */
};

#define CASCADE_MAX_PATH	16

/* A sector at risk and the shortest chain of edges that reaches it. */
struct cascade_hit {
	int			 sector;
	int			 path[CASCADE_MAX_PATH];	/* from the outage's sector */
	int			 npath;
	const struct dep_edge	*via;		/* the last edge of the path */
};

/*
 * The sectors an outage in `from` may reach through edges (breadth first:
 * each by its shortest path, nearest first, then in the edges' order), never
 * `from` itself; at most max into out.  Returns how many.
 */
size_t		 analysis_cascade(const struct dep_edge *, size_t nedges,
		    int from, struct cascade_hit *out, size_t max);

#endif
