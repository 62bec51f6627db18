/*
 * cascade.c: the sectors an outage may spread to, over the sector
 * dependency graph (see analysis.h).  A breadth-first walk: every sector
 * is reached by its shortest chain of stated dependencies, so the reason
 * shown for it is the one nearest the outage.
 */
#include <string.h>

#include "analysis/analysis.h"

#define NSECTOR	32	/* above VOCAB_SECTOR_N: bits of a uint32_t */

size_t
analysis_cascade(const struct dep_edge *e, size_t ne, int from,
    struct cascade_hit *out, size_t max)
{
	struct cascade_hit node[NSECTOR];
	int queue[NSECTOR], head = 0, tail = 0;
	bool seen[NSECTOR];
	size_t n = 0;

	if (from < 0 || from >= NSECTOR)
		return 0;
	memset(seen, 0, sizeof(seen));
	seen[from] = true;
	node[from].sector = from;
	node[from].path[0] = from;
	node[from].npath = 1;
	node[from].via = NULL;
	queue[tail++] = from;
	while (head < tail) {
		int at = queue[head++];

		/* Edges in their order: the table's order breaks ties. */
		for (size_t i = 0; i < ne; i++) {
			struct cascade_hit *h;
			int to = e[i].to;

			if (e[i].from != at || to < 0 || to >= NSECTOR || seen[to] ||
			    node[at].npath >= CASCADE_MAX_PATH)
				continue;
			seen[to] = true;
			h = &node[to];
			*h = node[at];
			h->sector = to;
			h->path[h->npath++] = to;
			h->via = &e[i];
			queue[tail++] = to;
			if (n < max)
				out[n++] = *h;
		}
	}
	return n;
}
