/*
 * refdata.h: the data/ files embedded in the binary at build time
 * (tools/embed.c), so `cishared init` needs nothing beside the binary.
 */
#ifndef CS_REFDATA_H
#define CS_REFDATA_H

#include <stddef.h>

struct cs_embedded {
	const char	*name;	/* file name, e.g. "sectors.json" */
	const char	*data;	/* NUL-terminated */
	size_t		 size;
};

extern const struct cs_embedded cs_embedded_files[];	/* data/ */
extern const struct cs_embedded cs_web_files[];		/* web/ */

/* Borrowed pointer to an embedded data/ file by name, or NULL. */
const struct cs_embedded *refdata_find(const char *name);
/* Borrowed pointer to an embedded web/ file by path ("app.js"), or NULL. */
const struct cs_embedded *refdata_web_find(const char *path);

#endif
