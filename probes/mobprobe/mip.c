/* probes/mobprobe/mip.c: the Mobile IPv6 probes: bu, rr, dhaad, haunreach, ns,
 * and echo (ICMPv6 with a Home Address option or type 2 routing header, or
 * an ICMPv6 type of our choosing, for legacy nodes). */
#include "mobprobe.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/rr.h"

/* Assemble IPv6 [RH2] [DestOpt HAO] payload and fill the checksum. */
static int assemble(const struct in6_addr *src, const struct in6_addr *dst,
		    const struct in6_addr *hao, const struct in6_addr *rh2, uint8_t ulp,
		    const uint8_t *pl, size_t plen, uint8_t *pkt, size_t *len)
{
	struct mk_status st = mk_pkt_assemble(pkt, MP_PKT_MAX, src, dst, hao, rh2, ulp, pl, plen, len);

	if (st.err != MK_E_OK)
		return mp_usage_error("cannot build the packet: %s (offset %zu)", mk_strerror(st.err),
				      st.off);
	return 0;
}

static void host_filter(const struct mp *m, char *f, size_t cap)
{
	char a[INET6_ADDRSTRLEN];
	snprintf(f, cap, "ip6 and host %s", mk_ip6_ntop(&m->dst, a));
}

/* The parsed answer, if it comes from `from` (NULL: anyone). */
struct pkt_view {
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	const uint8_t *ulp;
	size_t ulp_len;
};

static bool view(const uint8_t *pkt, size_t len, const struct in6_addr *from, struct pkt_view *v)
{
	if (mk_ip6_chain_parse(pkt, len, &v->h, &v->c).err != MK_E_OK)
		return false;
	if (from && memcmp(&v->h.src, from, 16) != 0)
		return false;
	v->ulp = pkt + v->c.ulp_off;
	v->ulp_len = v->c.ulp_len;
	return true;
}

/* A Neighbor Advertisement for `target` (RFC 4861 4.4), whoever sends it:
 * ns's answer, and the unsolicited one a home agent multicasts for a home
 * address it registers (bu --na). */
#define ND_NA 136

struct na_info {
	struct in6_addr from, to;
	uint8_t hlim, flags;          /* R 0x80, S 0x40, O 0x20 */
	char fl[4];                   /* "RSO" or less, "" for none */
	char mac[18];                 /* Target Link-Layer Address, "" if absent */
};

