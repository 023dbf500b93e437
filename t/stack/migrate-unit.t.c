/* t/stack/migrate-unit.t.c: the TCP Migrate shim's parts without I/O
 * (stack/roles/migrate-proto.c): ECDH on sect193r1 gives both ends the
 * same K and token; Migrate-Permitted added to a SYN as Linux sends it
 * (what is dropped to fit, the key in the Timestamps option, the kernel's
 * TSval kept) and taken back out of it after a trip through the wire codec;
 * the refusal table of a migrate SYN (P=1 refused as preload), and which resent migrate SYN is a
 * duplicate of the migration accepted (answered again, not RST). */
#include <string.h>

#include "stack/roles/migrate.h"
#include "t/lib/tap.h"

/* the options of a Linux SYN: MSS, SACK-Permitted, Timestamps, NOP, WScale */
static void linux_syn(struct mk_tcpopts *o, uint32_t tsval)
{
	memset(o, 0, sizeof *o);
	o->n = 4;
	o->o[0].type = MK_TCPOPT_MSS;
	o->o[0].u.mss = 1428;
	o->o[1].type = MK_TCPOPT_SACKP;
	o->o[2].type = MK_TCPOPT_TS;
	o->o[2].u.ts.val = tsval;
	o->o[3].type = MK_TCPOPT_WS;
	o->o[3].u.ws = 10;
}

static int has(const struct mk_tcpopt *o, int n, enum mk_tcpopt_type t)
{
	for (int i = 0; i < n; i++)
		if (o[i].type == t)
			return i;
	return -1;
}

/* a migrate SYN as the mobile host sends it */
static void migsyn(struct mk_tcp *s, uint32_t seq, uint8_t reqno, uint64_t token, uint64_t request)
{
	memset(s, 0, sizeof *s);
	s->sport = 40000;
	s->dport = 5001;
	s->seq = seq;
	s->flags = MK_TCP_SYN;
	s->opts.n = 1;
	s->opts.o[0].type = MK_TCPOPT_MIGRATE;
	s->opts.o[0].u.migrate.reqno = reqno;
	s->opts.o[0].u.migrate.token = token;
	s->opts.o[0].u.migrate.request = request;
}

