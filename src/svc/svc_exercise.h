/*
 * svc_exercise: cross-sector exercises (API.md "Operating modes",
 * Exercises; 行動計画 IV 5.1 分野横断的演習): NISC writes a scenario of timed
 * injects addressed to actor types and runs its clock in real time or
 * faster (×1–×60); a participant reads the injects released to its
 * organisation's type and answers them (and logs issues, 課題); NISC sees
 * the facilitator view and the after-action report.  See svc.h.
 */
#ifndef CS_SVC_EXERCISE_H
#define CS_SVC_EXERCISE_H

#include "core/exercise.h"
#include "svc/svc.h"

#define SVC_EXERCISE_INJECTS	EXERCISE_INJECTS	/* core/exercise.h */

/* {"name", "participants": [org ids], "injects": [{"at_s", "to": [...], "title", "text"}]} */
enum cs_err	 svc_exercise_create(struct svc_ctx *, json_t *body, int64_t *id,
		    struct cs_error *) CS_WUR;
/* {"speed": 1..60}; 409 when it runs already. */
enum cs_err	 svc_exercise_start(struct svc_ctx *, int64_t id, json_t *body,
		    struct cs_error *) CS_WUR;
/* NISC: the facilitator view; a participant: its own view; else 404. */
enum cs_err	 svc_exercise_get(struct svc_ctx *, int64_t id, json_t **out,
		    struct cs_error *) CS_WUR;
enum cs_err	 svc_exercise_list(struct svc_ctx *, json_t **items,
		    struct cs_error *) CS_WUR;
/* The injects released so far to the caller's organisation type. */
enum cs_err	 svc_exercise_injects(struct svc_ctx *, int64_t id, json_t **out,
		    struct cs_error *) CS_WUR;
/*
 * Answer inject n (1-based) {"text"}: a participant, an inject released
 * to its type (404 otherwise; 409 before its release).  With n 0, log an
 * issue (課題).
 */
enum cs_err	 svc_exercise_note(struct svc_ctx *, int64_t id, int n,
		    json_t *body, int64_t *note, struct cs_error *) CS_WUR;
/* NISC: per participant its responses with delays, what it left open, its issues. */
enum cs_err	 svc_exercise_after_action(struct svc_ctx *, int64_t id,
		    json_t **out, struct cs_error *) CS_WUR;

#endif