static void fmt_mac(const uint8_t *mac, char *out, size_t cap)
{
	snprintf(out, cap, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

static bool na_parse(const uint8_t *pkt, size_t len, const struct in6_addr *target,
		     struct na_info *na)
{
	struct pkt_view v;
	size_t o = 0;

	if (!view(pkt, len, NULL, &v) || v.c.ulp != MK_NH_ICMPV6 || v.ulp_len < 24 ||
	    v.ulp[0] != ND_NA || memcmp(v.ulp + 8, target, 16) != 0)
		return false;
	memset(na, 0, sizeof *na);
	na->from = v.h.src;
	na->to = v.h.dst;
	na->hlim = v.h.hlim;
	na->flags = v.ulp[4];
	for (size_t k = 24; k + 8 <= v.ulp_len && v.ulp[k + 1]; k += 8u * v.ulp[k + 1])
		if (v.ulp[k] == 2 && v.ulp[k + 1] == 1) /* Target Link-Layer Address */
			fmt_mac(v.ulp + k + 2, na->mac, sizeof na->mac);
	if (na->flags & 0x80)
		na->fl[o++] = 'R';
	if (na->flags & 0x40)
		na->fl[o++] = 'S';
	if (na->flags & 0x20)
		na->fl[o++] = 'O';
	return true;
}

/* The NA's fields (bu --na: prefixed na_) and what RFC 4861 7.1.2 and
 * 7.2.4 require of every one: hop limit 255, a Target Link-Layer Address
 * (in an answer to a multicast solicitation, and in every unsolicited one
 * that is to update caches). */
static void na_report(struct mp_result *r, const struct na_info *na, bool prefixed)
{
	static const char *const plain[] = { "from", "to", "tlla", "flags", "hop_limit" };
	static const char *const pre[] = { "na_from", "na_to", "na_tlla", "na_flags", "na_hop_limit" };
	const char *const *k = prefixed ? pre : plain;
	char a[INET6_ADDRSTRLEN];

	mp_field_s(r, k[0], "%s", mk_ip6_ntop(&na->from, a));
	mp_field_s(r, k[1], "%s", mk_ip6_ntop(&na->to, a));
	mp_field_s(r, k[2], "%s", na->mac[0] ? na->mac : "none");
	mp_field_s(r, k[3], "%s", na->fl[0] ? na->fl : "none");
	mp_field_u(r, k[4], na->hlim);
	if (na->hlim != 255)
		mp_issue(r, "Neighbor Advertisement with hop limit %u, not 255 (RFC 4861 7.1.2)",
			 na->hlim);
	if (!na->mac[0])
		mp_issue(r, "Neighbor Advertisement without a Target Link-Layer Address option "
			    "(RFC 4861 7.2.4)");
}

/* ======================= bu ======================= */

#define BU_MHA_MAX MK_MH_MHA_MAX

struct bu_st {
	bool has_hoa, has_coa, has_alt, has_seq, has_flags, has_auth, has_lifetime;
	struct in6_addr hoa, coa, alt, cur_hoa;
	uint16_t seq, cur_seq, flags;
	uint32_t lifetime_s;
	uint8_t mha[BU_MHA_MAX * 16];
	size_t n_mha;
	uint32_t spi;
	uint8_t key[64];
	size_t keylen;
	int malform;
	size_t exp_octets;
	bool no_ts;            /* --timestamp none: no Replay Protection option */
	long ts_offset;        /* --timestamp OFFSET: seconds added to our clock */
	bool want_na;          /* --na: also wait for the unsolicited NA (10.4.1) */
	bool ba_seen, na_seen; /* this probe's BA (accepted) and NA, with --na */
	const char *ba_cls;
	struct na_info na;
	uint8_t sent_mh[MK_MH_MAX_LEN];
	uint8_t sent[MP_PKT_MAX];
	size_t sent_len;
};

enum { BU_HOA = 512, BU_COA, BU_FLAGS, BU_SEQ, BU_LIFETIME, BU_ALTCOA, BU_MHA, BU_SPI, BU_KEY, BU_MALFORM, BU_EXP, BU_TS, BU_NA };

/* --malform: one defect for the receiver checks of RFC 6275 9.2 */
enum { MF_NONE, MF_PROTO, MF_HLEN, MF_OVERRUN, MF_CKSUM, MF_TYPE };

static const struct option bu_opts[] = {
	{ "hoa", required_argument, NULL, BU_HOA },
	{ "coa", required_argument, NULL, BU_COA },
	{ "flags", required_argument, NULL, BU_FLAGS },
	{ "seq", required_argument, NULL, BU_SEQ },
	{ "lifetime", required_argument, NULL, BU_LIFETIME },
	{ "altcoa", required_argument, NULL, BU_ALTCOA },
	{ "mha", required_argument, NULL, BU_MHA },
	{ "spi", required_argument, NULL, BU_SPI },
	{ "key", required_argument, NULL, BU_KEY },
	{ "malform", required_argument, NULL, BU_MALFORM },
	{ "exp-octets", required_argument, NULL, BU_EXP },
	{ "timestamp", required_argument, NULL, BU_TS },
	{ "na", no_argument, NULL, BU_NA },
	{ NULL, 0, NULL, 0 },
};

/* "A,H,K,MHA" or a number. */
static int parse_bu_flags(const struct mp *m, const char *s, uint16_t *out)
{
	char buf[128], *save = NULL;
	uint16_t f = 0;

	if (s[0] >= '0' && s[0] <= '9') {
		unsigned long v;
		if (mp_ulong("--flags", s, 0, 0xffff, &v) != 0)
			return -1;
		*out = (uint16_t)v;
		return 0;
	}
	if (strlen(s) >= sizeof buf)
		return mp_usage_error("bad value '%s' for --flags: too long", s);
	/* every comma separates two names: "", ",,", "A," name no flag */
	for (const char *p = s;; p++) {
		size_t n = strcspn(p, ",");
		if (n == 0)
			return mp_usage_error("bad value '%s' for --flags: an empty flag name "
					      "(want A,H,... or a number)", s);
		p += n;
		if (!*p)
			break;
	}
	strcpy(buf, s);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		uint16_t bit = 0;
		if (strcasecmp(t, "MHA") == 0)
			bit = (uint16_t)mk_cp(&m->cp, MK_CP_BU_MHA_FLAG);
		for (uint16_t b = 0x8000; !bit && b >= 0x10; b >>= 1) {
			const char *n = mk_mh_bu_flag_name(b, &m->cp);
			if (n && strcasecmp(n, t) == 0)
				bit = b;
		}
		if (!bit)
			return mp_usage_error("bad flag '%s' in --flags '%s': want A,H,L,K,M,R,P,F,T,B,S,D,MHA or a number", t, s);
		f |= bit;
	}
	*out = f;
	return 0;
}

static int hexkey(const char *opt, const char *s, uint8_t *out, size_t cap, size_t *n)
{
	size_t l = strlen(s);
	if (l == 0 || l % 2 || l / 2 > cap)
		return mp_usage_error("bad value '%s' for %s: want 2..%zu hex digits", s, opt, cap * 2);
	for (size_t i = 0; i < l / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdefABCDEF", s[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i + 1]))
			return mp_usage_error("bad value '%s' for %s: not hex at character %zu", s,
					      opt, 2 * i + 1);
		out[i] = (uint8_t)v;
	}
	*n = l / 2;
	return 0;
}

/* --seq and --lifetime (seconds, sent in 4 s units) of a BU: bu, rr --bu */
static int opt_seq(const char *arg, bool *has, uint16_t *out)
{
	unsigned long v;
	*has = true;
	if (mp_ulong("--seq", arg, 0, 65535, &v) != 0)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

static int opt_lifetime(const char *arg, bool *has, uint32_t *out)
{
	unsigned long v;
	*has = true;
	if (mp_ulong("--lifetime", arg, 0, 65535u * 4u, &v) != 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int bu_opt(struct mp *m, void *vst, int id, const char *arg)
{
	struct bu_st *s = vst;
	unsigned long v;

	switch (id) {
	case BU_HOA:
		s->has_hoa = true;
		return mp_addr("--hoa", arg, &s->hoa);
	case BU_COA:
		s->has_coa = true;
		return mp_addr("--coa", arg, &s->coa);
	case BU_ALTCOA:
		s->has_alt = true;
		return mp_addr("--altcoa", arg, &s->alt);
	case BU_FLAGS:
		s->has_flags = true;
		return parse_bu_flags(m, arg, &s->flags);
	case BU_SEQ:
		return opt_seq(arg, &s->has_seq, &s->seq);
	case BU_LIFETIME:
		return opt_lifetime(arg, &s->has_lifetime, &s->lifetime_s);
	case BU_MHA:
		if (s->n_mha == BU_MHA_MAX)
			return mp_usage_error("too many --mha: at most %d home agents", BU_MHA_MAX);
		if (mp_addr("--mha", arg, (struct in6_addr *)(s->mha + 16 * s->n_mha)) != 0)
			return -1;
		s->n_mha++;
		return 0;
	case BU_SPI:
		if (mp_ulong("--spi", arg, 256, 0xffffffffUL, &v) != 0)
			return -1; /* RFC 4285: SPIs 0-255 are reserved */
		s->spi = (uint32_t)v;
		s->has_auth = true;
		return 0;
	case BU_KEY:
		s->has_auth = true;
		return hexkey("--key", arg, s->key, sizeof s->key, &s->keylen);
	case BU_MALFORM: {
		static const char *const names[] = { "", "proto", "hlen", "overrun", "cksum", "type" };
		for (int k = 1; k < 6; k++)
			if (!strcmp(arg, names[k])) {
				s->malform = k;
				return 0;
			}
		return mp_usage_error("--malform '%s': expected proto, hlen, overrun, cksum or type", arg);
	}
	case BU_EXP:
		if (mp_ulong("--exp-octets", arg, 1, 1300, &v) != 0)
			return -1;
		s->exp_octets = v;
		return 0;
	case BU_NA:
		s->want_na = true;
		return 0;
	case BU_TS: {
		char *end;
		long off;
		if (strcmp(arg, "none") == 0) {
			s->no_ts = true;
			return 0;
		}
		off = strtol(arg, &end, 10);
		if (!*arg || *end || off < -31536000L || off > 31536000L)
			return mp_usage_error("bad value '%s' for --timestamp: want none or an offset "
					      "in seconds, -31536000..31536000", arg);
		s->ts_offset = off;
		return 0;
	}
	}
	return -1;
}

static void bu_filter(const struct mp *m, void *st, char *f, size_t cap)
{
	const struct bu_st *s = st;
	char a[INET6_ADDRSTRLEN];
	if (s->want_na) /* the NA comes from the home agent's link-local address */
		snprintf(f, cap, "ip6 and (host %s or icmp6)", mk_ip6_ntop(&m->dst, a));
	else
		host_filter(m, f, cap);
}

static int bu_build(const struct mp *mc, void *vst, unsigned i, uint8_t *pkt, size_t *len,
		    char *desc, size_t dcap)
{
	struct mp *m = (struct mp *)mc; /* for the random stream */
	struct bu_st *s = vst;
	struct mk_mh mh;
	static const uint8_t zero12[MK_MH_MNHA_LEN];
	size_t n, k = 0;
	struct mk_status st;
	char fl[96], a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (i == 0) {
		if (!s->has_coa)
			s->coa = m->src;
		if (!s->has_seq)
			s->seq = (uint16_t)mp_rand(m);
		if (!s->has_flags)
			s->flags = s->has_hoa ? (MK_BU_A | MK_BU_H) : MK_BU_A;
		if (!s->has_lifetime)
			s->lifetime_s = 60;
		if (s->n_mha)
			s->flags |= (uint16_t)mk_cp(&m->cp, MK_CP_BU_MHA_FLAG);
		if (s->has_auth && (!s->spi || !s->keylen))
			return mp_usage_error("RFC 4285 authentication needs both --spi and --key");
		if ((s->no_ts || s->ts_offset) && !s->has_auth)
			return mp_usage_error("--timestamp is for RFC 4285 authentication (--spi and --key)");
		if (s->want_na && (!s->has_hoa || m->rate > 0))
			return mp_usage_error("--na needs --hoa, and is not for load mode");
		if (m->random_hoa && !s->has_hoa)
			return mp_usage_error("--random-hoa needs --hoa (its prefix is kept)");
	}
	s->ba_seen = s->na_seen = false;
	s->cur_seq = (m->random_seq && i > 0) ? (uint16_t)mp_rand(m) : (uint16_t)(s->seq + i);
	s->cur_hoa = s->hoa;
	if (m->random_hoa) {
		uint64_t r = mp_rand(m);
		memcpy(s->cur_hoa.s6_addr + 8, &r, 8);
	}
	mk_mh_init(&mh, MK_MH_BU);
	mh.u.bu.seq = s->cur_seq;
	mh.u.bu.flags = s->flags;
	mh.u.bu.lifetime = mk_mh_lifetime_units(s->lifetime_s);
	if (s->has_alt) {
		mh.opts[k].kind = MK_MHO_ALTCOA;
		mh.opts[k++].v.altcoa = s->alt;
	}
	if (s->n_mha) {
		mh.opts[k].kind = MK_MHO_MHA;
		mh.opts[k].v.mha.addrs = s->mha;
		mh.opts[k++].v.mha.n = s->n_mha;
	}
	/* experimental options (RFC 5096) that only make the BU bigger */
	static const uint8_t zeros[255];
	for (size_t left = s->exp_octets; left > 0 && k < MK_MH_MAX_OPTS - 2;) {
		size_t l = left > 255 ? 255 : left;
		mh.opts[k].kind = MK_MHO_EXP;
		mh.opts[k].v.raw.data = zeros;
		mh.opts[k++].v.raw.len = l;
		left -= l;
	}
	if (s->has_auth) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		/* RFC 4285 5: 64-bit NTP-style timestamp, seconds since 1900 */
		uint64_t ntp = (uint64_t)((int64_t)ts.tv_sec + s->ts_offset + 2208988800LL) << 32 |
			       (uint64_t)(((uint64_t)ts.tv_nsec << 32) / 1000000000ULL);
		if (!s->no_ts) {
			mh.opts[k].kind = MK_MHO_REPLAY;
			mh.opts[k++].v.replay = ntp;
		}
		mh.opts[k].kind = MK_MHO_AUTH;
		mh.opts[k].v.auth.subtype = MK_MH_AUTH_MNHA;
		mh.opts[k].v.auth.spi = s->spi;
		mh.opts[k].v.auth.data = zero12;
		mh.opts[k++].v.auth.len = MK_MH_MNHA_LEN;
	}
	mh.nopts = k;
	st = mk_mh_build(s->sent_mh, sizeof s->sent_mh, &m->cp, &mh, &n);
	if (st.err == MK_E_OK && s->has_auth)
		st = mk_rr_mnha_fill(s->sent_mh, n, &m->cp, s->key, s->keylen,
				     s->has_alt ? &s->alt : &s->coa, &s->cur_hoa);
	if (st.err != MK_E_OK)
		return mp_usage_error("cannot build the BU: %s (offset %zu)", mk_strerror(st.err),
				      st.off);
	switch (s->malform) {
	case MF_PROTO: s->sent_mh[0] = 6; break;          /* Payload Proto not 59 */
	case MF_HLEN: n = 8; s->sent_mh[1] = 0; break;     /* below the BU's minimum (1) */
	case MF_OVERRUN: s->sent_mh[1]++; break;           /* claims 8 octets more than sent */
	case MF_TYPE: s->sent_mh[2] = 200; break;          /* unassigned MH Type */
	}
	if (assemble(&s->coa, &m->dst, s->has_hoa ? &s->cur_hoa : NULL, NULL, MK_MH_NEXTHDR,
		     s->sent_mh, n, pkt, len) != 0)
		return -1;
	if (s->malform == MF_CKSUM)
		pkt[*len - n + 4] ^= 0xff; /* the MH is last: its Checksum field */
	memcpy(s->sent, pkt, *len);
	s->sent_len = *len;
	if (dcap) /* load mode describes only its first packet */
		snprintf(desc, dcap, "BU seq %u flags %s lifetime %u s%s%s from %s%s%s", s->cur_seq,
		 mk_mh_bu_flags_str(s->flags, &m->cp, fl, sizeof fl),
		 mk_mh_lifetime_sec(mh.u.bu.lifetime), s->n_mha ? " +MHA" : "",
		 s->has_auth ? " +MN-HA auth" : "", mk_ip6_ntop(&s->coa, a),
		 s->has_hoa ? " HoA " : " (no HAO)", s->has_hoa ? mk_ip6_ntop(&s->cur_hoa, b) : "");
	return 0;
}

/* A BA or BE from the target into r (RFC 6275 6.1.8, 6.1.9): class, status
 * and fields, and what a BA owes the BU we sent: its sequence number
 * (except status 135, which carries the last accepted one), no more than
 * the lifetime asked, and a type 2 routing header naming the home address
 * when the BU came from another care-of address (hoa NULL: the BU had no
 * Home Address option).  *v and *a get the packet's parse.  0: pkt is
 * neither, r untouched. */
static int mh_answer(const struct mp *m, const uint8_t *pkt, size_t len, struct pkt_view *v,
		     struct mk_mh *a, struct mp_result *r, uint16_t seq, uint32_t lifetime_s,
		     const struct in6_addr *hoa, const struct in6_addr *coa)
{
	char buf[INET6_ADDRSTRLEN];

	if (!view(pkt, len, &m->dst, v) || v->c.ulp != MK_NH_MH ||
	    mk_mh_parse(v->ulp, v->ulp_len, &m->cp, a).err != MK_E_OK ||
	    (a->type != MK_MH_BA && a->type != MK_MH_BE))
		return 0;
	mp_check_cksum(r, pkt, &v->h, &v->c, "MH");
	if (a->type == MK_MH_BE) {
		const char *sn = mk_mh_be_status_name(a->u.be.status);
		r->cls = "be";
		mp_field_u(r, "status", a->u.be.status);
		mp_field_s(r, "hoa", "%s", mk_ip6_ntop(&a->u.be.hoa, buf));
		mp_summary(r, "BE status %u (%s) for %s", a->u.be.status, sn ? sn : "?", buf);
		/* 9.3.3: the Home Address option's address, or :: without one */
		if (memcmp(&a->u.be.hoa, hoa ? hoa : &in6addr_any, 16) != 0)
			mp_issue(r, "BE names %s, not %s (RFC 6275 9.3.3: the address of the Home "
				    "Address option, or :: when there was none)", buf,
				 hoa ? "our home address" : "::");
		return 1;
	}
	const char *sn = mk_mh_ba_status_name(a->u.ba.status);
	bool accepted = a->u.ba.status < MK_BA_REJECT_MIN;
	r->cls = accepted ? "ba-accepted" : "ba-rejected";
	mp_field_u(r, "status", a->u.ba.status);
	mp_field_s(r, "status_name", "%s", sn ? sn : "unassigned");
	mp_field_u(r, "seq", a->u.ba.seq);
	mp_field_u(r, "lifetime_s", mk_mh_lifetime_sec(a->u.ba.lifetime));
	mp_field_u(r, "flags", a->u.ba.flags);
	const struct mk_mh_opt *bra = mk_mh_find_opt(a, MK_MHO_BRA);
	if (bra)
		mp_field_u(r, "refresh_s", (unsigned)bra->v.bra * 4u);
	mp_summary(r, "BA status %u (%s) seq %u lifetime %u s%s", a->u.ba.status, sn ? sn : "?",
		   a->u.ba.seq, mk_mh_lifetime_sec(a->u.ba.lifetime),
		   bra ? " with Binding Refresh Advice" : "");
	/* RFC 6275 6.1.8: the BA's sequence number copies the BU's (except
	 * 135, which carries the last accepted one); 9.5.1/10.3.1: the
	 * granted lifetime may be shorter, not longer */
	if (a->u.ba.status != MK_BA_SEQ_OUT_OF_WIN && a->u.ba.seq != seq)
		mp_issue(r, "BA sequence %u does not copy the BU's %u (RFC 6275 6.1.8)", a->u.ba.seq,
			 seq);
	if (accepted && mk_mh_lifetime_sec(a->u.ba.lifetime) > lifetime_s)
		mp_issue(r, "BA grants %u s, more than the %u s asked (RFC 6275 10.3.1)",
			 mk_mh_lifetime_sec(a->u.ba.lifetime), lifetime_s);
	/* 6.1.8 / 9.5.4: to a mobile node away from home, through an RH2 */
	if (hoa && memcmp(hoa, coa, 16) != 0) {
		if (v->c.rh2 < 0)
			mp_issue(r, "BA to the care-of address without a type 2 routing header (RFC 6275 6.1.8)");
		else if (memcmp(pkt + v->c.rh2_hoa_off, hoa, 16) != 0)
			mp_issue(r, "BA's type 2 routing header names %s, not our home address",
				 mk_ip6_ntop((const struct in6_addr *)(pkt + v->c.rh2_hoa_off), buf));
	}
	return 1;
}

/* bu --na: the unsolicited Neighbor Advertisement a home agent multicasts
 * for the home address it now defends (RFC 6275 10.4.1: to all-nodes, its
 * own link-layer address, Override set, Solicited clear), into r */
static void bu_na(const struct bu_st *s, struct mp_result *r)
{
	static const struct in6_addr all_nodes = { { { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } };
	if (!s->na_seen) {
		mp_field_s(r, "na", "none");
		mp_issue(r, "no Neighbor Advertisement for the home address on the link (RFC 6275 "
			    "10.4.1: the home agent multicasts one with its own link-layer address)");
		return;
	}
	mp_field_s(r, "na", "seen");
	na_report(r, &s->na, true);
	if (memcmp(&s->na.to, &all_nodes, 16) != 0 || !(s->na.flags & 0x20) || (s->na.flags & 0x40))
		mp_issue(r, "the home agent's Neighbor Advertisement for the home address goes to "
			    "ff02::1 with Override set and Solicited clear (RFC 6275 10.4.1), not "
			    "to %s with flags %s", mp_field_get(r, "na_to"), mp_field_get(r, "na_flags"));
}

/* bu --na: the BA came, the NA did not before the timeout */
static void bu_after(const struct mp *m, void *vst, struct mp_result *r)
{
	struct bu_st *s = vst;
	(void)m;
	if (s->want_na && s->ba_seen && !s->na_seen && r->cls && !strcmp(r->cls, "none")) {
		r->cls = s->ba_cls;
		bu_na(s, r);
	}
}

static int bu_match(const struct mp *m, void *vst, const uint8_t *pkt, size_t len,
		    struct mp_result *r)
{
	struct bu_st *s = vst;
	struct pkt_view v;
	struct mk_mh a;

	if (s->want_na && !s->na_seen && na_parse(pkt, len, &s->cur_hoa, &s->na)) {
		s->na_seen = true;
		if (!s->ba_seen)
			return 0;
		r->cls = s->ba_cls;
		bu_na(s, r);
		return 1;
	}
	if (mp_icmp_error(m, pkt, len, s->sent, s->sent_len, r))
		return 1;
	if (!mh_answer(m, pkt, len, &v, &a, r, s->cur_seq, s->lifetime_s,
		       s->has_hoa ? &s->cur_hoa : NULL, &s->coa))
		return 0;
	if (a.type == MK_MH_BA && s->has_auth) {
		const struct mk_mh_opt *au = mk_mh_find_opt(&a, MK_MHO_AUTH);
		if (!au) {
			mp_field_s(r, "auth", "absent");
		} else {
			struct mk_status st = mk_rr_mnha_verify(v.ulp, v.ulp_len, &m->cp, s->key,
							       s->keylen, &v.h.dst, &s->cur_hoa);
			mp_field_s(r, "auth", "%s", st.err == MK_E_OK ? "verified" : "bad");
			if (st.err != MK_E_OK)
				mp_issue(r, "BA's MN-HA authenticator does not verify (RFC 4285)");
		}
		/* RFC 4285 5: the BA's timestamp (the home agent's own clock
		 * with status 144), as seconds from ours */
		const struct mk_mh_opt *rp = mk_mh_find_opt(&a, MK_MHO_REPLAY);
		if (!rp) {
			mp_field_s(r, "timestamp", "absent");
		} else {
			struct timespec now;
			clock_gettime(CLOCK_REALTIME, &now);
			long long skew = (long long)(rp->v.replay >> 32) -
					 ((long long)now.tv_sec + 2208988800LL);
			mp_field_s(r, "timestamp", "present");
			mp_field_s(r, "timestamp_skew_s", "%lld", skew);
		}
	}
	if (s->want_na && a.type == MK_MH_BA && a.u.ba.status < MK_BA_REJECT_MIN) {
		if (!s->na_seen) {
			s->ba_seen = true; /* the NA may follow the BA */
			s->ba_cls = r->cls;
			return 0;
		}
		bu_na(s, r);
	}
	return 1;
}

static const char *ba_class(uint8_t status)
{
	static char names[256][12];
	if (!names[status][0])
		snprintf(names[status], sizeof names[status], "ba-%u", status);
	return names[status];
}

static const char *bu_load_class(const struct mp *m, void *st, const uint8_t *pkt, size_t len)
{
	struct pkt_view v;
	struct mk_mh a;
	(void)st;
	if (!view(pkt, len, &m->dst, &v))
		return NULL;
	if (v.c.ulp == MK_NH_ICMPV6 && v.ulp_len > 0 && v.ulp[0] < 128)
		return "icmp-error";
	if (v.c.ulp != MK_NH_MH || mk_mh_parse(v.ulp, v.ulp_len, &m->cp, &a).err != MK_E_OK)
		return NULL;
	if (a.type == MK_MH_BA)
		return ba_class(a.u.ba.status);
	return a.type == MK_MH_BE ? "be" : NULL;
}

static const struct mp_ops bu_ops = {
	.def_expect = "ba-accepted",
	.filter = bu_filter,
	.build = bu_build,
	.match = bu_match,
	.after = bu_after,
	.load_class = bu_load_class,
};

static int one_target(struct mp *m, int argc, char **argv)
{
	if (argc != 1)
		return mp_usage_error("%s needs exactly one target address (%d given)", m->sub, argc);
	m->target = argv[0];
	return mp_addr("the target", argv[0], &m->dst);
}

static int bu_run(struct mp *m, void *st, int argc, char **argv)
{
	if (one_target(m, argc, argv) != 0)
		return MP_USAGE;
	return mp_run(m, &bu_ops, st);
}

const struct mp_sub mp_sub_bu = {
	"bu", "bu [OPTIONS] TARGET",
	"send a Binding Update to a home agent or correspondent and classify the answer",
	bu_opts, bu_opt, bu_run, sizeof(struct bu_st),
	"  --hoa ADDR        home address: adds the Home Address option (none: a bare BU)\n"
	"  --coa ADDR        care-of address, the source (default: -s or the route's)\n"
	"  --flags LIST      A,H,L,K,M,R,P,F,T,B,S,D,MHA or a number (default A,H with --hoa)\n"
	"  --seq N           sequence number (default random; +1 per probe)\n"
	"  --lifetime SEC    requested lifetime in seconds (default 60; sent in 4 s units)\n"
	"  --altcoa ADDR     Alternate Care-of Address option\n"
	"  --mha ADDR        Multiple Home Agents option entry (repeat; sets the MHA flag)\n"
	"  --spi N --key HEX RFC 4285 MN-HA authentication (SPI >= 256) with a timestamp\n"
	"  --random-hoa      load mode: random low 64 bits of the home address per BU\n"
	"  --random-seq      load mode: random sequence number per BU\n"
	"  --malform KIND    one defect: proto (Payload Proto 6), hlen (Header Len 0,\n"
	"                    8 octets), overrun (Header Len 8 octets past the end),\n"
	"                    cksum (wrong checksum), type (MH Type 200)\n"
	"  --exp-octets N    add N octets of Experimental Mobility Options (RFC 5096)\n"
	"  --timestamp OFFSET|none\n"
	"                    RFC 4285 Replay Protection timestamp: our clock + OFFSET\n"
	"                    seconds (default 0), or none to leave the option out\n"
	"  --na              also wait for the home agent's unsolicited Neighbor\n"
	"                    Advertisement for the home address (RFC 6275 10.4.1)\n"
	"                    after a BA that accepts; an issue without it\n",
	"ba-accepted ba-rejected be param-problem dst-unreach icmp-error none"
};

/* ======================= rr ======================= */

/* `rr` alone: one HoTI (or CoTI) and its HoT (CoT).  `rr --bu`: return
 * routability as a mobile node runs it with a correspondent (RFC 6275 5.2,
 * 11.6, 11.7.2), then the Binding Update it authorizes, judged by its BA:
 *
 *   exchange 1  HoTI from the home address     -> HoT (home token, index)
 *   exchange 2  CoTI from the care-of address  -> CoT (care-of token, index)
 *   exchange 3  BU from the care-of address, Home Address option, Nonce
 *               Indices, Binding Authorization Data with
 *               Kbm = SHA1(home token | care-of token)  -> BA
 *
 * A deregistration (--lifetime 0, or home address = care-of address) has
 * no CoTI and Kbm = SHA1(home token) (5.2.6).  A token given with
 * --home-token/--careof-token (from an earlier `mobprobe rr --json`)
 * replaces its exchange, so that a BU can carry a nonce index that has
 * aged.  The BA must copy the BU's sequence number (not for 135), grant
 * no more than asked, come through an RH2 naming the home address, and
 * carry a Binding Authorization Data option that verifies with Kbm (CoA =
 * the BA's destination, CN = its source), except for statuses 136-138,
 * which must not carry one (9.5.4). */

enum { RR_X_HOT, RR_X_COT, RR_X_BU };

struct rr_st {
	bool careof, has_hoa, has_coa, has_hao;
	struct in6_addr hoa, coa, hao;
	uint8_t cookie[8];
	uint8_t sent[MP_PKT_MAX];
	size_t sent_len;
	/* --bu */
	bool bu, bad_auth, has_seq, has_flags, has_lifetime, dereg;
	bool given[2], given_idx[2];  /* [0] home, [1] care-of: from the options */
	uint8_t token[2][MK_RR_TOKEN_LEN];
	uint16_t idx[2];
	uint16_t seq, flags;
	uint32_t lifetime_s;
	uint8_t kbm[MK_RR_KBM_LEN];
	unsigned plan[3], nplan;      /* the exchanges of one probe */
};

enum { RR_HOA = 512, RR_COA, RR_CAREOF, RR_BU, RR_SEQ, RR_LIFETIME, RR_FLAGS, RR_HTOK, RR_HIDX,
       RR_CTOK, RR_CIDX, RR_BADAUTH, RR_HAO };

static const struct option rr_opts[] = {
	{ "hoa", required_argument, NULL, RR_HOA },
	{ "coa", required_argument, NULL, RR_COA },
	{ "careof", no_argument, NULL, RR_CAREOF },
	{ "bu", no_argument, NULL, RR_BU },
	{ "seq", required_argument, NULL, RR_SEQ },
	{ "lifetime", required_argument, NULL, RR_LIFETIME },
	{ "flags", required_argument, NULL, RR_FLAGS },
	{ "home-token", required_argument, NULL, RR_HTOK },
	{ "home-index", required_argument, NULL, RR_HIDX },
	{ "careof-token", required_argument, NULL, RR_CTOK },
	{ "careof-index", required_argument, NULL, RR_CIDX },
	{ "bad-auth", no_argument, NULL, RR_BADAUTH },
	{ "hao", required_argument, NULL, RR_HAO },
	{ NULL, 0, NULL, 0 },
};

static int rr_opt(struct mp *m, void *vst, int id, const char *arg)
{
	struct rr_st *s = vst;
	unsigned long v;
	size_t n;
	int k = id == RR_CTOK || id == RR_CIDX;

	switch (id) {
	case RR_HOA:
		s->has_hoa = true;
		return mp_addr("--hoa", arg, &s->hoa);
	case RR_COA:
		s->has_coa = true;
		return mp_addr("--coa", arg, &s->coa);
	case RR_CAREOF:
		s->careof = true;
		return 0;
	case RR_BU:
		s->bu = true;
		return 0;
	case RR_HAO:
		s->has_hao = true;
		return mp_addr("--hao", arg, &s->hao);
	case RR_BADAUTH:
		s->bad_auth = true;
		return 0;
	case RR_SEQ:
		return opt_seq(arg, &s->has_seq, &s->seq);
	case RR_LIFETIME:
		return opt_lifetime(arg, &s->has_lifetime, &s->lifetime_s);
	case RR_FLAGS:
		s->has_flags = true;
		return parse_bu_flags(m, arg, &s->flags);
	case RR_HTOK:
	case RR_CTOK:
		s->given[k] = true;
		if (hexkey(k ? "--careof-token" : "--home-token", arg, s->token[k], MK_RR_TOKEN_LEN,
			   &n) != 0)
			return -1;
		if (n != MK_RR_TOKEN_LEN)
			return mp_usage_error("bad value '%s' for %s: want %d hex digits (64 bits)", arg,
					      k ? "--careof-token" : "--home-token",
					      2 * MK_RR_TOKEN_LEN);
		return 0;
	case RR_HIDX:
	case RR_CIDX:
		s->given_idx[k] = true;
		if (mp_ulong(k ? "--careof-index" : "--home-index", arg, 0, 65535, &v) != 0)
			return -1;
		s->idx[k] = (uint16_t)v;
		return 0;
	}
	return -1;
}

static void rr_filter(const struct mp *m, void *st, char *f, size_t cap)
{
	(void)st;
	host_filter(m, f, cap);
}

/* the exchange this step of the probe is */
static unsigned rr_exchange(const struct mp *m, const struct rr_st *s)
{
	if (!s->bu)
		return s->careof ? RR_X_COT : RR_X_HOT;
	return s->plan[m->step < s->nplan ? m->step : s->nplan - 1];
}

static unsigned rr_steps(const struct mp *m, void *vst)
{
	struct rr_st *s = vst;
	(void)m;
	return s->bu ? s->nplan : 1;
}

static bool rr_step_ok(const struct mp *m, void *vst, struct mp_result *r)
{
	bool home = rr_exchange(m, vst) == RR_X_HOT;
	if (r->cls && strcmp(r->cls, home ? "hot" : "cot") == 0)
		return true;
	if (strcmp(r->cls, "none") == 0)
		mp_summary(r, "no %s to our %s: return routability did not complete",
			   home ? "HoT" : "CoT", home ? "HoTI" : "CoTI");
	return false;
}

static int rr_build_bu(struct mp *m, struct rr_st *s, uint8_t *pkt, size_t *len, char *desc,
		       size_t dcap)
{
	struct mk_mh mh;
	uint8_t buf[128];
	size_t n;
	struct in6_addr badcoa;
	char fl[96], a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	bool hao = memcmp(&s->hoa, &s->coa, 16) != 0;

	mk_mh_init(&mh, MK_MH_BU);
	mh.u.bu.seq = s->seq;
	mh.u.bu.flags = s->flags;
	mh.u.bu.lifetime = mk_mh_lifetime_units(s->lifetime_s);
	mh.opts[0].kind = MK_MHO_NONCE;
	mh.opts[0].v.nonce.home = s->idx[0];
	mh.opts[0].v.nonce.careof = s->dereg ? 0 : s->idx[1];
	mh.opts[1].kind = MK_MHO_BAD; /* the authenticator is filled below */
	mh.nopts = 2;
	mk_rr_bad_coa(&mh, &s->coa, &s->hoa, &badcoa);
	struct mk_status st = mk_mh_build(buf, sizeof buf, &m->cp, &mh, &n);
	if (st.err == MK_E_OK)
		st = mk_rr_kbm(s->token[0], s->dereg ? NULL : s->token[1], s->kbm);
	if (st.err == MK_E_OK)
		st = mk_rr_bad_fill(buf, n, &m->cp, s->kbm, &badcoa, &m->dst);
	if (st.err != MK_E_OK)
		return mp_usage_error("cannot build the BU: %s (offset %zu)", mk_strerror(st.err),
				      st.off);
	if (s->bad_auth)
		buf[n - 1] ^= 0x01; /* the authenticator is the last octets of the BU */
	if (assemble(&s->coa, &m->dst, hao ? &s->hoa : NULL, NULL, MK_MH_NEXTHDR, buf, n, pkt,
		     len) != 0)
		return -1;
	snprintf(desc, dcap, "BU seq %u flags %s lifetime %u s from %s%s%s, nonce indices %u/%u%s%s",
		 s->seq, mk_mh_bu_flags_str(s->flags, &m->cp, fl, sizeof fl),
		 mk_mh_lifetime_sec(mh.u.bu.lifetime), mk_ip6_ntop(&s->coa, a),
		 hao ? " HoA " : " (at home)", hao ? mk_ip6_ntop(&s->hoa, b) : "", s->idx[0],
		 mh.opts[0].v.nonce.careof, s->dereg ? ", Kbm from the home token" : "",
		 s->bad_auth ? ", authenticator spoilt" : "");
	return 0;
}

static int rr_build(const struct mp *mc, void *vst, unsigned i, uint8_t *pkt, size_t *len,
		    char *desc, size_t dcap)
{
	struct mp *m = (struct mp *)mc;
	struct rr_st *s = vst;
	struct mk_mh mh;
	uint8_t buf[64];
	size_t n;
	uint64_t c;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	unsigned x;

	if (!s->has_coa)
		s->coa = m->src;
	if (!s->has_hoa)
		s->hoa = m->src;
	if (s->bu && m->step == 0) {
		/* a new probe: a new sequence number unless given (+1 per probe) */
		if (i == 0 && !s->has_seq)
			s->seq = (uint16_t)mp_rand(m);
		else if (i > 0)
			s->seq++;
		s->dereg = s->lifetime_s == 0 || !memcmp(&s->hoa, &s->coa, 16);
		s->nplan = 0;
		if (!s->given[0])
			s->plan[s->nplan++] = RR_X_HOT;
		if (!s->given[1] && !s->dereg)
			s->plan[s->nplan++] = RR_X_COT;
		s->plan[s->nplan++] = RR_X_BU;
	}
	x = rr_exchange(m, s);
	if (x == RR_X_BU) {
		if (rr_build_bu(m, s, pkt, len, desc, dcap) != 0)
			return -1;
	} else {
		bool home = x == RR_X_HOT;
		c = mp_rand(m);
		memcpy(s->cookie, &c, 8);
		mk_mh_init(&mh, home ? MK_MH_HOTI : MK_MH_COTI);
		memcpy(mh.u.testinit.cookie, s->cookie, 8);
		struct mk_status st = mk_mh_build(buf, sizeof buf, &m->cp, &mh, &n);
		if (st.err != MK_E_OK)
			return mp_usage_error("cannot build the %s: %s", home ? "HoTI" : "CoTI",
					      mk_strerror(st.err));
		const struct in6_addr *src = home ? &s->hoa : &s->coa;
		if (assemble(src, &m->dst, s->has_hao ? &s->hao : NULL, NULL, MK_MH_NEXTHDR, buf, n,
			     pkt, len) != 0)
			return -1;
		snprintf(desc, dcap, "%s from %s cookie %016llx%s%s", home ? "HoTI" : "CoTI",
			 mk_ip6_ntop(src, a), (unsigned long long)__builtin_bswap64(c),
			 s->has_hao ? " with HAO " : "", s->has_hao ? mk_ip6_ntop(&s->hao, b) : "");
	}
	memcpy(s->sent, pkt, *len);
	s->sent_len = *len;
	return 0;
}

/* the BA to our BU: what mh_answer checks, and its authenticator */
static int rr_match_ba(const struct mp *m, struct rr_st *s, const uint8_t *pkt, size_t len,
		       struct mp_result *r)
{
	struct pkt_view v;
	struct mk_mh a;

	if (!mh_answer(m, pkt, len, &v, &a, r, s->seq, s->lifetime_s,
		       memcmp(&s->hoa, &s->coa, 16) ? &s->hoa : NULL, &s->coa))
		return 0;
	if (a.type != MK_MH_BA)
		return 1;
	uint8_t status = a.u.ba.status;
	if (a.u.ba.flags & MK_BA_K)
		mp_issue(r, "BA from a correspondent with the K bit set (RFC 6275 6.1.8: MUST be 0)");
	bool nonce_exp = status >= MK_BA_HOME_NONCE_EXP && status <= MK_BA_NONCES_EXP;
	if (!mk_mh_find_opt(&a, MK_MHO_BAD)) {
		mp_field_s(r, "auth", "absent");
		/* 9.5.4: every BA but 136-138 carries it (131 answers a home
		 * registration, which return routability does not authorize) */
		if (!nonce_exp && status != MK_BA_HOMEREG_NOTSUP)
			mp_issue(r, "BA status %u without the Binding Authorization Data option "
				    "(RFC 6275 9.5.4)", status);
	} else if (nonce_exp) {
		mp_field_s(r, "auth", "present");
		mp_issue(r, "BA status %u with a Binding Authorization Data option: it must not "
			    "have one (RFC 6275 9.5.4)", status);
	} else {
		bool ok = mk_rr_bad_verify(v.ulp, v.ulp_len, &m->cp, s->kbm, &v.h.dst, &v.h.src).err ==
			  MK_E_OK;
		mp_field_s(r, "auth", "%s", ok ? "verified" : "bad");
		if (!ok)
			mp_issue(r, "the BA's authenticator does not verify with our Kbm (RFC 6275 5.2.6)");
	}
	size_t o = strlen(r->summary);
	snprintf(r->summary + o, sizeof r->summary - o, ", authenticator %s",
		 mp_field_get(r, "auth"));
	return 1;
}

static int rr_match(const struct mp *m, void *vst, const uint8_t *pkt, size_t len,
		    struct mp_result *r)
{
	struct rr_st *s = vst;
	struct pkt_view v;
	struct mk_mh a;
	unsigned x = rr_exchange(m, s);
	bool careof = x == RR_X_COT;
	uint8_t want = careof ? MK_MH_COT : MK_MH_HOT;
	const struct in6_addr *to = careof ? &s->coa : &s->hoa;
	const char *name = careof ? "CoT" : "HoT";

	if (mp_icmp_error(m, pkt, len, s->sent, s->sent_len, r))
		return 1;
	if (x == RR_X_BU)
		return rr_match_ba(m, s, pkt, len, r);
	if (!view(pkt, len, &m->dst, &v) || v.c.ulp != MK_NH_MH ||
	    mk_mh_parse(v.ulp, v.ulp_len, &m->cp, &a).err != MK_E_OK)
		return 0;
	if (a.type == MK_MH_BE) {
		r->cls = "be";
		mp_field_u(r, "status", a.u.be.status);
		mp_summary(r, "BE status %u", a.u.be.status);
		return 1;
	}
	if (a.type != want)
		return 0;
	r->cls = careof ? "cot" : "hot";
	mp_check_cksum(r, pkt, &v.h, &v.c, "MH");
	/* 6.1.5, 6.1.6: the cookie of the init message comes back; 9.4.3,
	 * 9.4.4: to the address the init message came from */
	if (memcmp(a.u.test.cookie, s->cookie, 8) != 0)
		mp_issue(r, "%s does not return our cookie (RFC 6275 6.1.5/6.1.6)", name);
	if (memcmp(&v.h.dst, to, 16) != 0)
		mp_issue(r, "%s is not addressed to the %s address", name, careof ? "care-of" : "home");
	/* what the BU of this probe will use */
	memcpy(s->token[careof], a.u.test.token, MK_RR_TOKEN_LEN);
	s->idx[careof] = a.u.test.nonce_idx;
	const uint8_t *t = a.u.test.token, *ck = a.u.test.cookie;
	char tok[20];
	snprintf(tok, sizeof tok, "%02x%02x%02x%02x%02x%02x%02x%02x", t[0], t[1], t[2], t[3], t[4],
		 t[5], t[6], t[7]);
	if (s->bu) {
		mp_field_u(r, careof ? "careof_index" : "home_index", a.u.test.nonce_idx);
		mp_field_s(r, careof ? "careof_token" : "home_token", "%s", tok);
	} else {
		mp_field_u(r, "nonce_index", a.u.test.nonce_idx);
		mp_field_s(r, "cookie", "%02x%02x%02x%02x%02x%02x%02x%02x", ck[0], ck[1], ck[2],
			   ck[3], ck[4], ck[5], ck[6], ck[7]);
		mp_field_s(r, "token", "%s", tok);
	}
	mp_summary(r, "%s nonce index %u token %s, cookie %s", name, a.u.test.nonce_idx, tok,
		   memcmp(a.u.test.cookie, s->cookie, 8) == 0 ? "matches" : "WRONG");
	return 1;
}

static const struct mp_ops rr_ops_home = {
	.def_expect = "hot", .filter = rr_filter, .build = rr_build, .match = rr_match,
};
static const struct mp_ops rr_ops_careof = {
	.def_expect = "cot", .filter = rr_filter, .build = rr_build, .match = rr_match,
};
static const struct mp_ops rr_ops_bu = {
	.def_expect = "ba-accepted", .filter = rr_filter, .build = rr_build, .match = rr_match,
	.steps = rr_steps, .step_ok = rr_step_ok,
};

/* the options that go together, checked before anything is sent */
static int rr_check(struct rr_st *s)
{
	static const char *const tok[2] = { "--home-token", "--careof-token" };
	static const char *const idx[2] = { "--home-index", "--careof-index" };

	if (!s->bu) {
		if (s->has_seq || s->has_lifetime || s->has_flags || s->bad_auth || s->given[0] ||
		    s->given[1] || s->given_idx[0] || s->given_idx[1])
			return mp_usage_error("--seq, --lifetime, --flags, --bad-auth and the "
					      "--*-token/--*-index options are for rr --bu");
		return 0;
	}
	if (s->careof)
		return mp_usage_error("--careof sends a lone CoTI: not with --bu (which sends "
				      "both)");
	if (s->has_hao)
		return mp_usage_error("--hao is for a lone HoTI or CoTI (which must not carry one), "
				      "not with --bu");
	for (int k = 0; k < 2; k++)
		if (s->given[k] != s->given_idx[k])
			return mp_usage_error("%s and %s go together (both from one %s)",
					      tok[k], idx[k], k ? "CoT" : "HoT");
	if (!s->has_lifetime)
		s->lifetime_s = 60;
	if (!s->has_flags)
		s->flags = MK_BU_A;
	if (s->lifetime_s == 0 && s->given[1])
		return mp_usage_error("--careof-token with --lifetime 0: a deregistration uses the "
				      "home token alone (RFC 6275 5.2.6)");
	return 0;
}

static int rr_run(struct mp *m, void *vst, int argc, char **argv)
{
	struct rr_st *s = vst;
	if (rr_check(s) != 0 || one_target(m, argc, argv) != 0)
		return MP_USAGE;
	if (s->bu)
		return mp_run(m, &rr_ops_bu, vst);
	return mp_run(m, s->careof ? &rr_ops_careof : &rr_ops_home, vst);
}

const struct mp_sub mp_sub_rr = {
	"rr", "rr [OPTIONS] CORRESPONDENT",
	"return routability: HoTI (or CoTI) and its HoT (CoT); with --bu, then an authenticated BU",
	rr_opts, rr_opt, rr_run, sizeof(struct rr_st),
	"  --hoa ADDR        home address, the HoTI's source (default: -s)\n"
	"  --careof          send a CoTI from the care-of address instead\n"
	"  --coa ADDR        care-of address (default: -s or the route's)\n"
	"  --hao ADDR        add a Home Address option naming ADDR to the HoTI or CoTI\n"
	"                    (RFC 6275 9.4.1/9.4.2: it must then be ignored)\n"
	"  --bu              then a BU with the Nonce Indices and the Binding Authorization\n"
	"                    Data from the tokens (Kbm, RFC 6275 5.2.5), from the care-of\n"
	"                    address with a Home Address option; judge the BA (its\n"
	"                    authenticator verified; default expect ba-accepted)\n"
	"  --seq N           the BU's sequence number (default random; +1 per probe; give\n"
	"                    it when a BU follows another for the same home address)\n"
	"  --lifetime SEC    the BU's lifetime (default 60); 0: a deregistration, HoTI only\n"
	"                    and Kbm from the home token\n"
	"  --flags LIST      the BU's flags: A,H,... or a number (default A)\n"
	"  --home-token HEX --home-index N\n"
	"                    use this home keygen token and nonce index (from an earlier\n"
	"                    rr --json) instead of a HoTI: a nonce index that has aged\n"
	"  --careof-token HEX --careof-index N\n"
	"                    the same for the care-of token, instead of a CoTI\n"
	"  --bad-auth        one bit of the BU's authenticator changed\n",
	"hot cot ba-accepted ba-rejected be param-problem dst-unreach icmp-error none"
};

/* ======================= dhaad ======================= */

struct dhaad_st {
	uint16_t id;
	uint8_t sent[MP_PKT_MAX];
	size_t sent_len;
};

static int dhaad_opt(struct mp *m, void *st, int id, const char *arg)
{
	(void)m, (void)st, (void)id, (void)arg;
	return -1;
}

static void dhaad_filter(const struct mp *m, void *st, char *f, size_t cap)
{
	(void)m, (void)st;
	snprintf(f, cap, "icmp6");
}

static int dhaad_build(const struct mp *mc, void *vst, unsigned i, uint8_t *pkt, size_t *len,
		       char *desc, size_t dcap)
{
	struct mp *m = (struct mp *)mc;
	struct dhaad_st *s = vst;
	struct mk_icmp6 ic;
	uint8_t buf[16];
	size_t n;
	char a[INET6_ADDRSTRLEN];
	(void)i;

	memset(&ic, 0, sizeof ic);
	ic.kind = MK_ICMP6_K_DHAAD_REQUEST;
	s->id = (uint16_t)mp_rand(m);
	ic.u.ident.id = s->id;
	if (mk_icmp6_build(buf, sizeof buf, &m->cp, &ic, &n).err != MK_E_OK)
		return mp_usage_error("cannot build the DHAAD Request");
	if (assemble(&m->src, &m->dst, NULL, NULL, MK_ICMP6_NH, buf, n, pkt, len) != 0)
		return -1;
	memcpy(s->sent, pkt, *len);
	s->sent_len = *len;
	snprintf(desc, dcap, "DHAAD Request id %u to %s", s->id, mk_ip6_ntop(&m->dst, a));
	return 0;
}

static int dhaad_match(const struct mp *m, void *vst, const uint8_t *pkt, size_t len,
		       struct mp_result *r)
{
	struct dhaad_st *s = vst;
	struct pkt_view v;
	struct mk_icmp6 ic;
	char a[INET6_ADDRSTRLEN], list[1024] = "";
	size_t o = 0;

	if (mp_icmp_error(m, pkt, len, s->sent, s->sent_len, r))
		return 1;
	if (!view(pkt, len, NULL, &v) || v.c.ulp != MK_NH_ICMPV6 ||
	    memcmp(&v.h.dst, &m->src, 16) != 0 ||
	    mk_icmp6_parse(v.ulp, v.ulp_len, &m->cp, &ic).err != MK_E_OK ||
	    ic.kind != MK_ICMP6_K_DHAAD_REPLY || ic.u.ident.id != s->id)
		return 0;
	r->cls = "reply";
	mp_check_cksum(r, pkt, &v.h, &v.c, "ICMPv6");
	mp_field_s(r, "from", "%s", mk_ip6_ntop(&v.h.src, a));
	mp_field_u(r, "n_home_agents", ic.n_addrs);
	for (size_t i = 0; i < ic.n_addrs && o < sizeof list - 48; i++)
		o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? "," : "",
				      mk_ip6_ntop(&ic.addrs[i], a));
	mp_field_s(r, "home_agents", "%s", list);
	if (ic.n_addrs == 0)
		mp_issue(r, "DHAAD Reply lists no home agent");
	mp_summary(r, "DHAAD Reply from %s: %zu home agent%s %s", mp_field_get(r, "from"),
		   ic.n_addrs, ic.n_addrs == 1 ? "" : "s", list);
	return 1;
}

static const struct mp_ops dhaad_ops = {
	.def_expect = "reply", .filter = dhaad_filter, .build = dhaad_build, .match = dhaad_match,
};

static int dhaad_run(struct mp *m, void *st, int argc, char **argv)
{
	char pfx[INET6_ADDRSTRLEN + 8], *slash;

	if (argc != 1)
		return mp_usage_error("dhaad needs one home prefix (PREFIX/64) or anycast address"),
		       MP_USAGE;
	m->target = argv[0];
	snprintf(pfx, sizeof pfx, "%s", argv[0]);
	slash = strchr(pfx, '/');
	if (slash) {
		*slash = 0;
		if (strcmp(slash + 1, "64") != 0)
			return mp_usage_error("bad prefix length in '%s': the home-agents anycast address (RFC 2526) is defined here for /64", argv[0]), MP_USAGE;
	}
	if (mp_addr("the home prefix", pfx, &m->dst) != 0)
		return MP_USAGE;
	if (slash) {
		/* RFC 2526: subnet-router anycast ID 0x7e (126) with the
		 * EUI-64 interface identifier form: fdff:ffff:ffff:fffe */
		static const uint8_t iid[8] = { 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe };
		memcpy(m->dst.s6_addr + 8, iid, 8);
	}
	return mp_run(m, &dhaad_ops, st);
}

const struct mp_sub mp_sub_dhaad = {
	"dhaad", "dhaad [OPTIONS] HOME-PREFIX/64 | ANYCAST",
	"Dynamic Home Agent Address Discovery: list the home agents that reply",
	NULL, dhaad_opt, dhaad_run, sizeof(struct dhaad_st),
	"  the request goes to the home-agents anycast address of the prefix\n"
	"  (PREFIX::fdff:ffff:ffff:fffe, RFC 2526) from -s (the care-of address)\n",
	"reply param-problem dst-unreach icmp-error none"
};

/* ======================= haunreach ======================= */

struct hau_st {
	struct in6_addr has[MK_ICMP6_MAX_ADDRS];
	size_t n;
	uint8_t sent[MP_PKT_MAX];
	size_t sent_len;
};

enum { HAU_HA = 512 };
static const struct option hau_opts[] = {
	{ "ha", required_argument, NULL, HAU_HA },
	{ NULL, 0, NULL, 0 },
};

static int hau_opt(struct mp *m, void *vst, int id, const char *arg)
{
	struct hau_st *s = vst;
	(void)m;
	if (id != HAU_HA)
		return -1;
	if (s->n == 15)
		return mp_usage_error("too many --ha: at most 15");
	return mp_addr("--ha", arg, &s->has[s->n++]);
}

static void hau_filter(const struct mp *m, void *st, char *f, size_t cap)
{
	(void)st;
	host_filter(m, f, cap);
}

static int hau_build(const struct mp *m, void *vst, unsigned i, uint8_t *pkt, size_t *len,
		     char *desc, size_t dcap)
{
	struct hau_st *s = vst;
	struct mk_icmp6 ic;
	uint8_t buf[8 + 16 * 15];
	size_t n, o;
	char a[INET6_ADDRSTRLEN];

	if (s->n == 0)
		s->has[s->n++] = m->src;
	memset(&ic, 0, sizeof ic);
	ic.kind = MK_ICMP6_K_HA_UNREACH;
	ic.u.ident.id = (uint16_t)(0x4855 + i);
	ic.n_addrs = s->n;
	memcpy(ic.addrs, s->has, s->n * sizeof s->has[0]);
	struct mk_status st = mk_icmp6_build(buf, sizeof buf, &m->cp, &ic, &n);
	if (st.err != MK_E_OK)
		return mp_usage_error("cannot build Home Agent Unreachable: %s", mk_strerror(st.err));
	if (assemble(&m->src, &m->dst, NULL, NULL, MK_ICMP6_NH, buf, n, pkt, len) != 0)
		return -1;
	memcpy(s->sent, pkt, *len);
	s->sent_len = *len;
	o = (size_t)snprintf(desc, dcap, "Home Agent Unreachable (type %u) naming",
			     (unsigned)mk_cp(&m->cp, MK_CP_ICMP6_HA_UNREACH));
	for (size_t k = 0; k < s->n && o < dcap; k++)
		o += (size_t)snprintf(desc + o, dcap - o, "%s%s", k ? "," : " ",
				      mk_ip6_ntop(&s->has[k], a));
	return 0;
}

static int hau_match(const struct mp *m, void *vst, const uint8_t *pkt, size_t len,
		     struct mp_result *r)
{
	struct hau_st *s = vst;
	struct pkt_view v;
	char a[INET6_ADDRSTRLEN];

	if (mp_icmp_error(m, pkt, len, s->sent, s->sent_len, r))
		return 1;
	if (!view(pkt, len, &m->dst, &v))
		return 0;
	if (v.c.ulp == MK_NH_ICMPV6 && v.ulp_len >= 4 &&
	    mk_icmp6_kind_of(&m->cp, v.ulp[0]) == MK_ICMP6_K_DHAAD_REQUEST) {
		r->cls = "dhaad-request";
		mp_summary(r, "DHAAD Request to %s", mk_ip6_ntop(&v.h.dst, a));
		mp_field_s(r, "to", "%s", a);
		return 1;
	}
	if (v.c.ulp == MK_NH_MH && v.ulp_len >= 3 && v.ulp[2] == MK_MH_BU) {
		r->cls = "bu";
		mp_summary(r, "BU to %s", mk_ip6_ntop(&v.h.dst, a));
		mp_field_s(r, "to", "%s", a);
		for (size_t k = 0; k < s->n; k++)
			if (memcmp(&v.h.dst, &s->has[k], 16) == 0)
				mp_issue(r, "BU sent to %s, a home agent we named unreachable", a);
		return 1;
	}
	return 0;
}

static const struct mp_ops hau_ops = {
	.def_expect = "dhaad-request|bu", .filter = hau_filter, .build = hau_build,
	.match = hau_match,
};

static int hau_run(struct mp *m, void *st, int argc, char **argv)
{
	if (one_target(m, argc, argv) != 0)
		return MP_USAGE;
	return mp_run(m, &hau_ops, st);
}

const struct mp_sub mp_sub_haunreach = {
	"haunreach", "haunreach [OPTIONS] MOBILE-NODE",
	"send Home Agent Unreachable to a mobile node and report its reaction",
	hau_opts, hau_opt, hau_run, sizeof(struct hau_st),
	"  --ha ADDR         a home agent to name unreachable (repeat; default: -s)\n"
	"  the type is the codepoint icmp6-ha-unreachable (--codepoint, --profile)\n",
	"dhaad-request bu param-problem dst-unreach icmp-error none"
};

/* ======================= echo ======================= */

struct echo_st {
	bool has_hao, has_rh2, has_type, has_segleft, has_tun, has_encap;
	struct in6_addr hao, rh2;
	struct in6_addr tun;             /* --tunnelled: the care-of address */
	struct in6_addr enc_src, enc_dst; /* --encap: the outer header */
	unsigned long segleft, type, code;
	uint16_t id;
	uint8_t sent[MP_PKT_MAX];
	size_t sent_len;
};

enum { EC_HAO = 512, EC_RH2, EC_SEGLEFT, EC_TYPE, EC_CODE, EC_TUN, EC_ENCAP };
static const struct option echo_opts[] = {
	{ "hao", required_argument, NULL, EC_HAO },
	{ "rh2", required_argument, NULL, EC_RH2 },
	{ "segleft", required_argument, NULL, EC_SEGLEFT },
	{ "icmp-type", required_argument, NULL, EC_TYPE },
	{ "icmp-code", required_argument, NULL, EC_CODE },
	{ "tunnelled", required_argument, NULL, EC_TUN },
	{ "encap", required_argument, NULL, EC_ENCAP },
	{ NULL, 0, NULL, 0 },
};

static int echo_opt(struct mp *m, void *vst, int id, const char *arg)
{
	struct echo_st *s = vst;
	(void)m;
	switch (id) {
	case EC_HAO:
		s->has_hao = true;
		return mp_addr("--hao", arg, &s->hao);
	case EC_RH2:
		s->has_rh2 = true;
		return mp_addr("--rh2", arg, &s->rh2);
	case EC_SEGLEFT:
		s->has_segleft = true;
		return mp_ulong("--segleft", arg, 0, 1, &s->segleft);
	case EC_TYPE:
		s->has_type = true;
		return mp_ulong("--icmp-type", arg, 0, 255, &s->type);
	case EC_CODE:
		return mp_ulong("--icmp-code", arg, 0, 255, &s->code);
	case EC_TUN:
		s->has_tun = true;
		return mp_addr("--tunnelled", arg, &s->tun);
	case EC_ENCAP: {
		char a[INET6_ADDRSTRLEN * 2 + 2];
		char *comma;
		if (strlen(arg) >= sizeof a || !(comma = strchr(strcpy(a, arg), ',')))
			return mp_usage_error("bad value '%s' for --encap: want OUTER-SRC,OUTER-DST", arg);
		*comma = 0;
		s->has_encap = true;
		if (mp_addr("--encap (outer source)", a, &s->enc_src) != 0)
			return -1;
		return mp_addr("--encap (outer destination)", comma + 1, &s->enc_dst);
	}
	}
	return -1;
}

static void echo_filter(const struct mp *m, void *vst, char *f, size_t cap)
{
	struct echo_st *s = vst;
	char a[INET6_ADDRSTRLEN];
	if (s->has_tun || s->has_encap)
		snprintf(f, cap, "ip6"); /* the tunnel's ends are other hosts */
	else /* and IPv6-in-IPv6: our request tunnelled back (a home agent's) */
		snprintf(f, cap, "ip6 and (host %s or ip6 proto 41)", mk_ip6_ntop(&m->dst, a));
}

/* Our Echo Request inside an IPv6-in-IPv6 packet (RFC 2473): a home agent
 * intercepted it for a home address and tunnelled it to the care-of
 * address, which is ours.  JSON: by (the tunnel's source), to. */
static int echo_tunnelled(const struct mp *m, const struct echo_st *s, const uint8_t *pkt,
			  size_t len, struct mp_result *r)
{
	struct mk_ip6 outer;
	struct pkt_view iv;
	struct mk_icmp6 ic;
	size_t io, il;
	char a[INET6_ADDRSTRLEN];

	if (mk_ip6_decap(pkt, len, &outer, NULL, &io, &il).err != MK_E_OK ||
	    !view(pkt + io, il, &m->src, &iv) || memcmp(&iv.h.dst, &m->dst, 16) != 0 ||
	    iv.c.ulp != MK_NH_ICMPV6 ||
	    mk_icmp6_parse(iv.ulp, iv.ulp_len, &m->cp, &ic).err != MK_E_OK ||
	    ic.kind != MK_ICMP6_K_ECHO_REQUEST || ic.u.echo.id != s->id)
		return 0;
	r->cls = "tunnelled";
	mp_field_s(r, "by", "%s", mk_ip6_ntop(&outer.src, a));
	mp_field_s(r, "to", "%s", mk_ip6_ntop(&outer.dst, a));
	mp_summary(r, "our Echo Request id %u seq %u tunnelled by %s to %s", ic.u.echo.id,
		   ic.u.echo.seq, mp_field_get(r, "by"), mp_field_get(r, "to"));
	return 1;
}

static int echo_build(const struct mp *mc, void *vst, unsigned i, uint8_t *pkt, size_t *len,
		      char *desc, size_t dcap)
{
	struct mp *m = (struct mp *)mc;
	struct echo_st *s = vst;
	uint8_t buf[64];
	static const uint8_t data[16] = "mobprobe echo..";
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], c[INET6_ADDRSTRLEN];
	int o;

	if (i == 0)
		s->id = (uint16_t)mp_rand(m);
	if (!s->has_type)
		s->type = MK_ICMP6_ECHO_REQUEST;
	/* Echo layout (id, seq, data) for any type: unknown types get the
	 * same 24 octets, which is all a receiver may look at */
	buf[0] = (uint8_t)s->type;
	buf[1] = (uint8_t)s->code;
	buf[2] = buf[3] = 0;
	buf[4] = (uint8_t)(s->id >> 8);
	buf[5] = (uint8_t)s->id;
	buf[6] = (uint8_t)(i >> 8);
	buf[7] = (uint8_t)i;
	memcpy(buf + 8, data, sizeof data);
	if (assemble(&m->src, &m->dst, s->has_hao ? &s->hao : NULL, s->has_rh2 ? &s->rh2 : NULL,
		     MK_ICMP6_NH, buf, 8 + sizeof data, pkt, len) != 0)
		return -1;
	if (s->has_rh2 && s->segleft == 0) {
		/* the builder writes Segments Left 1; 0 means "already
		 * processed", so the checksum covers the header's destination */
		pkt[MK_IP6_HLEN + 3] = 0;
		struct mk_status st = mk_pkt_fix_cksum(pkt, *len);
		if (st.err != MK_E_OK)
			return mp_usage_error("cannot build: %s", mk_strerror(st.err));
	}
	if (s->has_encap) {
		/* RFC 2473: the whole packet inside an outer header, as a mobile
		 * node reverse-tunnels to its home agent (RFC 6275 11.3.1) */
		if (*len + MK_IP6_HLEN > MP_PKT_MAX)
			return mp_usage_error("the packet is too long to encapsulate");
		memmove(pkt + MK_IP6_HLEN, pkt, *len);
		memset(pkt, 0, MK_IP6_HLEN);
		pkt[0] = 0x60;
		pkt[4] = (uint8_t)(*len >> 8);
		pkt[5] = (uint8_t)*len;
		pkt[6] = MK_NH_IPV6;
		pkt[7] = 64;
		memcpy(pkt + 8, &s->enc_src, 16);
		memcpy(pkt + 24, &s->enc_dst, 16);
		*len += MK_IP6_HLEN;
	}
	memcpy(s->sent, pkt, *len);
	s->sent_len = *len;
	const char *tn = mk_icmp6_type_name(&m->cp, (uint8_t)s->type);
	o = snprintf(desc, dcap, "ICMPv6 type %lu (%s) id %u seq %u", s->type,
		     tn ? tn : "unassigned", s->id, i);
	if (s->has_hao && o > 0 && (size_t)o < dcap)
		o += snprintf(desc + o, dcap - (size_t)o, " with HAO %s", mk_ip6_ntop(&s->hao, a));
	if (s->has_rh2 && o > 0 && (size_t)o < dcap)
		o += snprintf(desc + o, dcap - (size_t)o, " with RH2 %s segments left %lu",
			 mk_ip6_ntop(&s->rh2, b), s->segleft);
	if (s->has_encap && o > 0 && (size_t)o < dcap)
		snprintf(desc + o, dcap - (size_t)o, " from %s, in a tunnel from %s to %s",
			 mk_ip6_ntop(&m->src, a), mk_ip6_ntop(&s->enc_src, b),
			 mk_ip6_ntop(&s->enc_dst, c));
	return 0;
}

/* --tunnelled: our Echo Request (or its Reply) inside an IPv6-in-IPv6
 * packet to the care-of address (the home agent's tunnel, RFC 6275
 * 10.4.2).  --encap: our encapsulated request seen bare after the tunnel's
 * end took it out and forwarded it (10.4.5).  1: r filled. */
static int echo_tunnel_match(const struct mp *m, const struct echo_st *s, const uint8_t *pkt,
			     size_t len, struct mp_result *r)
{
	struct pkt_view v, in;
	struct mk_icmp6 ic;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (!view(pkt, len, NULL, &v))
		return 0;
	if (s->has_tun && v.c.ulp == MK_NH_IPV6 && memcmp(&v.h.dst, &s->tun, 16) == 0) {
		if (!view(v.ulp, v.ulp_len, NULL, &in) || in.c.ulp != MK_NH_ICMPV6 ||
		    mk_icmp6_parse(in.ulp, in.ulp_len, &m->cp, &ic).err != MK_E_OK ||
		    (ic.kind != MK_ICMP6_K_ECHO_REQUEST && ic.kind != MK_ICMP6_K_ECHO_REPLY) ||
		    ic.u.echo.id != s->id)
			return 0;
		const char *what = ic.kind == MK_ICMP6_K_ECHO_REQUEST ? "echo-request" : "echo-reply";
		r->cls = "tunnelled";
		mp_field_s(r, "outer_src", "%s", mk_ip6_ntop(&v.h.src, a));
		mp_field_s(r, "outer_dst", "%s", mk_ip6_ntop(&v.h.dst, b));
		mp_field_s(r, "inner", "%s", what);
		mp_field_s(r, "inner_src", "%s", mk_ip6_ntop(&in.h.src, a));
		mp_field_s(r, "inner_dst", "%s", mk_ip6_ntop(&in.h.dst, b));
		mp_summary(r, "IPv6-in-IPv6 from %s to %s carrying our %s from %s to %s",
			   mp_field_get(r, "outer_src"), mp_field_get(r, "outer_dst"), what,
			   mp_field_get(r, "inner_src"), mp_field_get(r, "inner_dst"));
		return 1;
	}
	if (s->has_encap && v.c.ulp == MK_NH_ICMPV6 && memcmp(&v.h.src, &m->src, 16) == 0 &&
	    memcmp(&v.h.dst, &m->dst, 16) == 0 &&
	    mk_icmp6_parse(v.ulp, v.ulp_len, &m->cp, &ic).err == MK_E_OK &&
	    ic.kind == MK_ICMP6_K_ECHO_REQUEST && ic.u.echo.id == s->id) {
		r->cls = "forwarded";
		mp_field_u(r, "hop_limit", v.h.hlim);
		mp_summary(r, "our Echo Request from %s to %s, out of the tunnel, hop limit %u",
			   mk_ip6_ntop(&v.h.src, a), mk_ip6_ntop(&v.h.dst, b), v.h.hlim);
		return 1;
	}
	return 0;
}

static int echo_match(const struct mp *m, void *vst, const uint8_t *pkt, size_t len,
		      struct mp_result *r)
{
	struct echo_st *s = vst;
	struct pkt_view v;
	struct mk_icmp6 ic;
	struct mk_mh be;
	char a[INET6_ADDRSTRLEN];

	if (mp_icmp_error(m, pkt, len, s->sent, s->sent_len, r))
		return 1;
	if ((s->has_tun || s->has_encap) && echo_tunnel_match(m, s, pkt, len, r))
		return 1;
	if (!s->has_tun && echo_tunnelled(m, s, pkt, len, r))
		return 1;
	if (!view(pkt, len, &m->dst, &v))
		return 0;
	/* RFC 6275 9.3.1: a Home Address option without a binding: BE 1 */
	if (s->has_hao && v.c.ulp == MK_NH_MH &&
	    mk_mh_parse(v.ulp, v.ulp_len, &m->cp, &be).err == MK_E_OK && be.type == MK_MH_BE) {
		const char *sn = mk_mh_be_status_name(be.u.be.status);
		r->cls = "be";
		mp_check_cksum(r, pkt, &v.h, &v.c, "MH");
		mp_field_u(r, "status", be.u.be.status);
		mp_field_s(r, "hoa", "%s", mk_ip6_ntop(&be.u.be.hoa, a));
		if (memcmp(&be.u.be.hoa, &s->hao, 16) != 0)
			mp_issue(r, "BE names %s, not the address of our Home Address option "
				    "(RFC 6275 9.3.3)", a);
		mp_summary(r, "BE status %u (%s) for %s", be.u.be.status, sn ? sn : "?", a);
		return 1;
	}
	if (v.c.ulp != MK_NH_ICMPV6 || mk_icmp6_parse(v.ulp, v.ulp_len, &m->cp, &ic).err != MK_E_OK)
		return 0;
	if (ic.kind != MK_ICMP6_K_ECHO_REPLY || ic.u.echo.id != s->id)
		return 0;
	r->cls = "echo-reply";
	mp_field_u(r, "seq", ic.u.echo.seq);
	mp_field_s(r, "to", "%s", mk_ip6_ntop(&v.h.dst, a));
	/* 9.3.2: to a bound home address through a type 2 routing header */
	mp_field_s(r, "rh2", "%s",
		   v.c.rh2 >= 0 ? mk_ip6_ntop((const struct in6_addr *)(pkt + v.c.rh2_hoa_off), a)
				: "none");
	mp_check_cksum(r, pkt, &v.h, &v.c, "ICMPv6");
	mp_summary(r, "Echo Reply id %u seq %u to %s%s%s%s", ic.u.echo.id, ic.u.echo.seq,
		   mp_field_get(r, "to"), v.c.rh2 >= 0 ? " with RH2 " : "",
		   v.c.rh2 >= 0 ? mp_field_get(r, "rh2") : "", v.c.hao >= 0 ? " with HAO" : "");
	return 1;
}

static const struct mp_ops echo_ops = {
	.def_expect = "echo-reply", .filter = echo_filter, .build = echo_build,
	.match = echo_match,
};
static const struct mp_ops echo_ops_silent = {
	.def_expect = "none", .filter = echo_filter, .build = echo_build, .match = echo_match,
};

static int echo_run(struct mp *m, void *vst, int argc, char **argv)
{
	struct echo_st *s = vst;
	if (s->has_segleft && !s->has_rh2)
		return mp_usage_error("--segleft needs --rh2"), MP_USAGE;
	if (!s->has_segleft)
		s->segleft = 1;
	if (one_target(m, argc, argv) != 0)
		return MP_USAGE;
	/* RFC 4443 2.4(b): an unknown informational message is silently
	 * discarded, so that is the default expectation for one */
	bool informational_unknown = s->has_type && s->type >= 128 &&
				     s->type != MK_ICMP6_ECHO_REQUEST;
	return mp_run(m, informational_unknown ? &echo_ops_silent : &echo_ops, vst);
}

const struct mp_sub mp_sub_echo = {
	"echo", "echo [OPTIONS] TARGET",
	"ICMPv6 Echo (or any type) with a Home Address option or type 2 routing header",
	echo_opts, echo_opt, echo_run, sizeof(struct echo_st),
	"  --hao ADDR        add a Destination Options header with a Home Address option\n"
	"  --rh2 ADDR        add a type 2 routing header naming ADDR\n"
	"  --segleft 0|1     its Segments Left (default 1)\n"
	"  --icmp-type N     send type N instead of Echo Request (default expect: none\n"
	"                    for unknown informational types, RFC 4443 2.4(b))\n"
	"  --icmp-code N     the Code octet (default 0)\n"
	"  --tunnelled COA   also look for our Echo Request or its Reply inside an\n"
	"                    IPv6-in-IPv6 packet to COA (a home agent's tunnel to a\n"
	"                    care-of address): class tunnelled\n"
	"  --encap SRC,DST   send the packet inside an outer IPv6 header from SRC to\n"
	"                    DST (a reverse tunnel); class forwarded when it is seen\n"
	"                    again out of the tunnel, from -s to TARGET\n"
	"  without --tunnelled, class tunnelled too when our request comes back inside\n"
	"  IPv6-in-IPv6 (a home agent tunnelled it to us as the care-of address;\n"
	"  JSON by, to)\n",
	"echo-reply tunnelled forwarded be param-problem dst-unreach icmp-error none"
};

/* ======================= ns ======================= */

/* A Neighbor Solicitation for an address (RFC 4861 7.2.2), or the one of
 * Duplicate Address Detection (--dad: from ::, no Source Link-Layer
 * Address option, RFC 4862 5.4.2), to the address's solicited-node
 * multicast group with hop limit 255; the answer is the Neighbor
 * Advertisement for it, whoever sends it: a home agent defends a
 * registered home address with its own link-layer address (proxy ND,
 * RFC 6275 10.4.1). */

#define ND_NS 135
struct ns_st {
	bool dad;
	uint8_t sent[MP_PKT_MAX];
	size_t sent_len;
};

enum { NS_DAD = 512 };
static const struct option ns_opts[] = {
	{ "dad", no_argument, NULL, NS_DAD },
	{ NULL, 0, NULL, 0 },
};

static int ns_opt(struct mp *m, void *vst, int id, const char *arg)
{
	struct ns_st *s = vst;
	(void)m, (void)arg;
	if (id != NS_DAD)
		return -1;
	s->dad = true;
	return 0;
}

static void ns_filter(const struct mp *m, void *st, char *f, size_t cap)
{
	(void)m, (void)st;
	snprintf(f, cap, "icmp6");
}

static int ns_build(const struct mp *m, void *vst, unsigned i, uint8_t *pkt, size_t *len,
		    char *desc, size_t dcap)
{
	struct ns_st *s = vst;
	uint8_t buf[32];
	size_t n = 24;
	struct in6_addr snm = { { { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff } } };
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], mac[18] = "";
	(void)i;

	memcpy(snm.s6_addr + 13, m->dst.s6_addr + 13, 3);
	memset(buf, 0, sizeof buf);
	buf[0] = ND_NS;
	memcpy(buf + 8, &m->dst, 16);
	if (!s->dad) {
		struct ifreq ifr;
		int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		memset(&ifr, 0, sizeof ifr);
		snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", m->ifname);
		if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr) != 0) {
			if (fd >= 0)
				close(fd);
			return mp_usage_error("no link-layer address for %s", m->ifname);
		}
		close(fd);
		buf[24] = 1; /* Source Link-Layer Address */
		buf[25] = 1;
		memcpy(buf + 26, ifr.ifr_hwaddr.sa_data, 6);
		fmt_mac(buf + 26, mac, sizeof mac);
		n = 32;
	}
	if (assemble(s->dad ? &in6addr_any : &m->src, &snm, NULL, NULL, MK_ICMP6_NH, buf, n, pkt,
		     len) != 0)
		return -1;
	pkt[7] = 255; /* RFC 4861 7.1.1; not in the checksum */
	memcpy(s->sent, pkt, *len);
	s->sent_len = *len;
	snprintf(desc, dcap, "Neighbor Solicitation%s for %s to %s%s%s", s->dad ? " (DAD, from ::)" : "",
		 mk_ip6_ntop(&m->dst, a), mk_ip6_ntop(&snm, b),
		 mac[0] ? " with our link-layer address " : "", mac);
	return 0;
}

