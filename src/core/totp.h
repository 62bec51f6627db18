/*
 * totp.h: the TOTP second factor (RFC 6238) over liboath: 6 digits, 30 s
 * steps, HMAC-SHA1 (what authenticator apps read from an otpauth:// URI),
 * a window of one step either side; each step is accepted once (the
 * caller keeps the last accepted step).  Recovery codes: 10 random
 * one-time codes, kept as keyed hashes.
 */
#ifndef CS_CORE_TOTP_H
#define CS_CORE_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define CORE_TOTP_STEP_S	30
#define CORE_TOTP_DIGITS	6
#define CORE_TOTP_WINDOW	1
#define CORE_TOTP_SECRET_LEN	20	/* bytes: 160 bits, RFC 4226 4 R6 */
#define CORE_TOTP_B32_LEN	32	/* its base32 text, no padding */
#define CORE_TOTP_RECOVERY_N	10
#define CORE_TOTP_RECOVERY_LEN	11	/* "xxxxx-xxxxx" */

enum core_totp_alg { CORE_TOTP_SHA1 = 0, CORE_TOTP_SHA256, CORE_TOTP_SHA512 };

/* A new random secret as base32 (CORE_TOTP_B32_LEN chars + NUL). */
void	 core_totp_secret_new(char b32[CORE_TOTP_B32_LEN + 1]);
/*
 * The code for time t (seconds since the epoch) from a raw key: digits
 * 6..8, out at least digits + 1 bytes.  0, or -1 on a bad argument.
 */
int	 core_totp_code(const unsigned char *key, size_t keylen, int64_t t,
	    int digits, enum core_totp_alg, char *out);
/*
 * Is `code` (exactly 6 ASCII digits) the code of the base32 secret for a
 * step within CORE_TOTP_WINDOW of now's, later than last_step?  0 and
 * *step the step it matched; -1 not a valid code (wrong, malformed, or
 * outside the window); -2 a valid code of a step already used (replay).
 */
int	 core_totp_verify(const char *b32, const char *code, int64_t now_s,
	    int64_t last_step, int64_t *step);
/* Is s shaped like a TOTP code (6 ASCII digits)? */
int	 core_totp_is_code(const char *s);
/* A new recovery code "xxxxx-xxxxx" (lower-case base32 letters and digits). */
void	 core_totp_recovery_new(char out[CORE_TOTP_RECOVERY_LEN + 1]);
/*
 * The hex keyed hash (64 chars + NUL) of a recovery code, after lower-
 * casing and dropping spaces and hyphens; -1 when it is not one's shape.
 */
int	 core_totp_recovery_hash(const char *code, char hex[65]);
/* otpauth://totp/ISSUER:LOGIN?secret=...&issuer=...; caller frees. */
char	*core_totp_uri(const char *issuer, const char *login, const char *b32);

#endif
