/*
 * exercise.c: the scenario file's shape (exercise.h).
 */
#include <string.h>

#include "core/exercise.h"

static enum cs_err
check_inject(json_t *v, size_t i, struct cs_error *e)
{
	json_t *at = json_object_get(v, "at_s"), *to, *t, *m;
	const char *key;
	char path[48];
	size_t j;
	enum cs_err rc;

	cs_fmt(path, sizeof(path), "injects.%zu", i);
	if (!json_is_object(v))
		return cs_fail(e, CS_EINVAL, path, "must be an object");
	json_object_foreach(v, key, m)
		if (strcmp(key, "at_s") && strcmp(key, "to") && strcmp(key, "title") &&
		    strcmp(key, "text")) {
			cs_fmt(path, sizeof(path), "injects.%zu.%.24s", i, key);
			return cs_fail(e, CS_EINVAL, path, "unknown field");
		}
	cs_fmt(path, sizeof(path), "injects.%zu.at_s", i);
	if (!json_is_integer(at) || json_integer_value(at) < 0 ||
	    json_integer_value(at) > EXERCISE_MAX_AT_S)
		return cs_fail(e, CS_EINVAL, path, "seconds from the start, 0 to "
		    "30 days");
	cs_fmt(path, sizeof(path), "injects.%zu.to", i);
	to = json_object_get(v, "to");
	if (!json_is_array(to) || json_array_size(to) == 0 ||
	    json_array_size(to) > ORG__COUNT)
		return cs_fail(e, CS_EINVAL, path, "the actor types it is "
		    "addressed to");
	json_array_foreach(to, j, t) {
		enum cs_org_type ot;

		cs_fmt(path, sizeof(path), "injects.%zu.to.%zu", i, j);
		if (!json_is_string(t) || core_org_type_parse(json_string_value(t),
		    &ot) != 0)
			return cs_fail(e, CS_EINVAL, path, "not an actor type");
	}
	cs_fmt(path, sizeof(path), "injects.%zu.title", i);
	if ((rc = core_check_string(json_object_get(v, "title"), CS_MAX_STRING,
	    path, e)) != CS_OK)
		return rc;
	cs_fmt(path, sizeof(path), "injects.%zu.text", i);
	return core_check_string(json_object_get(v, "text"), CS_MAX_TEXT, path, e);
}

enum cs_err
core_exercise_check(json_t *body, struct cs_error *e)
{
	json_t *parts = json_object_get(body, "participants");
	json_t *inj = json_object_get(body, "injects"), *v;
	char path[48];
	size_t i;
	enum cs_err rc;

	if (!json_is_object(body))
		return cs_fail(e, CS_EINVAL, "", "the body must be a JSON object");
	if ((rc = core_check_string(json_object_get(body, "name"), CS_MAX_STRING,
	    "name", e)) != CS_OK)
		return rc;
	if (json_string_length(json_object_get(body, "name")) == 0)
		return cs_fail(e, CS_EINVAL, "name", "required field is missing");
	if (!json_is_array(parts) || json_array_size(parts) == 0 ||
	    json_array_size(parts) > EXERCISE_PARTICIPANTS)
		return cs_fail(e, CS_EINVAL, "participants", "a list of organisation "
		    "ids");
	json_array_foreach(parts, i, v) {
		cs_fmt(path, sizeof(path), "participants.%zu", i);
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return cs_fail(e, CS_EINVAL, path, "no such organisation");
	}
	if (!json_is_array(inj) || json_array_size(inj) == 0 ||
	    json_array_size(inj) > EXERCISE_INJECTS)
		return cs_fail(e, CS_EINVAL, "injects", "1 to %d timed injects",
		    EXERCISE_INJECTS);
	json_array_foreach(inj, i, v)
		if ((rc = check_inject(v, i, e)) != CS_OK)
			return rc;
	return CS_OK;
}
