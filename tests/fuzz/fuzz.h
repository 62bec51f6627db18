/*
 * fuzz.h: what every fuzz target shares: the libFuzzer entry point's
 * prototype, an invariant check that aborts (so both the gcc replay and
 * libFuzzer report it as a crash), and a once-only key installation for
 * targets that touch crypto.  Every fixed defect's reproducer stays in
 * corpus/ so the replay in make check keeps it fixed.
 */
#ifndef CS_FUZZ_H
#define CS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with a message naming the broken invariant. */
#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz: invariant failed at %s:%d: "	\
		    "%s\n", __FILE__, __LINE__, #cond);			\
		fprintf(stderr, "fuzz: " __VA_ARGS__);			\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/* Install a fixed master key once per process. */
static inline void
fuzz_keys_init(void)
{
	static int done;
	unsigned char master[CS_KEY_BYTES];

	if (done)
		return;
	for (size_t i = 0; i < sizeof(master); i++)
		master[i] = (unsigned char)(0xa5 ^ i);
	core_keys_init(master);
	done = 1;
}

/* A NUL-terminated heap copy of the input (the parsers take C strings). */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
