/* stack/roles/mn.h: the mobile node's state, shared by mobile-node.c (the
 * home registration, movement, the tunnel) and mn-ro.c (route optimization
 * with correspondents, RFC 6275 11.6-11.7). */
#ifndef MOBD_MN_H
#define MOBD_MN_H

#include "stack/core/core.h"
#include "wire/icmp6.h"
#include "wire/rr.h"

enum mn_state { MN_START, MN_HOME, MN_DHAAD, MN_REG, MN_BOUND, MN_DEREG, MN_FAILED };

/* route optimization with one correspondent (mn-ro.c) */
enum ro_state {
	RO_IDLE,      /* nothing under way: data through the tunnel */
	RO_RR,        /* HoTI/CoTI sent, waiting for HoT/CoT */
	RO_BU,        /* BU sent, waiting for the BA */
	RO_BOUND,     /* bound at the current care-of address: data direct */
	RO_DEREG,     /* at home: the lifetime 0 BU sent */
	RO_FALLBACK,  /* no answer or refused: the tunnel, tried again later */
	RO_LEGACY,    /* the correspondent does not speak Mobile IPv6: never again */
};
#define MN_RO_MAX 8      /* correspondents followed at once (BUL entries) */

/* a registration with a home agent besides the one in use (mn-multi.c,
 * the multiple-home-agent paper) */
#define MN_SEC_MAX 7
enum sec_state { SEC_REG, SEC_BOUND, SEC_DEREG };
struct mn_sec {
	bool used;
	enum sec_state st;
	struct in6_addr ha;
	struct mobd_bule *bu;
	struct mobd *d;
	struct mobd_timer t;
};

struct mn_ro {
	bool used;
	enum ro_state st;
	struct in6_addr cn;
	struct mobd_bule *bu;            /* its binding update list entry */
	struct mobd *d;
	struct mobd_timer t;             /* retransmission, refresh, retry */
	uint8_t hcookie[8], ccookie[8];
	uint8_t htok[MK_RR_TOKEN_LEN], ctok[MK_RR_TOKEN_LEN];
	uint16_t hidx, cidx;
	bool htok_ok, ctok_ok, hoti_out, coti_out;
	uint64_t htok_at;                /* monotonic ns the home token came */
	struct in6_addr ctok_coa;        /* the care-of address the care-of token is for */
	uint64_t rr_at;                  /* the RR (or BU) that is under way started */
	unsigned rr_tries;
	uint8_t kbm[MK_RR_KBM_LEN];
	uint64_t ctok_at;
	struct in6_addr bu_coa;          /* the source of the BU in flight */
	bool bound;                      /* the correspondent's binding names bound_coa */
	struct in6_addr bound_coa;
	uint64_t bound_until;            /* monotonic ns */
	bool dereg;                      /* at home: the tokens are for a deregistration */
	bool pending;                    /* moved: RR waits for the home registration */
	unsigned retries;                /* BA 136-138 or BE 1 in a row */
	double rr_ms, bu_ms;             /* the last return routability and BU -> BA */
	char why[80];                    /* the last fall-back or stop, for mobctl */
	/* started by a packet with an RH2 from the correspondent while it had no
	 * binding of ours (it learnt the care-of address from DNS, issue 15):
	 * 1 + MN_DNS_RR or 1 + MN_DNS_SHORTCUT, 0: not so; when that packet came,
	 * and what went to the correspondent after it: how many packets
	 * through the tunnel before the first direct one, and when that one went */
	unsigned dns;
	uint64_t dns_at;
	bool rrless;                     /* the BU in flight has no return routability (shortcut) */
	bool first_direct;
	unsigned tunnelled_first;
	double first_direct_ms;
};

enum { MN_RO_NEVER, MN_RO_ALWAYS, MN_RO_PREFIX };
/* mn-dns-answer (mobd_conf.mn_dns_answer) */
enum { MN_DNS_RR, MN_DNS_SHORTCUT, MN_DNS_OFF };

