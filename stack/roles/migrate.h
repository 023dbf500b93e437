/* stack/roles/migrate.h: the TCP Migrate shim's parts that do no I/O
 * (migrate-proto.c): keys and K, the options added to and taken from the
 * kernel's handshake, the judgement of a migrate SYN.  The role itself
 * (NFQUEUE, nftables, netlink, sock_diag) is migrate.c.  Unit test:
 * t/stack/migrate-unit.t.c. */
#ifndef MOBD_MIGRATE_H
#define MOBD_MIGRATE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "wire/codepoints.h"
#include "wire/tcpopt.h"

/* Curve IDs (the draft names none; mobkit's codepoint, doc/codepoints.md):
 * 0 insecure, 1 sect193r1 (SECG, 193-bit binary field: x is 25 octets,
 * the draft's 200 bits, left-padded) */
#define MIG_CURVE_NONE 0
#define MIG_CURVE_SECT193R1 1
#define MIG_KEYLEN MK_TCP_MIGRATE_KEYLEN

/* an ECDH key of ours: the private key (an EVP_PKEY) and its x */
struct mig_key {
	void *pkey;
	uint8_t pub[MIG_KEYLEN];
};
/* 0, or -1 (OpenSSL refused) */
int mig_key_new(unsigned curve, struct mig_key *k);
void mig_key_free(struct mig_key *k);
/* K from our key and the peer's x-only public key (x(k*P) = x(k*(-P)): the
 * point is rebuilt compressed with either y); 0, or -1 when the peer's x
 * is no point of the curve */
int mig_derive(const struct mig_key *ours, const uint8_t peer[MIG_KEYLEN], uint8_t k[MIG_KEYLEN]);

/* The kernel's SYN or SYN/ACK options with Migrate-Permitted added
 * (curve, keydata from pub when secure) in out[]: when secure, the
 * Timestamps option's TSval/TSecr become the key's low 8 octets (*ts_saved
 * gets the kernel's TSval; -1 if there is no Timestamps option: the secure
 * variant cannot be sent).  What does not fit in 40 octets is dropped,
 * SACK-Permitted first, then Window Scale (each one said in *dropped, a
 * bit per MK_TCPOPT_* type); -1 if it still does not fit.  Returns the
 * count. */
int mig_opts_add(const struct mk_codepoints *cp, const struct mk_tcpopts *in, unsigned curve,
		 const uint8_t pub[MIG_KEYLEN], struct mk_tcpopt *out, uint32_t *ts_saved,
		 unsigned *dropped);
/* The options of a peer's SYN or SYN/ACK with Migrate-Permitted taken
 * out (its curve in *curve, -1 if none; its public key joined from
 * KeyData and the Timestamps option in peer[] when secure), and, when
 * secure, TSval set to 0 (PAWS ignores a zero ts_recent) and TSecr to
 * tsecr.  Returns the count. */
int mig_opts_take(const struct mk_tcpopts *in, uint32_t tsecr, struct mk_tcpopt *out, int *curve,
		  uint8_t peer[MIG_KEYLEN]);

/* why a migrate SYN is refused (counted per reason; all answered RST) */
enum mig_refuse {
	MIG_OK,
	MIG_R_MALFORMED,      /* not a lone Migrate option on a SYN */
	MIG_R_UNKNOWN_TOKEN,  /* no connection has the token */
	MIG_R_NOT_NEGOTIATED, /* the token names a connection that did not negotiate */
	MIG_R_STATE,          /* not ESTABLISHED (or FIN-WAIT) */
	MIG_R_OLD_REQNO,      /* ReqNo not newer than the last accepted */
	MIG_R_BAD_REQUEST,    /* Request does not verify */
	MIG_R_PRELOAD,        /* P=1 (preload), its Request verifying: not done */
	MIG_R__COUNT
};
const char *mig_refuse_name(enum mig_refuse r);

/* what the judgement needs of a connection */
struct mig_judged {
	bool negotiated, established;
	uint32_t ni, na;
	uint8_t k[MIG_KEYLEN];
	uint8_t reqno;       /* last accepted */
};
/* The draft's checks (3.3-3.4) on a migrate SYN whose token found c (NULL:
 * none), in its order: token, negotiated, state, ReqNo, Request; then the
 * preload flag.  P=1 (protocol-facts 5, handshake 6) is for a third host
 * that takes the connection over with state preloaded: the receiver must
 * flush its out-of-order data and SACK state and take the SYN/ACK's seq as
 * the last acknowledged.  The shim cannot flush the kernel's out-of-order
 * queue or SACK scoreboard from outside the socket, and its connections
 * are never handed to a third host, so an authenticated P=1 migrate SYN is
 * refused (RST, the connection untouched, refused_preload), never
 * accepted as if P were 0. */
enum mig_refuse mig_judge(const struct mig_judged *c, const struct mk_tcp *syn);
/* A migrate SYN that mig_judge refuses as old_reqno may repeat the
 * migration last accepted, its SYN/ACK lost (draft 3.3: a ReqNo not larger
 * is a duplicate): true when the connection has migrated, the SYN carries
 * the last accepted ReqNo, comes from where the peer now is (from_peer_now:
 * its source address and port as on the wire) and its Request verifies.
 * Such a SYN is answered again with the same SYN/ACK, not RST. */
bool mig_is_dup(const struct mig_judged *c, const struct mk_tcp *syn, bool migrated,
		bool from_peer_now);

#endif
