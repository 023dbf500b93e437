/* probes/mobprobe/tcp.c: `mobprobe migsyn`, the TCP Migrate probe
 * (draft-snoeren-tcp-migrate-00; docs/protocol-facts.md section 5).
 *
 * Migrate SYN (default): a SYN whose only option is Migrate (token, ReqNo,
 * request).  What the answer means:
 *   RST             no connection has that token (the draft's answer to an
 *                   unknown token), or a closed port on any stack
 *   SYN/ACK, ack != our seq + 1
 *                   a migrate SYN/ACK: the draft has the fixed host answer
 *                   with the ack of the last data of the old connection
 *   SYN/ACK, ack == our seq + 1
 *                   a new connection: the option was ignored (legacy peer);
 *                   we reset it
 * --permitted: a SYN with MSS, SACK-permitted, timestamps, window scale and
 * Migrate-Permitted; a peer that supports migration echoes the option with
 * the same Len and CurveID (draft 3.1) in its SYN/ACK.
 */
#include "mobprobe.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "wire/ip6ext.h"
#include "wire/tcpopt.h"

struct mig_st {
	bool permitted, has_token, has_request, has_seq;
	unsigned long port, sport, reqno, curve, seq;
	uint64_t token, request;
	uint16_t cur_sport;
	uint32_t cur_seq;
	uint8_t sent[MP_PKT_MAX];
	size_t sent_len;
};

enum { MG_PORT = 512, MG_SPORT, MG_TOKEN, MG_REQNO, MG_REQUEST, MG_PERMITTED, MG_CURVE, MG_SEQ };

static const struct option mig_opts[] = {
	{ "port", required_argument, NULL, MG_PORT },
	{ "sport", required_argument, NULL, MG_SPORT },
	{ "token", required_argument, NULL, MG_TOKEN },
	{ "reqno", required_argument, NULL, MG_REQNO },
	{ "request", required_argument, NULL, MG_REQUEST },
	{ "permitted", no_argument, NULL, MG_PERMITTED },
	{ "curve", required_argument, NULL, MG_CURVE },
	{ "isn", required_argument, NULL, MG_SEQ },
	{ NULL, 0, NULL, 0 },
};

static int hex64(const char *opt, const char *s, uint64_t *out)
{
	char *end;
	if (strlen(s) == 0 || strlen(s) > 18)
		return mp_usage_error("bad value '%s' for %s: want up to 16 hex digits", s, opt);
	*out = strtoull(s, &end, 16);
	if (*end)
		return mp_usage_error("bad value '%s' for %s: not hex at '%s'", s, opt, end);
	return 0;
}

static int mig_opt(struct mp *m, void *vst, int id, const char *arg)
{
	struct mig_st *s = vst;
	(void)m;
	switch (id) {
	case MG_PORT:
		return mp_ulong("--port", arg, 1, 65535, &s->port);
	case MG_SPORT:
		return mp_ulong("--sport", arg, 1, 65535, &s->sport);
	case MG_TOKEN:
		s->has_token = true;
		return hex64("--token", arg, &s->token);
	case MG_REQUEST:
		s->has_request = true;
		return hex64("--request", arg, &s->request);
	case MG_REQNO:
		return mp_ulong("--reqno", arg, 0, 127, &s->reqno);
	case MG_PERMITTED:
		s->permitted = true;
		return 0;
	case MG_CURVE:
		return mp_ulong("--curve", arg, 0, 255, &s->curve);
	case MG_SEQ:
		s->has_seq = true;
		return mp_ulong("--isn", arg, 0, 0xffffffffUL, &s->seq);
	}
	return -1;
}

static void mig_filter(const struct mp *m, void *vst, char *f, size_t cap)
{
	char a[INET6_ADDRSTRLEN];
	(void)vst;
	snprintf(f, cap, "ip6 and host %s and (tcp or icmp6)", mk_ip6_ntop(&m->dst, a));
}

