/*
 * exercise.h: the scenario file of a cross-sector exercise (API.md
 * "Cross-sector exercises"): the pure check of its shape, before the
 * service looks the participants up.
 */
#ifndef CS_CORE_EXERCISE_H
#define CS_CORE_EXERCISE_H

#include <jansson.h>

#include "core/core.h"

#define EXERCISE_INJECTS	200		/* injects in a scenario */
#define EXERCISE_PARTICIPANTS	1000
#define EXERCISE_MAX_AT_S	(30 * 86400)	/* an inject's time: 30 days */

/*
 * A scenario body {"name", "participants": [ids], "injects": [{"at_s",
 * "to": [org types], "title", "text"}]}: CS_OK, or CS_EINVAL naming the
 * first field at fault (name, participants, participants.N, injects,
 * injects.N, injects.N.<member>, injects.N.to.M).  Participants are only
 * checked to be positive integers here.
 */
enum cs_err	 core_exercise_check(json_t *body, struct cs_error *) CS_WUR;

#endif
