/*
 * survey.c: scoring and gap ranking of the yearly survey (survey.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/survey.h"

static const char *const status_ids[SURVEY__COUNT] = {
	[SURVEY_UNANSWERED] = "",
	[SURVEY_IMPLEMENTED] = "implemented",
	[SURVEY_PARTIAL] = "partial",
	[SURVEY_PLANNED] = "planned",
	[SURVEY_NOT_APPLICABLE] = "not_applicable",
	[SURVEY_NOT_IMPLEMENTED] = "not_implemented",
};

const char *
survey_status_id(int s)
{
	if (s < 0 || s >= SURVEY__COUNT)
		return "";
	return status_ids[s];
}

int
survey_status_parse(const char *id)
{
	if (id == NULL)
		return -1;
	for (int s = 1; s < SURVEY__COUNT; s++)
		if (strcmp(status_ids[s], id) == 0)
			return s;
	return -1;
}

/* The status a[] gives control id (the last one wins), or unanswered. */
static int
status_of(const char *id, const struct survey_answer *a, size_t n)
{
	int s = SURVEY_UNANSWERED;

	for (size_t i = 0; i < n; i++)
		if (a[i].control != NULL && strcmp(a[i].control, id) == 0 &&
		    a[i].status > 0 && a[i].status < SURVEY__COUNT)
			s = a[i].status;
	return s;
}

static void
score_add(struct survey_score *sc, int status)
{
	sc->items++;
	sc->count[status]++;
	if (status == SURVEY_NOT_APPLICABLE)
		return;
	sc->applicable++;
	sc->points += status == SURVEY_IMPLEMENTED ? 2 :
	    status == SURVEY_PARTIAL ? 1 : 0;
}

static void
score_end(struct survey_score *sc)
{
	sc->percent = sc->applicable == 0 ? -1 :
	    (sc->points * 100 + sc->applicable) / (2 * sc->applicable);
}

size_t
survey_scores(const char *edition, const struct survey_answer *a, size_t n,
    struct survey_score *out, size_t max)
{
	size_t w = 0;

	if (max == 0 || edition == NULL)
		return 0;
	memset(&out[0], 0, sizeof(out[0]));
	w = 1;
	for (size_t k = 0; vocab_control_category[k].id != NULL && w < max; k++) {
		struct survey_score *sc = &out[w];

		memset(sc, 0, sizeof(*sc));
		sc->category = vocab_control_category[k].id;
		for (size_t i = 0; i < vocab_controls_n; i++) {
			const struct vocab_control *c = &vocab_controls[i];
			int s;

			if (strcmp(c->edition, edition) != 0 ||
			    strcmp(c->category, sc->category) != 0)
				continue;
			s = status_of(c->id, a, n);
			score_add(sc, s);
			score_add(&out[0], s);
		}
		if (sc->items == 0)
			continue;
		score_end(sc);
		w++;
	}
	score_end(&out[0]);
	return w;
}

/* Smaller: closed first. */
static int
level_rank(int level)
{
	switch (level) {
	case VOCAB_CL_MANDATORY:	return 0;
	case VOCAB_CL_MIXED:		return 1;
	case VOCAB_CL_RECOMMENDED:	return 2;
	default:			return 3;
	}
}

static int
pdca_rank(int pdca)
{
	switch (pdca) {
	case VOCAB_PDCA_PLAN:	return 0;	/* 特定・予防 */
	case VOCAB_PDCA_DO:	return 1;	/* 検知・復旧 */
	default:		return 2;	/* 確認・課題抽出 / 是正 */
	}
}

static int
gap_size_rank(int status)
{
	switch (status) {
	case SURVEY_NOT_IMPLEMENTED:
	case SURVEY_UNANSWERED:		return 0;
	case SURVEY_PLANNED:		return 1;
	default:			return 2;	/* partial */
	}
}

static int
gap_cmp(const void *x, const void *y)
{
	const struct survey_gap *a = x, *b = y;
	int d;

	if ((d = level_rank(a->c->level) - level_rank(b->c->level)) != 0)
		return d;
	if ((d = pdca_rank(a->c->pdca) - pdca_rank(b->c->pdca)) != 0)
		return d;
	if ((d = gap_size_rank(a->status) - gap_size_rank(b->status)) != 0)
		return d;
	if ((d = b->c->n_mandatory - a->c->n_mandatory) != 0)
		return d;
	return a->c < b->c ? -1 : a->c > b->c;	/* catalogue order */
}

size_t
survey_gaps(const char *edition, const struct survey_answer *a, size_t n,
    struct survey_gap *out, size_t max)
{
	size_t w = 0;

	if (edition == NULL)
		return 0;
	for (size_t i = 0; i < vocab_controls_n && w < max; i++) {
		const struct vocab_control *c = &vocab_controls[i];
		int s;

		if (strcmp(c->edition, edition) != 0)
			continue;
		s = status_of(c->id, a, n);
		if (s == SURVEY_IMPLEMENTED || s == SURVEY_NOT_APPLICABLE)
			continue;
		out[w].c = c;
		out[w].status = s;
		w++;
	}
	qsort(out, w, sizeof(*out), gap_cmp);
	for (size_t i = 0; i < w; i++)
		out[i].rank = (int)i + 1;
	return w;
}

int
survey_bucket(int percent)
{
	if (percent < 0)
		return 0;
	if (percent >= 100)
		return SURVEY_BUCKETS - 1;
	return percent / 20;
}