static int ns_match(const struct mp *m, void *vst, const uint8_t *pkt, size_t len,
		    struct mp_result *r)
{
	struct ns_st *s = vst;
	struct pkt_view v;
	struct na_info na;
	char a[INET6_ADDRSTRLEN];
	static const struct in6_addr all_nodes = { { { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } };

	if (!na_parse(pkt, len, &m->dst, &na) || !view(pkt, len, NULL, &v))
		return 0;
	r->cls = "na";
	mp_check_cksum(r, pkt, &v.h, &v.c, "ICMPv6");
	na_report(r, &na, false);
	mp_summary(r, "Neighbor Advertisement from %s to %s for %s, link-layer address %s, flags %s",
		   mp_field_get(r, "from"), mp_field_get(r, "to"), mk_ip6_ntop(&m->dst, a),
		   mp_field_get(r, "tlla"), mp_field_get(r, "flags"));
	/* RFC 4861 7.2.4 */
	if (s->dad && (memcmp(&na.to, &all_nodes, 16) != 0 || (na.flags & 0x40)))
		mp_issue(r, "an answer to DAD goes to ff02::1 with the Solicited flag clear "
			    "(RFC 4861 7.2.4)");
	if (!s->dad && !(na.flags & 0x40))
		mp_issue(r, "Solicited flag clear in an answer to our solicitation (RFC 4861 7.2.4)");
	return 1;
}

static const struct mp_ops ns_ops = {
	.def_expect = "na", .filter = ns_filter, .build = ns_build, .match = ns_match,
};

static int ns_run(struct mp *m, void *st, int argc, char **argv)
{
	if (one_target(m, argc, argv) != 0)
		return MP_USAGE;
	if (m->dst.s6_addr[0] == 0xff || IN6_IS_ADDR_UNSPECIFIED(&m->dst))
		return mp_usage_error("ns: '%s' is not a unicast address", argv[0]), MP_USAGE;
	return mp_run(m, &ns_ops, st);
}

const struct mp_sub mp_sub_ns = {
	"ns", "ns [OPTIONS] ADDRESS",
	"Neighbor Solicitation for an address; who answers, with which link-layer address",
	ns_opts, ns_opt, ns_run, sizeof(struct ns_st),
	"  the solicitation goes to ADDRESS's solicited-node multicast group with our\n"
	"  link-layer address, from -s (default: the route's source)\n"
	"  --dad             Duplicate Address Detection's: from ::, no link-layer\n"
	"                    address; the defender answers to ff02::1 (RFC 4862)\n",
	"na none"
};

/* ======================= listen ======================= */

/* Send nothing: capture what SENDER sends (to the --to addresses) for the
 * timeout and classify the first packet.  For messages the target sends of
 * its own accord (a Home Agent Unreachable after a peer failed, data it
 * tunnels), while something else (the conformance case) provokes them. */

#define LISTEN_TO_MAX 8

struct listen_st {
	struct in6_addr to[LISTEN_TO_MAX];
	size_t n_to;
};

enum { LI_TO = 512 };
static const struct option listen_opts[] = {
	{ "to", required_argument, NULL, LI_TO },
	{ NULL, 0, NULL, 0 },
};

static int listen_opt(struct mp *m, void *vst, int id, const char *arg)
{
	struct listen_st *s = vst;
	(void)m;
	if (id != LI_TO)
		return -1;
	if (s->n_to == LISTEN_TO_MAX)
		return mp_usage_error("too many --to: at most %d", LISTEN_TO_MAX);
	return mp_addr("--to", arg, &s->to[s->n_to++]);
}

static void listen_filter(const struct mp *m, void *vst, char *f, size_t cap)
{
	struct listen_st *s = vst;
	char a[INET6_ADDRSTRLEN];
	size_t o = (size_t)snprintf(f, cap, "ip6 and src host %s", mk_ip6_ntop(&m->dst, a));
	for (size_t k = 0; k < s->n_to && o < cap; k++)
		o += (size_t)snprintf(f + o, cap - o, "%s dst host %s%s", k ? " or" : " and (",
				      mk_ip6_ntop(&s->to[k], a), k + 1 == s->n_to ? ")" : "");
}

static int listen_build(const struct mp *m, void *vst, unsigned i, uint8_t *pkt, size_t *len,
			char *desc, size_t dcap)
{
	struct listen_st *s = vst;
	char a[INET6_ADDRSTRLEN];
	(void)pkt;
	(void)i;
	*len = 0; /* nothing to send */
	size_t o = (size_t)snprintf(desc, dcap, "listening for %s", mk_ip6_ntop(&m->dst, a));
	for (size_t k = 0; k < s->n_to && o < dcap; k++)
		o += (size_t)snprintf(desc + o, dcap - o, "%s%s", k ? "," : " to ",
				      mk_ip6_ntop(&s->to[k], a));
	return 0;
}

static int listen_match(const struct mp *m, void *vst, const uint8_t *pkt, size_t len,
			struct mp_result *r)
{
	struct listen_st *s = vst;
	struct pkt_view v;
	struct mk_icmp6 ic;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	bool to_ok = s->n_to == 0;

