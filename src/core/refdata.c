/*
 * refdata.c: lookup over the embedded data/ files.
 */
#include <string.h>

#include "core/refdata.h"

const struct cs_embedded *
refdata_find(const char *name)
{
	for (const struct cs_embedded *f = cs_embedded_files; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

const struct cs_embedded *
refdata_web_find(const char *path)
{
	for (const struct cs_embedded *f = cs_web_files; f->name != NULL; f++)
		if (strcmp(f->name, path) == 0)
			return f;
	return NULL;
}