static int mig_build(const struct mp *mc, void *vst, unsigned i, uint8_t *pkt, size_t *len,
		     char *desc, size_t dcap)
{
	struct mp *m = (struct mp *)mc;
	struct mig_st *s = vst;
	struct mk_tcp t;
	uint8_t seg[128];
	size_t n;
	struct mk_status st;

	if (i == 0) {
		if (!s->reqno)
			s->reqno = 1;
		if (!s->has_token)
			s->token = mp_rand(m);
		if (!s->has_request)
			s->request = mp_rand(m);
	}
	s->cur_sport = s->sport ? (uint16_t)s->sport : (uint16_t)(32768 + mp_rand(m) % 28232);
	s->cur_seq = s->has_seq ? (uint32_t)s->seq : (uint32_t)mp_rand(m);
	if (m->random_seq && i > 0)
		s->cur_seq = (uint32_t)mp_rand(m);
	memset(&t, 0, sizeof t);
	t.sport = s->cur_sport;
	t.dport = (uint16_t)s->port;
	t.seq = s->cur_seq;
	t.flags = MK_TCP_SYN;
	t.window = 65535;
	t.layout = MK_TCPOPT_AUTO;
	if (s->permitted) {
		struct mk_tcpopt *o = t.opts.o;
		o[0].type = MK_TCPOPT_MSS;
		o[0].u.mss = 1440;
		o[1].type = MK_TCPOPT_SACKP;
		o[2].type = MK_TCPOPT_TS;
		o[2].u.ts.val = (uint32_t)mp_rand(m);
		o[3].type = MK_TCPOPT_WS;
		o[3].u.ws = 7;
		o[4].type = MK_TCPOPT_MIGPERM;
		o[4].u.migperm.curve = (uint8_t)s->curve;
		if (s->curve)
			for (int k = 0; k < MK_TCP_MIGPERM_KEYDATA; k++)
				o[4].u.migperm.key[k] = (uint8_t)mp_rand(m);
		t.opts.n = 5;
	} else {
		t.opts.o[0].type = MK_TCPOPT_MIGRATE;
		t.opts.o[0].u.migrate.reqno = (uint8_t)s->reqno;
		t.opts.o[0].u.migrate.token = s->token;
		t.opts.o[0].u.migrate.request = s->request;
		t.opts.n = 1;
	}
	st = mk_tcp_build(seg, sizeof seg, &m->cp, &t, &n);
	if (st.err != MK_E_OK) {
		char why[160];
		if (st.err == MK_E_TCP_OPT_SPACE)
			mk_tcpopts_space_fmt(why, sizeof why, &m->cp, t.opts.o, t.opts.n);
		else
			snprintf(why, sizeof why, "%s", mk_strerror(st.err));
		return mp_usage_error("cannot build the SYN: %s", why);
	}
	st = mk_pkt_assemble(pkt, MP_PKT_MAX, &m->src, &m->dst, NULL, NULL, MK_NH_TCP, seg, n, len);
	if (st.err != MK_E_OK)
		return mp_usage_error("cannot build the packet: %s", mk_strerror(st.err));
	memcpy(s->sent, pkt, *len);
	s->sent_len = *len;
	if (!dcap) /* load mode describes only its first packet */
		return 0;
	if (s->permitted)
		snprintf(desc, dcap, "SYN %u > %lu seq %u with Migrate-Permitted (curve %lu)",
			 s->cur_sport, s->port, s->cur_seq, s->curve);
	else
		snprintf(desc, dcap, "migrate SYN %u > %lu seq %u token %016llx reqno %lu",
			 s->cur_sport, s->port, s->cur_seq, (unsigned long long)s->token, s->reqno);
	return 0;
}

static int mig_match(const struct mp *m, void *vst, const uint8_t *pkt, size_t len,
		     struct mp_result *r)
{
	struct mig_st *s = vst;
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	struct mk_tcp t;
	const struct mk_tcpopt *mp_opt = NULL;

	if (mp_icmp_error(m, pkt, len, s->sent, s->sent_len, r))
		return 1;
	if (mk_ip6_chain_parse(pkt, len, &h, &c).err != MK_E_OK || c.ulp != MK_NH_TCP ||
	    memcmp(&h.src, &m->dst, 16) != 0)
		return 0;
	struct mk_status st = mk_tcp_parse(pkt + c.ulp_off, c.ulp_len, &m->cp, &t);
	if (st.err != MK_E_OK && t.sport == 0)
		return 0;
	if (t.sport != s->port || t.dport != s->cur_sport)
		return 0;
	mp_check_cksum(r, pkt, &h, &c, "TCP");
	if (st.err != MK_E_OK)
		mp_issue(r, "TCP options of the answer do not parse: %s at %zu", mk_strerror(st.err),
			 st.off);
	mp_field_u(r, "seq", t.seq);
	mp_field_u(r, "ack", t.ack);
	if (t.flags & MK_TCP_RST) {
		r->cls = "rst";
		mp_summary(r, "RST%s", (t.flags & MK_TCP_ACK) ? "/ACK" : "");
		return 1;
	}
	if ((t.flags & (MK_TCP_SYN | MK_TCP_ACK)) != (MK_TCP_SYN | MK_TCP_ACK))
		return 0;
	for (size_t k = 0; k < t.opts.n; k++)
		if (t.opts.o[k].type == MK_TCPOPT_MIGPERM)
			mp_opt = &t.opts.o[k];
	if (s->permitted) {
		if (mp_opt) {
			r->cls = "synack-migperm";
			mp_field_u(r, "curve", mp_opt->u.migperm.curve);
			mp_summary(r, "SYN/ACK echoing Migrate-Permitted (curve %u)",
				   mp_opt->u.migperm.curve);
			if (mp_opt->u.migperm.curve != s->curve)
				mp_issue(r, "SYN/ACK's CurveID %u differs from ours (%lu): the draft aborts with RST",
					 mp_opt->u.migperm.curve, s->curve);
		} else {
			r->cls = "synack";
			mp_summary(r, "SYN/ACK without Migrate-Permitted: legacy peer, migration not offered");
		}
		return 1;
	}
	if (t.ack == s->cur_seq + 1) {
		r->cls = "synack";
		mp_summary(r, "plain SYN/ACK: legacy peer, the Migrate option was ignored");
	} else {
		r->cls = "migrate-synack";
		mp_summary(r, "migrate SYN/ACK: seq %u ack %u (ack of the old connection's data)",
			   t.seq, t.ack);
	}
	return 1;
}

