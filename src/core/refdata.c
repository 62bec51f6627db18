/*
 * refdata.c: lookup over the embedded data/ files.
 */
#include <string.h>

#include "core/refdata.h"

/* The file called name in a NULL-terminated list, or NULL. */
static const struct cs_embedded *
find_in(const struct cs_embedded *files, const char *name)
{
	for (const struct cs_embedded *f = files; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

const struct cs_embedded *
refdata_find(const char *name)
{
	return find_in(cs_embedded_files, name);
}

const struct cs_embedded *
refdata_web_find(const char *path)
{
	return find_in(cs_web_files, path);
}
