/*
 * totp.c: the TOTP second factor (totp.h) over liboath.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oath.h>
#include <sodium.h>

#include "core/core.h"
#include "core/totp.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int oath_ok;

static void
init(void)
{
	oath_ok = oath_init() == OATH_OK;
}

static int
ready(void)
{
	(void)pthread_once(&once, init);
	return oath_ok;
}

void
core_totp_secret_new(char b32[CORE_TOTP_B32_LEN + 1])
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned char k[CORE_TOTP_SECRET_LEN];
	size_t o = 0;

	randombytes_buf(k, sizeof(k));
	/* 20 bytes are 160 bits: 32 base32 digits, no padding. */
	for (size_t i = 0; i < sizeof(k); i += 5) {
		uint64_t v = 0;

		for (size_t j = 0; j < 5; j++)
			v = v << 8 | k[i + j];
		for (int s = 35; s >= 0; s -= 5)
			b32[o++] = a[(v >> s) & 31];
	}
	b32[o] = '\0';
	sodium_memzero(k, sizeof(k));
}

int
core_totp_code(const unsigned char *key, size_t keylen, int64_t t, int digits,
    enum core_totp_alg alg, char *out)
{
	int flags = alg == CORE_TOTP_SHA256 ? OATH_TOTP_HMAC_SHA256 :
	    alg == CORE_TOTP_SHA512 ? OATH_TOTP_HMAC_SHA512 : 0;

	if (!ready() || key == NULL || keylen == 0 || t < 0 || digits < 6 ||
	    digits > 8)
		return -1;
	return oath_totp_generate2((const char *)key, keylen, (time_t)t,
	    CORE_TOTP_STEP_S, 0, (unsigned)digits, flags, out) == OATH_OK ? 0 : -1;
}

int
core_totp_is_code(const char *s)
{
	if (s == NULL || strlen(s) != CORE_TOTP_DIGITS)
		return 0;
	for (size_t i = 0; i < CORE_TOTP_DIGITS; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
core_totp_verify(const char *b32, const char *code, int64_t now_s,
    int64_t last_step, int64_t *step)
{
	char *key = NULL;
	size_t keylen = 0;
	int pos = 0, rc;

	*step = 0;
	if (!ready() || b32 == NULL || !core_totp_is_code(code) || now_s < 0)
		return -1;
	if (oath_base32_decode(b32, strlen(b32), &key, &keylen) != OATH_OK ||
	    keylen == 0) {
		free(key);
		return -1;
	}
	/* The position of the matching step in the window: -1, 0 or 1. */
	rc = oath_totp_validate2(key, keylen, (time_t)now_s, CORE_TOTP_STEP_S,
	    0, CORE_TOTP_WINDOW, &pos, code);
	sodium_memzero(key, keylen);
	free(key);
	if (rc < 0)
		return -1;
	*step = now_s / CORE_TOTP_STEP_S + pos;
	if (*step <= last_step)
		return -2;
	return 0;
}

void
core_totp_recovery_new(char out[CORE_TOTP_RECOVERY_LEN + 1])
{
	static const char a[] = "abcdefghijkmnpqrstuvwxyz23456789";

	for (size_t i = 0; i < CORE_TOTP_RECOVERY_LEN; i++)
		out[i] = i == 5 ? '-' : a[randombytes_uniform(sizeof(a) - 1)];
	out[CORE_TOTP_RECOVERY_LEN] = '\0';
}

int
core_totp_recovery_hash(const char *code, char hex[65])
{
	char norm[16], in[32];
	unsigned char h[32];
	size_t n = 0;

	hex[0] = '\0';
	if (code == NULL || strlen(code) > 32)
		return -1;
	for (const char *p = code; *p != '\0'; p++) {
		char ch = *p;

		if (ch == ' ' || ch == '-')
			continue;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) ||
		    n + 1 >= sizeof(norm))
			return -1;
		norm[n++] = ch;
	}
	norm[n] = '\0';
	if (n != CORE_TOTP_RECOVERY_LEN - 1)
		return -1;
	/* Keyed by the deployment's lookup key, like logins. */
	snprintf(in, sizeof(in), "totp-recovery:%s", norm);
	core_login_hash(in, h);
	sodium_bin2hex(hex, 65, h, sizeof(h));
	return 0;
}

/* Percent-encodes all but RFC 3986's unreserved characters; caller frees. */
static char *
pct(const char *v)
{
	static const char hx[] = "0123456789ABCDEF";
	char *s = xmalloc(strlen(v) * 3 + 1), *o = s;

	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~')
			*o++ = (char)*p;
		else {
			*o++ = '%';
			*o++ = hx[*p >> 4];
			*o++ = hx[*p & 15];
		}
	}
	*o = '\0';
	return s;
}

char *
core_totp_uri(const char *issuer, const char *login, const char *b32)
{
	char *i = pct(issuer), *l = pct(login), *u;

	u = xasprintf("otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1"
	    "&digits=%d&period=%d", i, l, b32, i, CORE_TOTP_DIGITS,
	    CORE_TOTP_STEP_S);
	free(i);
	free(l);
	return u;
}