struct mn {
	enum mn_state st;
	struct in6_addr hoa, coa, ha;
	bool have_coa, have_ha, tunnel_up, ever_bound;
	bool ha_silent;           /* the current home agent stopped answering */
	struct mobd_bul bul;
	struct mobd_bule *bu;      /* the home registration */
	bool send_failed;
	struct mobd_timer t_bu, t_dhaad;
	uint16_t dhaad_id;
	unsigned dhaad_tries;
	struct in6_addr has[MK_ICMP6_MAX_ADDRS];
	unsigned n_has, ha_idx;
	/* addresses that answered a BU with an ICMPv6 error: not home agents,
	 * left out of later DHAAD replies (a ring of the last few) */
	struct in6_addr not_ha[8];
	unsigned n_not_ha;
	int nl_fd;
	struct mn_ro ro[MN_RO_MAX];
	struct mn_sec sec[MN_SEC_MAX];
	uint16_t dhaad2_id;        /* DHAAD for more home agents while registered */
	bool dhaad2_out;
	uint64_t dhaad2_at;         /* when it was sent: at most one each MN_DHAAD2_S */
	uint64_t has_last_ts;       /* RFC 4285 timestamp of the last Home Agent Switch believed */
	struct {
		uint64_t bu_tx, bu_retx, ba_rx, ba_bad, be_rx, ba_131_tx, moves, home, tun_out, tun_out_bytes,
			tun_in, tun_in_bytes, tun_drop, dhaad_tx, dhaad_rx, send_fail, bu_icmp_err,
			dhaad_dropped;
		/* route optimization */
		uint64_t hoti_tx, coti_tx, hot_rx, cot_rx, rr_stale, ro_bu_tx, ro_ba_rx, ro_ba_bad,
			ro_be_rx, brr_rx, ro_out, ro_out_bytes, ro_in, ro_in_bytes, ro_in_bad,
			ro_fallback, ro_legacy, ro_full;
		/* RH2 packets from correspondents without a binding (DNS, issue 15) */
		uint64_t dns_rh2, dns_rr, dns_shortcut, dns_bu_tx, dns_ba_rx;
		/* multiple home agents */
		uint64_t mha_bu_tx, mha_ba_rx, hau_rx, hau_ok, hau_ignored, ha_dropped, ha_promoted;
		/* Home Agent Switch (HA Reliability hard switch) */
		uint64_t has_rx, has_ok, has_refused;
		uint64_t ba[256];
	} cnt;
};

#define MN(d) ((struct mn *)(d)->rs[MOBD_R_MN])

/* mobile-node.c */
void mn_register_now(struct mobd *d);
/* a DHAAD reply's address that can be a home agent */
bool mn_may_be_ha(const struct mobd *d, const struct mn *m, const struct in6_addr *a);
void mn_not_ha(struct mn *m, const struct in6_addr *a);

/* mn-multi.c: registration with several home agents */
/* the home agents of the MHA option, the one in use first: their count */
size_t mn_multi_list(struct mobd *d, struct in6_addr *out, size_t max);
/* before a registration with the home agent in use: the others chosen (from
 * the DHAAD list, or a new DHAAD), so that its MHA option lists them all */
void mn_multi_choose(struct mobd *d);
/* (re)register with the other home agents */
void mn_multi_register(struct mobd *d);
/* a BA from one of them: true if so */
bool mn_multi_ba(struct mobd *d, const struct mobd_pkt *p);
/* is a a home agent this node is registered with (in use or not)? */
bool mn_multi_ours(struct mobd *d, const struct in6_addr *a);
void mn_multi_home(struct mobd *d);
void mn_multi_hau(struct mobd *d, const struct mk_icmp6 *r, const struct in6_addr *src);
void mn_multi_stop(struct mobd *d);
void mn_multi_show(struct mobd *d, bool json, FILE *f);

/* mn-ro.c */
/* a packet from cn reached us through the home agent's tunnel: start
 * route optimization with it if the policy says so */
void mn_ro_seen(struct mobd *d, const struct in6_addr *cn);
/* an MH for route optimization (HoT, CoT, BA or BE from a correspondent,
 * BRR), direct or (tunnelled) from inside the tunnel: true if it was one */
bool mn_ro_mh(struct mobd *d, const struct mobd_pkt *p, bool tunnelled);
/* an ICMPv6 error quoting a HoTI, CoTI or BU to a correspondent: true if so */
bool mn_ro_icmp(struct mobd *d, const struct mk_icmp6 *r, const struct in6_addr *src);
/* a packet with a type 2 routing header to the care-of address: to the kernel as to the
 * home address; true if it was one (taken or dropped) */
bool mn_ro_rh2(struct mobd *d, const struct mobd_pkt *p);
/* what an application sends from the home address to dst: sent direct with
 * the Home Address option when bound with dst; false: the tunnel's */
bool mn_ro_out(struct mobd *d, const uint8_t *pkt, size_t len, const struct mk_ip6 *ih);
/* the node moved (away: the new care-of address is in m->coa; home) */
void mn_ro_moved(struct mobd *d, bool home);
/* the home agent accepted the registration from a new care-of address */
void mn_ro_ha_bound(struct mobd *d);
void mn_ro_stop(struct mobd *d);
void mn_ro_show(struct mobd *d, bool json, FILE *f, bool first);
/* configuration: route-optimization never | always | PREFIX... */
void mn_ro_conf(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		struct mobd_conf *c);
void mn_ro_conf_print(const struct mobd_conf *c, FILE *f);
/* configuration: mn-dns-answer rr | shortcut */
void mn_ro_dns_conf(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		    struct mobd_conf *c);

#endif