	if (!view(pkt, len, &m->dst, &v))
		return 0;
	for (size_t k = 0; k < s->n_to; k++)
		if (!memcmp(&v.h.dst, &s->to[k], 16))
			to_ok = true;
	if (!to_ok)
		return 0;
	mk_ip6_ntop(&v.h.dst, a);
	if (v.c.ulp == MK_NH_ICMPV6 && v.ulp_len >= 1) {
		/* neighbour discovery and MLD are the link's business, not an answer */
		if ((v.ulp[0] >= 130 && v.ulp[0] <= 137) || v.ulp[0] == 143)
			return 0;
		if (mk_icmp6_parse(v.ulp, v.ulp_len, &m->cp, &ic).err == MK_E_OK &&
		    ic.kind == MK_ICMP6_K_HA_UNREACH) {
			size_t o = 0;
			char list[MK_ICMP6_MAX_ADDRS * INET6_ADDRSTRLEN];
			list[0] = 0;
			for (size_t k = 0; k < ic.n_addrs && o < sizeof list; k++)
				o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", k ? "," : "",
						      mk_ip6_ntop(&ic.addrs[k], b));
			r->cls = "hau";
			mp_check_cksum(r, pkt, &v.h, &v.c, "ICMPv6");
			mp_field_s(r, "to", "%s", a);
			mp_field_u(r, "type", v.ulp[0]);
			mp_field_u(r, "n_ha", ic.n_addrs);
			mp_field_s(r, "ha", "%.120s", list);
			if (ic.n_addrs == 0)
				mp_issue(r, "a Home Agent Unreachable that names no home agent");
			mp_summary(r, "Home Agent Unreachable (type %u) to %s naming %s", v.ulp[0], a,
				   list[0] ? list : "nothing");
			return 1;
		}
		r->cls = "icmp";
		mp_field_s(r, "to", "%s", a);
		mp_field_u(r, "type", v.ulp[0]);
		mp_summary(r, "ICMPv6 type %u to %s", v.ulp[0], a);
		return 1;
	}
	if (v.c.ulp == MK_NH_IPV6) {
		size_t io, il;
		struct mk_ip6 in;
		struct mk_ip6_chain ic6;
		if (mk_ip6_decap(pkt, len, NULL, NULL, &io, &il).err != MK_E_OK ||
		    mk_ip6_chain_parse(pkt + io, il, &in, &ic6).err != MK_E_OK)
			return 0;
		r->cls = "tunnel";
		mp_field_s(r, "to", "%s", a);
		mp_field_s(r, "inner_src", "%s", mk_ip6_ntop(&in.src, b));
		mp_field_s(r, "inner_dst", "%s", mk_ip6_ntop(&in.dst, b));
		mp_summary(r, "IPv6-in-IPv6 to %s carrying %s -> %s", a, mp_field_get(r, "inner_src"),
			   mp_field_get(r, "inner_dst"));
		return 1;
	}
	if (v.c.ulp == MK_NH_MH && v.ulp_len >= 3) {
		r->cls = "mh";
		mp_field_s(r, "to", "%s", a);
		mp_field_u(r, "mh_type", v.ulp[2]);
		mp_summary(r, "Mobility Header type %u to %s", v.ulp[2], a);
		return 1;
	}
	r->cls = "other";
	mp_field_s(r, "to", "%s", a);
	mp_field_u(r, "nh", v.c.ulp);
	mp_summary(r, "Next Header %u to %s", v.c.ulp, a);
	return 1;
}

static const struct mp_ops listen_ops = {
	.def_expect = "hau|tunnel|mh|icmp|other", .filter = listen_filter, .build = listen_build,
	.match = listen_match,
};

static int listen_run(struct mp *m, void *st, int argc, char **argv)
{
	if (one_target(m, argc, argv) != 0)
		return MP_USAGE;
	return mp_run(m, &listen_ops, st);
}

const struct mp_sub mp_sub_listen = {
	"listen", "listen [OPTIONS] SENDER",
	"send nothing; classify what SENDER sends (Home Agent Unreachable, tunnelled data)",
	listen_opts, listen_opt, listen_run, sizeof(struct listen_st),
	"  --to ADDR         only packets to ADDR (repeat, at most 8)\n"
	"  for each --count, the first packet from SENDER within --timeout; the\n"
	"  capture starts before anything else (the --pcap file exists then), and\n"
	"  rtt_ms is the time from the start of the wait to the packet\n"
	"  classes: hau (Home Agent Unreachable; JSON ha, n_ha), tunnel (IPv6-in-IPv6;\n"
	"  inner_src, inner_dst), mh (mh_type), icmp (type), other (nh), none;\n"
	"  neighbour discovery and MLD are not answers\n",
	"hau tunnel mh icmp other none"
};