/* A SYN/ACK opened a half-open connection at the peer: reset it. */
static void mig_after(const struct mp *m, void *vst, struct mp_result *r)
{
	struct mig_st *s = vst;
	const char *seq = mp_field_get(r, "ack");
	struct mk_tcp t;
	uint8_t seg[64], pkt[128];
	size_t n, len;

	if (!r->cls || strncmp(r->cls, "synack", 6) != 0 || !seq)
		return;
	memset(&t, 0, sizeof t);
	t.sport = s->cur_sport;
	t.dport = (uint16_t)s->port;
	t.seq = (uint32_t)strtoul(seq, NULL, 10);
	t.flags = MK_TCP_RST;
	if (mk_tcp_build(seg, sizeof seg, &m->cp, &t, &n).err != MK_E_OK)
		return;
	if (mk_pkt_assemble(pkt, sizeof pkt, &m->src, &m->dst, NULL, NULL, MK_NH_TCP, seg, n, &len)
		.err == MK_E_OK)
		(void)mp_send_extra(m, pkt, len);
}

static const char *mig_load_class(const struct mp *m, void *vst, const uint8_t *pkt, size_t len)
{
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	(void)vst;
	if (mk_ip6_chain_parse(pkt, len, &h, &c).err != MK_E_OK ||
	    memcmp(&h.src, &m->dst, 16) != 0 || c.ulp != MK_NH_TCP || c.ulp_len < 20)
		return NULL;
	uint8_t fl = pkt[c.ulp_off + 13];
	if (fl & MK_TCP_RST)
		return "rst";
	if ((fl & (MK_TCP_SYN | MK_TCP_ACK)) == (MK_TCP_SYN | MK_TCP_ACK))
		return "synack";
	return NULL;
}

static const struct mp_ops mig_ops = {
	.def_expect = "rst|migrate-synack", .filter = mig_filter, .build = mig_build,
	.match = mig_match, .after = mig_after, .load_class = mig_load_class,
};
static const struct mp_ops migperm_ops = {
	.def_expect = "synack-migperm", .filter = mig_filter, .build = mig_build,
	.match = mig_match, .after = mig_after,
};

static int mig_run(struct mp *m, void *vst, int argc, char **argv)
{
	struct mig_st *s = vst;
	static char host[INET6_ADDRSTRLEN + 8];

	if (argc != 1)
		return mp_usage_error("migsyn needs one target, [ADDR]:PORT or ADDR with --port"),
		       MP_USAGE;
	m->target = argv[0];
	if (argv[0][0] == '[') {
		const char *close = strchr(argv[0], ']');
		if (!close || close[1] != ':' || (size_t)(close - argv[0]) > sizeof host)
			return mp_usage_error("bad target '%s': want [ADDR]:PORT", argv[0]), MP_USAGE;
		snprintf(host, sizeof host, "%.*s", (int)(close - argv[0] - 1), argv[0] + 1);
		if (mp_ulong("the target port", close + 2, 1, 65535, &s->port) != 0)
			return MP_USAGE;
	} else {
		snprintf(host, sizeof host, "%s", argv[0]);
	}
	if (mp_addr("the target", host, &m->dst) != 0)
		return MP_USAGE;
	if (!s->port)
		return mp_usage_error("no port: give [ADDR]:PORT or --port"), MP_USAGE;
	if (s->permitted && m->rate > 0)
		return mp_usage_error("--permitted has no load mode; use the migrate SYN flood"),
		       MP_USAGE;
	return mp_run(m, s->permitted ? &migperm_ops : &mig_ops, vst);
}

const struct mp_sub mp_sub_migsyn = {
	"migsyn", "migsyn [OPTIONS] [ADDR]:PORT",
	"send a TCP Migrate SYN (or a SYN offering Migrate-Permitted) and classify the answer",
	mig_opts, mig_opt, mig_run, sizeof(struct mig_st),
	"  --port N          the port, when the target is a bare address\n"
	"  --sport N         source port (default random)\n"
	"  --isn N           the SYN's sequence number (default random)\n"
	"  --token HEX       64-bit token (default random: a peer should answer RST)\n"
	"  --reqno N         request number 0..127 (default 1)\n"
	"  --request HEX     64-bit request value (default random)\n"
	"  --permitted       open a connection offering Migrate-Permitted instead\n"
	"  --curve N         its CurveID (default 0: insecure, Len 3)\n"
	"  --random-seq      load mode: random sequence number per SYN\n",
	"rst migrate-synack synack synack-migperm param-problem dst-unreach icmp-error none"
};
