/*
 * attach.h: attachments (別紙) and samples on request (検体) — the pure
 * parts (API.md "Attachments (別紙) and samples (検体)"; issue 15 items
 * 1-2): the file name and media type a client sends, the
 * Content-Disposition of a download (RFC 6266 with RFC 8187 filename*),
 * the body of a sample request and of its answer, the streamed sealing of
 * an anonymised source's file, and who may attach, read and answer (the
 * policy functions live in policy.c beside the report policy).
 */
#ifndef CS_CORE_ATTACH_H
#define CS_CORE_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sodium.h>

#include "core/core.h"

#define CS_ATTACH_NAME_MAX	255	/* bytes of a file name (UTF-8) */
#define CS_ATTACH_TYPE_MAX	127	/* bytes of a media type */
#define CS_ATTACH_DEFAULT_MAX	(20 * 1024 * 1024)	/* --max-attachment */
/* Bytes of a file per stored chunk (sealed chunks carry 17 more). */
#define CS_ATTACH_CHUNK		(256 * 1024)
#define CS_ATTACH_SEAL_ABYTES	crypto_secretstream_xchacha20poly1305_ABYTES

/*
 * A file name as ?name= gives it: 1..CS_ATTACH_NAME_MAX bytes of valid
 * UTF-8, no control characters (C0, DEL, C1), no path separator ('/' or
 * '\'), not "." or "..", no leading or trailing space.  400 naming "name".
 */
enum cs_err	 core_attach_name_check(const char *name, struct cs_error *)
		    CS_WUR;
/*
 * The media type served for a file: the sender's Content-Type (its
 * parameters dropped, lower case) when it is one of a short list of
 * types that no browser renders as active content (text/plain, PDF,
 * images but SVG, archives, office documents, JSON, CSV, STIX,
 * octet-stream, pcap), else application/octet-stream.  Writes into
 * out[CS_ATTACH_TYPE_MAX + 1].
 */
void		 core_attach_content_type(const char *given, char *out,
		    size_t outsz);
/*
 * The Content-Disposition header of a download: attachment; an ASCII
 * fallback filename="..." (non-ASCII, quotes, backslashes and controls
 * as '_') and, when the name is not plain ASCII, filename*=UTF-8''<pct>
 * (RFC 6266, RFC 8187).  Heap string.
 */
char		*core_attach_disposition(const char *name);

/* A sample request as a client sends it (strings borrowed). */
struct cs_sample_in {
	const char	*what;		/* <= CS_MAX_STRING, one line */
	const char	*reason;	/* <= CS_MAX_TEXT, line breaks allowed */
};
/* {"what", "reason"} both required, non-empty, no controls: 400 naming the member. */
enum cs_err	 core_sample_check(json_t *body, struct cs_sample_in *,
		    struct cs_error *) CS_WUR;
/*
 * {"attachment": id} or {"decline": "reason"}, exactly one: *attachment
 * (0 when declined) or *decline.  400 naming the member.
 */
enum cs_err	 core_sample_answer_check(json_t *body, int64_t *attachment,
		    const char **decline, struct cs_error *) CS_WUR;

/* The states of a sample request (stored by value). */
enum cs_sample_state { SAMPLE_OPEN = 0, SAMPLE_ANSWERED, SAMPLE_DECLINED };
const char	*core_sample_state_id(enum cs_sample_state);

/*
 * Streamed sealing of a file (an anonymised source's attachment): a fresh
 * key per file, XChaCha20-Poly1305 secretstream over CS_ATTACH_CHUNK-byte
 * chunks (the last tagged final, so a cut file does not open), the key
 * and header sealed to the CEPTOAR secretariat's public key like the
 * source version (core_seal_to).
 */
struct cs_attach_seal {
	crypto_secretstream_xchacha20poly1305_state st;
};
/* Begins; returns the sealed key (heap text) to store beside the file. */
char		*core_attach_seal_begin(struct cs_attach_seal *,
		    const unsigned char pk[32]);
/* Seals n <= CS_ATTACH_CHUNK bytes into out[n + CS_ATTACH_SEAL_ABYTES]. */
void		 core_attach_seal_chunk(struct cs_attach_seal *, const void *in,
		    size_t n, bool last, unsigned char *out);
/* Opens the key with the secretariat's keys; -1 if it does not open. */
int		 core_attach_open_begin(struct cs_attach_seal *,
		    const unsigned char pk[32], const char *wrapped_sk,
		    const char *sealed_key);
/*
 * Opens one sealed chunk of n bytes into out[n - ABYTES]; *last when it
 * was the final one.  -1 if forged, cut or out of order.
 */
int		 core_attach_open_chunk(struct cs_attach_seal *, const void *in,
		    size_t n, unsigned char *out, bool *last);
void		 core_attach_seal_fini(struct cs_attach_seal *);

/* ---- the policy (policy.c) ------------------------------------------ */

/*
 * Where an attachment the principal adds to a report goes: the source's
 * hop (sealed when the report is anonymised) for the organisation that
 * filed it, the secretariat's hop (in clear) for the CEPTOAR secretariat
 * of an anonymised report.  CS_ENOENT when it may not read the report,
 * CS_EPERM when it reads but may not write.
 */
enum cs_err	 policy_report_may_attach(const struct cs_principal *,
		    const struct cs_report_acl *, enum cs_hop *hop,
		    struct cs_error *) CS_WUR;
/*
 * May the principal read an attachment of version `reached` stored at
 * `hop` (sealed or not)?  Exactly who reads that version as that hop
 * holds it: policy_report_version_visible and policy_report_hop_visible.
 */
bool		 policy_report_attachment_visible(const struct cs_principal *,
		    const struct cs_report_acl *, enum cs_state reached,
		    enum cs_hop hop, bool sealed);
/*
 * Who answers NISC's sample requests on a report: its source, or for an
 * anonymised report the secretariat that anonymised it (never its
 * source, whom NISC may not learn).
 */
bool		 policy_sample_may_answer(const struct cs_principal *,
		    const struct cs_report_acl *);
/*
 * Who sees a sample request: NISC and the ministry on the report's path
 * (the 手引書's 調整), and the answerer.
 */
bool		 policy_sample_may_read(const struct cs_principal *,
		    const struct cs_report_acl *);

#endif
