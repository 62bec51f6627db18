/*
 * config.c: the effective configuration, file < environment < flags.
 * The file holds "key = value" lines (url, token, cacert); the token is
 * wiped from memory when it is replaced or freed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

#define MAX_CONFIG_SIZE	(64 * 1024)

static void	config_set(char **, const char *);
static char	*trim(char *);

void
config_fini(struct config *cfg)
{
	free(cfg->url);
	if (cfg->token != NULL) {
		memset(cfg->token, 0, strlen(cfg->token));
		free(cfg->token);
	}
	free(cfg->cacert);
	memset(cfg, 0, sizeof(*cfg));
}

static void
config_set(char **slot, const char *value)
{
	if (*slot != NULL) {
		memset(*slot, 0, strlen(*slot));
		free(*slot);
	}
	*slot = xstrdup(value);
}

static char *
trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/*
 * Reads "key = value" lines (url, token, cacert) from path; '#' starts a
 * comment line, a value may be in double quotes.  A missing file is an
 * error only if it was named explicitly.  Returns 0 or -1 (printed).
 */
int
config_load_file(struct config *cfg, const char *path, int must_exist)
{
	struct stat st;
	FILE *f = NULL;
	char *line = NULL, *p, *key, *value, *eq;
	size_t cap = 0, n;
	ssize_t len;
	long lineno = 0;
	int rc = -1, has_token = 0;

	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT && !must_exist)
			rc = 0;
		else
			fprintf(stderr, "cishare: cannot open config %s: %s\n",
			    path, strerror(errno));
		goto out;
	}
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "cishare: config %s is not a regular file\n",
		    path);
		goto out;
	}
	if (st.st_size > MAX_CONFIG_SIZE) {
		fprintf(stderr, "cishare: config %s is larger than %d bytes\n",
		    path, MAX_CONFIG_SIZE);
		goto out;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (memchr(line, '\0', (size_t)len) != NULL) {
			fprintf(stderr, "cishare: %s:%ld: NUL byte\n", path,
			    lineno);
			goto out;
		}
		p = trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		if ((eq = strchr(p, '=')) == NULL) {
			fprintf(stderr, "cishare: %s:%ld: expected"
			    " \"key = value\"\n", path, lineno);
			goto out;
		}
		*eq = '\0';
		key = trim(p);
		value = trim(eq + 1);
		n = strlen(value);
		if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
			value[n - 1] = '\0';
			value++;
		}
		if (strcmp(key, "url") == 0)
			config_set(&cfg->url, value);
		else if (strcmp(key, "token") == 0) {
			config_set(&cfg->token, value);
			has_token = 1;
		} else if (strcmp(key, "cacert") == 0)
			config_set(&cfg->cacert, value);
		else
			fprintf(stderr, "cishare: %s:%ld: warning: unknown key"
			    " \"%s\" ignored\n", path, lineno, key);
	}
	if (ferror(f)) {
		fprintf(stderr, "cishare: cannot read config %s\n", path);
		goto out;
	}
	if (has_token && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		fprintf(stderr, "cishare: warning: %s holds a token but is"
		    " readable by others; chmod 600 it\n", path);
	rc = 0;
out:
	if (line != NULL) {
		memset(line, 0, cap);
		free(line);
	}
	if (f != NULL)
		fclose(f);
	return rc;
}

/* Builds the effective configuration: file < environment < flags. */
int
config_load(struct config *cfg, const struct args *a)
{
	const char *path, *v, *home;
	char *deflt = NULL;
	int rc = -1, must = 1;

	if ((path = args_get(a, "config")) == NULL &&
	    ((path = getenv("CISHARE_CONFIG")) == NULL || *path == '\0')) {
		must = 0;
		if ((v = getenv("XDG_CONFIG_HOME")) != NULL && *v == '/')
			deflt = xasprintf("%s/cishare/config", v);
		else if ((home = getenv("HOME")) != NULL && *home != '\0')
			deflt = xasprintf("%s/.config/cishare/config", home);
		path = deflt;
	}
	if (path != NULL && config_load_file(cfg, path, must) == -1)
		goto out;

	if ((v = getenv("CISHARE_URL")) != NULL && *v != '\0')
		config_set(&cfg->url, v);
	if ((v = getenv("CISHARE_TOKEN")) != NULL && *v != '\0')
		config_set(&cfg->token, v);
	if ((v = getenv("CISHARE_CACERT")) != NULL && *v != '\0')
		config_set(&cfg->cacert, v);

	if ((v = args_get(a, "url")) != NULL)
		config_set(&cfg->url, v);
	if ((v = args_get(a, "token")) != NULL)
		config_set(&cfg->token, v);
	if ((v = args_get(a, "cacert")) != NULL)
		config_set(&cfg->cacert, v);

	if (cfg->url == NULL)
		cfg->url = xstrdup(DEFAULT_URL);
	if (cfg->token != NULL && *cfg->token == '\0') {
		free(cfg->token);
		cfg->token = NULL;
	}
	rc = 0;
out:
	free(deflt);
	return rc;
}
