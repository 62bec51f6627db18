/*
 * crypto.c: the cryptography behind structural anonymity, encryption at
 * rest of directory PII, tokens, passwords and the audit chain.  All of it
 * is libsodium.
 *
 * Key hierarchy: one 32-byte master key per deployment, kept in a file
 * beside the database (never in it).  crypto_kdf derives
 *   subkey 1  "atrest"  secretbox key for org names, logins, contacts and
 *                       for wrapping each CEPTOAR secretariat's secret key
 *   subkey 2  "lookup"  keyed hash of logins
 *   subkey 3  "anontag" keyed hash linking an anonymised report to its source
 * A database dump alone therefore reveals neither who filed an anonymised
 * report nor the directory's names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/core.h"

#define KDF_CTX "cishare1"

static unsigned char k_atrest[32], k_lookup[32], k_anontag[32], k_csrf[32];
static int keys_ready;

void
core_keys_init(const unsigned char master[CS_KEY_BYTES])
{
	if (sodium_init() < 0)
		fatalx("libsodium failed to initialise");
	crypto_kdf_derive_from_key(k_atrest, sizeof(k_atrest), 1, KDF_CTX, master);
	crypto_kdf_derive_from_key(k_lookup, sizeof(k_lookup), 2, KDF_CTX, master);
	crypto_kdf_derive_from_key(k_anontag, sizeof(k_anontag), 3, KDF_CTX, master);
	crypto_kdf_derive_from_key(k_csrf, sizeof(k_csrf), 4, KDF_CTX, master);
	keys_ready = 1;
}

int
core_keys_ready(void)
{
	return keys_ready;
}

void
core_anon_tag(int64_t report_id, int64_t org_id, unsigned char out[32])
{
	char msg[64];
	int n;

	n = snprintf(msg, sizeof(msg), "report:%lld:org:%lld",
	    (long long)report_id, (long long)org_id);
	crypto_generichash(out, 32, (unsigned char *)msg, (size_t)n,
	    k_anontag, sizeof(k_anontag));
}

void
core_login_hash(const char *login, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)login, strlen(login),
	    k_lookup, sizeof(k_lookup));
}

static char *
b64(const unsigned char *p, size_t n)
{
	size_t sz = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = xmalloc(sz);

	sodium_bin2base64(s, sz, p, n, sodium_base64_VARIANT_ORIGINAL);
	return s;
}

static unsigned char *
unb64(const char *s, size_t *n)
{
	size_t len = strlen(s), cap = len / 4 * 3 + 3;
	unsigned char *p = xmalloc(cap);

	if (sodium_base642bin(p, cap, s, len, NULL, n, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(p);
		return NULL;
	}
	return p;
}

static char *
secretbox_b64(const unsigned char *plain, size_t n)
{
	size_t total = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	unsigned char *buf = xmalloc(total);
	char *out;

	randombytes_buf(buf, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(buf + crypto_secretbox_NONCEBYTES, plain, n, buf,
	    k_atrest);
	out = b64(buf, total);
	sodium_memzero(buf, total);
	free(buf);
	return out;
}

static unsigned char *
secretbox_open_b64(const char *s, size_t *outn)
{
	size_t n;
	unsigned char *buf, *plain;

	if ((buf = unb64(s, &n)) == NULL)
		return NULL;
	if (n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
		free(buf);
		return NULL;
	}
	*outn = n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	plain = xmalloc(*outn + 1);
	if (crypto_secretbox_open_easy(plain, buf + crypto_secretbox_NONCEBYTES,
	    n - crypto_secretbox_NONCEBYTES, buf, k_atrest) != 0) {
		free(buf);
		free(plain);
		return NULL;
	}
	plain[*outn] = '\0';
	free(buf);
	return plain;
}

char *
core_seal_text(const char *plain)
{
	return secretbox_b64((const unsigned char *)plain, strlen(plain));
}

char *
core_open_text(const char *sealed)
{
	size_t n;

	if (sealed == NULL)
		return NULL;
	return (char *)secretbox_open_b64(sealed, &n);
}

void
core_org_keypair(unsigned char pk[32], char **wrapped_sk)
{
	unsigned char sk[crypto_box_SECRETKEYBYTES];

	crypto_box_keypair(pk, sk);
	*wrapped_sk = secretbox_b64(sk, sizeof(sk));
	sodium_memzero(sk, sizeof(sk));
}

char *
core_seal_to(const unsigned char pk[32], const char *plain)
{
	size_t n = strlen(plain), total = n + crypto_box_SEALBYTES;
	unsigned char *c = xmalloc(total);
	char *out;

	crypto_box_seal(c, (const unsigned char *)plain, n, pk);
	out = b64(c, total);
	free(c);
	return out;
}

char *
core_open_sealed(const unsigned char pk[32], const char *wrapped_sk,
    const char *sealed)
{
	unsigned char *sk = NULL, *c = NULL;
	char *plain = NULL;
	size_t skn, cn;

	if ((sk = secretbox_open_b64(wrapped_sk, &skn)) == NULL ||
	    skn != crypto_box_SECRETKEYBYTES)
		goto out;
	if ((c = unb64(sealed, &cn)) == NULL || cn < crypto_box_SEALBYTES)
		goto out;
	plain = xmalloc(cn - crypto_box_SEALBYTES + 1);
	if (crypto_box_seal_open((unsigned char *)plain, c, cn, pk, sk) != 0) {
		free(plain);
		plain = NULL;
		goto out;
	}
	plain[cn - crypto_box_SEALBYTES] = '\0';
out:
	if (sk != NULL) {
		sodium_memzero(sk, skn);
		free(sk);
	}
	free(c);
	return plain;
}

char *
core_token_new(int64_t id, unsigned char hash[32])
{
	unsigned char secret[32];
	char hex[65];

	randombytes_buf(secret, sizeof(secret));
	core_hex(secret, sizeof(secret), hex);
	crypto_generichash(hash, 32, (unsigned char *)hex, 64, NULL, 0);
	sodium_memzero(secret, sizeof(secret));
	return xasprintf("cst_%lld_%s", (long long)id, hex);
}

int
core_token_parse(const char *tok, int64_t *id, unsigned char hash[32])
{
	const char *p, *us;
	char num[24];
	size_t n;

	if (strncmp(tok, "cst_", 4) != 0)
		return -1;
	p = tok + 4;
	if ((us = strchr(p, '_')) == NULL || (n = (size_t)(us - p)) == 0 ||
	    n >= sizeof(num))
		return -1;
	memcpy(num, p, n);
	num[n] = '\0';
	if (cs_str_to_i64(num, 1, INT64_MAX, id) != CS_OK)
		return -1;
	if (strlen(us + 1) != 64 || strspn(us + 1, "0123456789abcdef") != 64)
		return -1;
	crypto_generichash(hash, 32, (const unsigned char *)us + 1, 64, NULL, 0);
	return 0;
}

int
core_hash_eq(const unsigned char a[32], const unsigned char b[32])
{
	return sodium_memcmp(a, b, 32) == 0;
}

void
core_csrf_token(const char *session_token, char out[33])
{
	unsigned char h[16];

	crypto_generichash(h, sizeof(h), (const unsigned char *)session_token,
	    strlen(session_token), k_csrf, sizeof(k_csrf));
	core_hex(h, sizeof(h), out);
}

int
core_str_eq_ct(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}

char *
core_password_hash(const char *pw)
{
	char out[crypto_pwhash_STRBYTES];

	/* INTERACTIVE limits: ~64 MiB, argon2id; the daemon caps login concurrency. */
	if (crypto_pwhash_str(out, pw, strlen(pw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return NULL;
	return xstrdup(out);
}

int
core_password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void
core_audit_hash(const unsigned char prev[32], const char *entry,
    unsigned char out[32])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, prev, 32);
	crypto_generichash_update(&st, (const unsigned char *)entry, strlen(entry));
	crypto_generichash_final(&st, out, 32);
}

void
core_hex(const unsigned char *p, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, p, n);
}

int
core_unhex(const char *s, unsigned char *out, size_t n)
{
	size_t got;

	if (strlen(s) != n * 2)
		return -1;
	if (sodium_hex2bin(out, n, s, n * 2, NULL, &got, NULL) != 0 || got != n)
		return -1;
	return 0;
}
