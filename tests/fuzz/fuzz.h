/*
 * fuzz.h: what every fuzz target shares: the libFuzzer entry point's
 * prototype, an invariant check that aborts (so both the gcc replay and
 * libFuzzer report it as a crash), the switch for known, reported defects,
 * and a once-only key installation for targets that touch crypto.
 *
 * Known defects: a target checks an invariant that src/ is known to break
 * (each one is reported, with a reproducer under tests/fuzz/known-bugs/)
 * only when CS_FUZZ_KNOWN_BUGS is set in the environment, so that corpus
 * replay stays green and libFuzzer keeps looking for new defects instead of
 * stopping at the same old one.  Remove the fuzz_known_bug() escape once
 * the defect is fixed, and move its reproducer into corpus/.
 */
#ifndef CS_FUZZ_H
#define CS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/core.h"

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

/*
 * Is a broken invariant explained by a known, reported defect?  Returns 1
 * (tolerate it) unless CS_FUZZ_KNOWN_BUGS is set, in which case the caller
 * goes on to abort.
 */
static inline int
fuzz_known_bug(const char *what)
{
	static int strict = -1;

	(void)what;
	if (strict < 0)
		strict = getenv("CS_FUZZ_KNOWN_BUGS") != NULL;
	return !strict;
}

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