int main(void)
{
	struct mig_key a, b;
	uint8_t ka[MIG_KEYLEN], kb[MIG_KEYLEN], zero[MIG_KEYLEN] = { 0 };
	tap_plan(36);

	/* ---- keys ---- */
	int ra = mig_key_new(MIG_CURVE_SECT193R1, &a), rb = mig_key_new(MIG_CURVE_SECT193R1, &b);
	tap_ok(ra == 0 && rb == 0, "two sect193r1 keys made (x-only public keys of 25 octets)");
	tap_ok(memcmp(a.pub, b.pub, MIG_KEYLEN) != 0, "the two public keys differ");
	tap_ok(mig_derive(&a, b.pub, ka) == 0 && mig_derive(&b, a.pub, kb) == 0,
	       "both ends derive K from the other's x alone");
	tap_is_mem(ka, kb, MIG_KEYLEN, "both ends derive the same K");
	tap_ok(memcmp(ka, zero, MIG_KEYLEN) != 0, "K is not all zeros (the insecure K)");
	tap_ok(ka[0] <= 1, "K is the 193-bit x left-padded to 200 bits: the top 7 bits are 0");
	uint64_t ta, tb, t0;
	mk_tcp_migrate_token(0x11111111, 0x22222222, ka, &ta);
	mk_tcp_migrate_token(0x11111111, 0x22222222, kb, &tb);
	mk_tcp_migrate_token(0x11111111, 0x22222222, NULL, &t0);
	tap_ok(ta == tb && ta != t0, "the same token at both ends, not the insecure one");
	uint8_t pub2[MIG_KEYLEN];
	memcpy(pub2, b.pub, MIG_KEYLEN);
	pub2[MIG_KEYLEN - 1] ^= 1;
	uint8_t kx[MIG_KEYLEN];
	tap_ok(mig_derive(&a, pub2, kx) != 0 || memcmp(kx, ka, MIG_KEYLEN) != 0,
	       "a public key changed in one bit gives another K or none");
	mig_key_free(&b);
	tap_ok(mig_key_new(7, &b) != 0 || (mig_key_free(&b), 0), "an unknown Curve ID makes no key");

	/* ---- options ---- */
	struct mk_tcpopts syn;
	struct mk_tcpopt o[MK_TCPOPT_MAX];
	uint32_t saved = 0;
	unsigned dropped;
	size_t packed;
	linux_syn(&syn, 0xabcdef01);
	int n = mig_opts_add(NULL, &syn, MIG_CURVE_SECT193R1, a.pub, o, &saved, &dropped);
	packed = 99;
	int fits = n > 0 && mk_tcpopts_space(NULL, o, (size_t)n, &packed, NULL).err == MK_E_OK;
	tap_ok(fits && packed == 39, "secure, RFC 6994 form: the SYN's options fit in 40 octets (%zu)", packed);
	tap_ok(dropped == (1u << MK_TCPOPT_SACKP) && has(o, n, MK_TCPOPT_SACKP) < 0 &&
		       has(o, n, MK_TCPOPT_WS) >= 0,
	       "MSS+WS+SACKP+TS+MigPerm(22) = 41: SACK-Permitted dropped, Window Scale kept");
	tap_is_int(saved, 0xabcdef01, "the kernel's TSval kept for the way back");
	int ts = has(o, n, MK_TCPOPT_TS), mp = has(o, n, MK_TCPOPT_MIGPERM);
	uint8_t joined[MIG_KEYLEN];
	if (ts >= 0 && mp >= 0)
		mk_tcp_migperm_join(o[mp].u.migperm.key, o[ts].u.ts.val, o[ts].u.ts.ecr, joined);
	tap_ok(ts >= 0 && mp >= 0 && !memcmp(joined, a.pub, MIG_KEYLEN),
	       "the key: 17 octets in Migrate-Permitted, 8 in TSval/TSecr");

	struct mk_codepoints paper;
	mk_cp_profile(&paper, "paper");
	n = mig_opts_add(&paper, &syn, MIG_CURVE_SECT193R1, a.pub, o, &saved, &dropped);
	tap_ok(n > 0 && dropped == 0 && mk_tcpopts_space(&paper, o, (size_t)n, &packed, NULL).err == MK_E_OK &&
		       packed == 39,
	       "secure, the draft's raw form: 39 octets, nothing dropped");
	n = mig_opts_add(NULL, &syn, MIG_CURVE_NONE, a.pub, o, &saved, &dropped);
	ts = has(o, n, MK_TCPOPT_TS);
	tap_ok(n == 5 && dropped == 0 && ts >= 0 && o[ts].u.ts.val == 0xabcdef01,
	       "insecure: Migrate-Permitted Len 5 added, nothing dropped, the timestamps untouched");
	struct mk_tcpopts nots = syn;
	nots.o[2] = nots.o[3];
	nots.n = 3;
	tap_is_int(mig_opts_add(NULL, &nots, MIG_CURVE_SECT193R1, a.pub, o, &saved, &dropped), -1,
		   "secure without a Timestamps option: refused (the key has nowhere to go)");

	/* through the wire and back: the peer's side */
	n = mig_opts_add(NULL, &syn, MIG_CURVE_SECT193R1, a.pub, o, &saved, &dropped);
	struct mk_tcp seg = { .sport = 1, .dport = 2, .seq = 3, .flags = MK_TCP_SYN, .window = 100 };
	memcpy(seg.opts.o, o, (size_t)n * sizeof o[0]);
	seg.opts.n = (size_t)n;
	uint8_t buf[128];
	size_t len = 0;
	struct mk_tcp back;
	int built = mk_tcp_build(buf, sizeof buf, NULL, &seg, &len).err == MK_E_OK &&
		    mk_tcp_parse(buf, len, NULL, &back).err == MK_E_OK;
	tap_ok(built, "the SYN with Migrate-Permitted builds and parses (%zu octets)", len);
	uint8_t peer[MIG_KEYLEN] = { 0 };
	int curve = -9;
	n = mig_opts_take(&back.opts, 0x5555, o, &curve, peer);
	ts = has(o, n, MK_TCPOPT_TS);
	tap_ok(curve == MIG_CURVE_SECT193R1 && !memcmp(peer, a.pub, MIG_KEYLEN),
	       "taken out at the peer: curve 1 and the whole public key");
	tap_ok(has(o, n, MK_TCPOPT_MIGPERM) < 0 && ts >= 0 && o[ts].u.ts.val == 0 && o[ts].u.ts.ecr == 0x5555,
	       "the kernel sees no Migrate-Permitted, TSval 0 (PAWS ignores it), TSecr its own");
	linux_syn(&syn, 77);
	n = mig_opts_take(&syn, 0x5555, o, &curve, peer);
	ts = has(o, n, MK_TCPOPT_TS);
	tap_ok(curve == -1 && o[ts].u.ts.val == 77, "no Migrate-Permitted: curve -1, nothing changed");

	/* ---- the refusal table ---- */
	struct mig_judged c = { .negotiated = true, .established = true, .ni = 1000, .na = 2000, .reqno = 3 };
	memcpy(c.k, ka, MIG_KEYLEN);
	uint64_t tok, req;
	mk_tcp_migrate_token(c.ni, c.na, c.k, &tok);
	mk_tcp_migrate_request(c.ni, c.na, c.k, 5000, 4, &req);
	struct mk_tcp s;
	migsyn(&s, 5000, 4, tok, req);
	tap_is_int(mig_judge(&c, &s), MIG_OK, "a right migrate SYN (ReqNo 4 after 3) is accepted");
	tap_is_int(mig_judge(NULL, &s), MIG_R_UNKNOWN_TOKEN, "no connection with the token: unknown_token");
	c.negotiated = false;
	tap_is_int(mig_judge(&c, &s), MIG_R_NOT_NEGOTIATED, "a connection that did not negotiate: not_negotiated");
	c.negotiated = true;
	c.established = false;
	tap_is_int(mig_judge(&c, &s), MIG_R_STATE, "a connection not established: state");
	c.established = true;
	c.reqno = 4;
	tap_is_int(mig_judge(&c, &s), MIG_R_OLD_REQNO, "ReqNo not newer (replayed): old_reqno");
	c.reqno = 3;
	migsyn(&s, 5001, 4, tok, req);
	tap_is_int(mig_judge(&c, &s), MIG_R_BAD_REQUEST, "the Request of another sequence number: bad_request");
	migsyn(&s, 5000, 4, tok, req);
	s.opts.n = 2;
	s.opts.o[1].type = MK_TCPOPT_MSS;
	s.opts.o[1].u.mss = 1000;
	tap_is_int(mig_judge(&c, &s), MIG_R_MALFORMED, "another option beside Migrate: malformed");
	migsyn(&s, 5000, 4, tok, req);
	s.opts.o[0].u.migrate.preload = true;
	tap_is_int(mig_judge(&c, &s), MIG_R_PRELOAD,
		   "P=1 (preload) with a Request that verifies: preload (refused, not taken as P=0)");
	migsyn(&s, 5001, 4, tok, req);
	s.opts.o[0].u.migrate.preload = true;
	tap_is_int(mig_judge(&c, &s), MIG_R_BAD_REQUEST, "P=1 with a Request that does not verify: bad_request first");
	tap_is_str(mig_refuse_name(MIG_R_PRELOAD), "preload", "its counter's name: refused_preload");

	/* ---- a resent migrate SYN, its SYN/ACK lost ---- */
	uint64_t req0, req3;
	c.reqno = 4; /* ReqNo 4 accepted */
	migsyn(&s, 5000, 4, tok, req);
	tap_ok(mig_is_dup(&c, &s, true, true),
	       "the accepted migrate SYN again, from where the peer now is: a duplicate (answered again)");
	tap_ok(!mig_is_dup(&c, &s, true, false), "the same SYN from another address or port: not a duplicate");
	tap_ok(!mig_is_dup(&c, &s, false, true), "a connection that never migrated: not a duplicate");
	migsyn(&s, 5001, 4, tok, req);
	tap_ok(!mig_is_dup(&c, &s, true, true), "the last ReqNo with a Request that does not verify: not a duplicate");
	mk_tcp_migrate_request(c.ni, c.na, c.k, 5000, 3, &req3);
	migsyn(&s, 5000, 3, tok, req3);
	tap_ok(!mig_is_dup(&c, &s, true, true), "an older ReqNo (3 after 4), its Request right: not a duplicate");
	c.reqno = 0;
	mk_tcp_migrate_request(c.ni, c.na, c.k, 5000, 0, &req0);
	migsyn(&s, 5000, 0, tok, req0);
	tap_ok(mig_is_dup(&c, &s, true, true), "ReqNo 0 accepted after 127 (modulo 128), resent: a duplicate");

	mig_key_free(&a);
	return tap_done();
}
