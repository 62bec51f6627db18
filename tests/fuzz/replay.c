/*
 * replay.c: a main() for fuzz targets built without libFuzzer (gcc, as in
 * jansson's standaloneengine.cc).  Feeds every file named on the command
 * line, or found directly inside a directory named there, to
 * LLVMFuzzerTestOneInput() once, in name order, and prints
 *	fuzz replay: <target> <N> inputs ok
 * This is what `make check` runs, under ASan+UBSan, over tests/fuzz/corpus.
 * A broken invariant or a sanitizer report ends the process abnormally,
 * after a last line naming the input that caused it.
 *
 * Built with -DCS_LIBFUZZER (clang -fsanitize=fuzzer) this file is empty:
 * libFuzzer brings its own main.
 */
#ifndef CS_LIBFUZZER

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

#if defined(__SANITIZE_ADDRESS__)
#define CS_HAVE_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CS_HAVE_SANITIZER 1
#endif
#endif
#ifdef CS_HAVE_SANITIZER
#include <sanitizer/common_interface_defs.h>
#endif

#define REPLAY_MAX_INPUT	(16 * 1024 * 1024)

static const char *volatile current;
static volatile sig_atomic_t reported;

/* Async-signal-safe: name the input that brought the process down. */
static void
report_current(void)
{
	const char *p = current;

	if (p == NULL || reported)
		return;
	reported = 1;
	(void)!write(2, "fuzz replay: crashed on input ", 30);
	(void)!write(2, p, strlen(p));
	(void)!write(2, "\n", 1);
}

static void
on_abort(int sig)
{
	report_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
run_file(const char *path)
{
	struct stat sb;
	uint8_t *buf;
	size_t got;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "fuzz replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &sb) != 0 || sb.st_size < 0 ||
	    sb.st_size > REPLAY_MAX_INPUT) {
		fprintf(stderr, "fuzz replay: %s: unreadable or larger than "
		    "%d bytes\n", path, REPLAY_MAX_INPUT);
		fclose(fp);
		return -1;
	}
	/* Exactly sized, so ASan catches a read one past the input. */
	buf = xmalloc((size_t)sb.st_size);
	got = fread(buf, 1, (size_t)sb.st_size, fp);
	if (ferror(fp) || got != (size_t)sb.st_size) {
		fprintf(stderr, "fuzz replay: %s: short read\n", path);
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	current = path;
	(void)LLVMFuzzerTestOneInput(buf, got);
	current = NULL;
	free(buf);
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs the regular, non-hidden files directly inside dir; count in *n. */
static int
run_dir(const char *dir, size_t *n)
{
	struct dirent *de;
	struct stat sb;
	char **names = NULL, *path;
	size_t cnt = 0, cap = 0;
	int rc = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "fuzz replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[cnt++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (cnt > 0)
		qsort(names, cnt, sizeof(*names), cmp_names);
	for (size_t i = 0; i < cnt; i++) {
		path = names[i];
		if (rc == 0 && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			if (run_file(path) != 0)
				rc = -1;
			else
				(*n)++;
		}
		free(path);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *target, *slash;
	struct stat sb;
	size_t n = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s corpus-dir-or-file ...\n", argv[0]);
		return 2;
	}
	target = (slash = strrchr(argv[0], '/')) != NULL ? slash + 1 : argv[0];
	if (strncmp(target, "fuzz_", 5) == 0)
		target += 5;
	signal(SIGABRT, on_abort);
#ifdef CS_HAVE_SANITIZER
	__sanitizer_set_death_callback(report_current);
#endif
	for (int i = 1; i < argc; i++) {
		if (stat(argv[i], &sb) != 0) {
			fprintf(stderr, "fuzz replay: %s: %s\n", argv[i],
			    strerror(errno));
			return 1;
		}
		if (S_ISDIR(sb.st_mode) ? run_dir(argv[i], &n) != 0 :
		    run_file(argv[i]) != 0)
			return 1;
		if (!S_ISDIR(sb.st_mode))
			n++;
	}
	if (n == 0) {
		fprintf(stderr, "fuzz replay: %s: no inputs found\n", target);
		return 1;
	}
	printf("fuzz replay: %s %zu inputs ok\n", target, n);
	return 0;
}

#else

/* libFuzzer supplies main(); keep the translation unit non-empty. */
typedef int cs_replay_unused;

#endif
