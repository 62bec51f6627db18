/*
 * cmd-attach.c: attachments (別紙) and sample requests (検体) —
 * cishare attach report|advisory, attachment get, sample request, list,
 * answer, decline.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <sodium.h>

#include "cli/cli.h"

/* The last path component of a file name (the name sent with ?name=). */
static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* A media type from the file's extension (the server keeps only safe ones). */
static const char *
guess_type(const char *name)
{
	static const struct { const char *ext, *type; } t[] = {
		{ ".txt", "text/plain" }, { ".log", "text/plain" },
		{ ".csv", "text/csv" }, { ".pdf", "application/pdf" },
		{ ".json", "application/json" }, { ".zip", "application/zip" },
		{ ".gz", "application/gzip" }, { ".png", "image/png" },
		{ ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" },
		{ ".pcap", "application/vnd.tcpdump.pcap" },
		{ ".eml", "message/rfc822" },
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot != NULL && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcasecmp(dot, t[i].ext) == 0)
			return t[i].type;
	return "application/octet-stream";
}

/* attach report|advisory ID FILE [--version K] */
int
cmd_attach(struct cmd_ctx *ctx)
{
	const bool adv = strcmp(ctx->entry->sub, "advisory") == 0;
	const char *file = ctx->args->pos[1], *ver = args_get(ctx->args,
	    "attach-version") ? args_get(ctx->args, "attach-version") :
	    args_get(ctx->args, "version");
	struct client_error e;
	struct cs_buf q;
	struct stat sb;
	json_t *res = NULL;
	char *path = NULL, *ids;
	FILE *f;
	int rc = EXIT_FAIL;

	if (id_path(ctx, adv ? "advisory id" : "report id", ctx->args->pos[0],
	    adv ? "/advisories/" : "/reports/", "/attachments", &path) == -1)
		return EXIT_USAGE;
	if ((f = fopen(file, "rb")) == NULL || fstat(fileno(f), &sb) != 0 ||
	    !S_ISREG(sb.st_mode)) {
		fprintf(stderr, "cishare: cannot read %s\n", file);
		if (f != NULL)
			fclose(f);
		free(path);
		return EXIT_FAIL;
	}
	cs_buf_init(&q, 8192);
	cs_buf_adds(&q, path);
	(void)client_query_add(ctx->client, &q, "name", base_name(file));
	(void)client_query_add(ctx->client, &q, "version", adv ? NULL : ver);
	free(path);
	if ((ids = cs_buf_finish(&q)) == NULL) {
		fclose(f);
		fprintf(stderr, "cishare: the file name is too long\n");
		return EXIT_USAGE;
	}
	if (client_upload(ctx->client, ids, guess_type(base_name(file)), f,
	    (long long)sb.st_size, &res, &e) == CLIENT_OK) {
		print_result(ctx, res, "{id}\tsha256 {sha256}\t{size} bytes\t{name}");
		rc = 0;
	} else
		rc = report_error(ctx, &e);
	json_decref(res);
	free(ids);
	fclose(f);
	return rc;
}

/* attachment get ID [-o FILE]: the bytes, their SHA-256 checked. */
int
cmd_attachment_get(struct cmd_ctx *ctx)
{
	const char *outp = args_get(ctx->args, "output");
	unsigned char want[32], got[32], buf[65536];
	char digest[128], *path = NULL, *tmp = NULL;
	struct client_error e;
	crypto_hash_sha256_state h;
	size_t n, bl;
	FILE *f;
	int rc = EXIT_FAIL;

	if (id_path(ctx, "attachment id", ctx->args->pos[0], "/attachments/",
	    "", &path) == -1)
		return EXIT_USAGE;
	/* Into a temporary file first: nothing is left unless it verifies. */
	if ((f = tmpfile()) == NULL) {
		fprintf(stderr, "cishare: cannot create a temporary file\n");
		free(path);
		return EXIT_FAIL;
	}
	if (client_download_hdr(ctx->client, path, f, "Repr-Digest", digest,
	    sizeof(digest), &e) != CLIENT_OK) {
		rc = report_error(ctx, &e);
		goto out;
	}
	rewind(f);
	crypto_hash_sha256_init(&h);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		crypto_hash_sha256_update(&h, buf, n);
	crypto_hash_sha256_final(&h, got);
	if (strncmp(digest, "sha-256=:", 9) != 0 || (tmp = strchr(digest + 9,
	    ':')) == NULL) {
		fprintf(stderr, "cishare: the server sent no SHA-256\n");
		goto out;
	}
	*tmp = '\0';
	if (sodium_base642bin(want, sizeof(want), digest + 9, strlen(digest + 9),
	    NULL, &bl, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 || bl != 32 ||
	    memcmp(want, got, 32) != 0) {
		fprintf(stderr, "cishare: SHA-256 mismatch: the download is "
		    "damaged; nothing written\n");
		goto out;
	}
	rewind(f);
	{
		FILE *o = outp != NULL && strcmp(outp, "-") != 0 ?
		    fopen(outp, "wb") : stdout;
		bool ok = o != NULL;

		while (ok && (n = fread(buf, 1, sizeof(buf), f)) > 0)
			ok = fwrite(buf, 1, n, o) == n;
		if (o != NULL && o != stdout && fclose(o) != 0)
			ok = false;
		if (!ok) {
			fprintf(stderr, "cishare: cannot write %s\n", outp);
			goto out;
		}
	}
	if (outp != NULL && strcmp(outp, "-") != 0) {
		char hex[65];

		for (int i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", got[i]);
		printf("%s: sha256 %s verified\n", outp, hex);
	}
	rc = 0;
out:
	fclose(f);
	free(path);
	return rc;
}

/* sample request REPORT --what TEXT --reason TEXT (NISC) */
int
cmd_sample_request(struct cmd_ctx *ctx)
{
	json_t *body;
	char *path;
	int rc;

	if (id_path(ctx, "report id", ctx->args->pos[0], "/reports/",
	    "/sample-requests", &path) == -1)
		return EXIT_USAGE;
	body = json_pack("{s:s, s:s}", "what", args_get(ctx->args, "what"),
	    "reason", args_get(ctx->args, "reason"));
	rc = send_json(ctx, "POST", path, body, "{id}\tsample request", NULL,
	    NULL);
	json_decref(body);
	free(path);
	return rc;
}

static int
answer(struct cmd_ctx *ctx, json_t *body)
{
	char *path;
	int rc;

	if (id_path(ctx, "sample request id", ctx->args->pos[0],
	    "/sample-requests/", "/answer", &path) == -1) {
		json_decref(body);
		return EXIT_USAGE;
	}
	rc = send_json(ctx, "POST", path, body, "{id}\t{state}", NULL, NULL);
	json_decref(body);
	free(path);
	return rc;
}

/* sample answer ID ATTACHMENT */
int
cmd_sample_answer(struct cmd_ctx *ctx)
{
	json_int_t att;

	if (parse_id(ctx->entry, "attachment id", ctx->args->pos[1], &att) == -1)
		return EXIT_USAGE;
	return answer(ctx, json_pack("{s:I}", "attachment", att));
}

/* sample decline ID REASON */
int
cmd_sample_decline(struct cmd_ctx *ctx)
{
	return answer(ctx, json_pack("{s:s}", "decline", ctx->args->pos[1]));
}
