/*
 * fuzz_cli_config.c: the CLI's config file reader (config_load_file() in
 * src/cli/config.c), which reads ~/.config/cishare/config or the file
 * --config and $CISHARE_CONFIG name.
 *
 * The input is written to a file (mode 0600) and read back; the result is
 * compared with a reference reading of the same bytes written here from
 * the rules: lines end at LF; blanks (space, tab) are trimmed at both ends
 * and CR and LF at the end; empty and '#' lines are skipped; any other
 * line needs a '=' and gives "key = value", the value without one pair of
 * surrounding double quotes; url, token and cacert are kept, the last one
 * wins, other keys are ignored; a NUL byte, a line without '=' or a file
 * over 64 KiB is an error.  Links only the cli objects and util.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "cli/cli.h"

#define REF_MAX_SIZE	(64 * 1024)

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The [*from, *to) range of s trimmed as config.c's trim() does. */
static void
ref_trim(const char *s, size_t *from, size_t *to)
{
	while (*from < *to && is_blank(s[*from]))
		(*from)++;
	while (*to > *from && (is_blank(s[*to - 1]) || s[*to - 1] == '\n' ||
	    s[*to - 1] == '\r'))
		(*to)--;
}

static void
ref_set(char **slot, const char *s, size_t n)
{
	free(*slot);
	*slot = xstrndup(s, n);
}

/* 0 and the values, or -1 where config_load_file() must fail. */
static int
ref_read(const char *s, size_t size, struct config *out)
{
	size_t start = 0, end, a, b, eq, ka, kb, va, vb;

	memset(out, 0, sizeof(*out));
	if (size > REF_MAX_SIZE)
		return -1;
	while (start < size) {
		for (end = start; end < size && s[end] != '\n'; end++)
			;
		if (end < size)
			end++;		/* the line keeps its LF, as getline's */
		if (memchr(s + start, '\0', end - start) != NULL)
			return -1;
		a = start;
		b = end;
		start = end;
		ref_trim(s, &a, &b);
		if (a == b || s[a] == '#')
			continue;
		for (eq = a; eq < b && s[eq] != '='; eq++)
			;
		if (eq == b)
			return -1;
		ka = a;
		kb = eq;
		ref_trim(s, &ka, &kb);
		va = eq + 1;
		vb = b;
		ref_trim(s, &va, &vb);
		if (vb - va >= 2 && s[va] == '"' && s[vb - 1] == '"') {
			va++;
			vb--;
		}
		if (kb - ka == 3 && memcmp(s + ka, "url", 3) == 0)
			ref_set(&out->url, s + va, vb - va);
		else if (kb - ka == 5 && memcmp(s + ka, "token", 5) == 0)
			ref_set(&out->token, s + va, vb - va);
		else if (kb - ka == 6 && memcmp(s + ka, "cacert", 6) == 0)
			ref_set(&out->cacert, s + va, vb - va);
	}
	return 0;
}

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[] = "/tmp/fuzz_cli_config.XXXXXX";
	static int fd = -1;
	struct config got, want;
	char proc[64];
	int rc, ref, saved, null;

	if (size > 2 * REF_MAX_SIZE)
		return 0;
	if (fd == -1) {
		FUZZ_CHECK((fd = mkstemp(path)) != -1, "mkstemp failed");
		(void)unlink(path);	/* reopened through /proc below */
	}
	FUZZ_CHECK(ftruncate(fd, 0) == 0 && pwrite(fd, data, size, 0) ==
	    (ssize_t)size, "cannot write the input");
	cs_fmt(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	memset(&got, 0, sizeof(got));
	/* Its warnings and errors are expected: keep them off the log. */
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	null = open("/dev/null", O_WRONLY);
	if (saved != -1 && null != -1)
		(void)dup2(null, STDERR_FILENO);
	rc = config_load_file(&got, proc, 1);
	fflush(stderr);
	if (saved != -1 && null != -1)
		(void)dup2(saved, STDERR_FILENO);
	if (null != -1)
		close(null);
	if (saved != -1)
		close(saved);
	ref = ref_read((const char *)data, size, &want);
	FUZZ_CHECK(rc == ref, "config_load_file: %d, the rules: %d", rc, ref);
	if (rc == 0) {
		FUZZ_CHECK(same(got.url, want.url), "url \"%s\", want \"%s\"",
		    got.url ? got.url : "(none)",
		    want.url ? want.url : "(none)");
		FUZZ_CHECK(same(got.token, want.token), "token differs");
		FUZZ_CHECK(same(got.cacert, want.cacert), "cacert \"%s\", "
		    "want \"%s\"", got.cacert ? got.cacert : "(none)",
		    want.cacert ? want.cacert : "(none)");
	}
	config_fini(&got);
	config_fini(&want);
	return 0;
}
