/* stack/roles/ha.h: the home agent's state, shared by home-agent.c (RFC
 * 6275 9.5, 10) and ha-multi.c (the multiple-home-agent paper, seeds/003:
 * bindings that list several home agents, watching the peers, Home Agent
 * Unreachable and taking over). */
#ifndef MOBD_HA_H
#define MOBD_HA_H

#include "stack/core/core.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"

struct halist {
	struct in6_addr addr;
	unsigned pref;
	uint64_t expires;      /* 0: configured (never) */
	bool self;
};

/* a home agent some binding lists beside this one (ha-multi.c) */
#define HA_PEERS_MAX 15
struct hapeer {
	struct in6_addr addr;
	bool self;             /* this home agent (never probed) */
	bool dead;
	bool asked;            /* a probe is out, unanswered */
	unsigned misses;
	uint64_t last_seen;    /* monotonic ns of its last answer */
};

/* HA Reliability (ha-rel.c): this home agent's part in a redundant pair */
enum { HAREL_OFF, HAREL_ACTIVE, HAREL_STANDBY };
struct harel {
	unsigned role;         /* HAREL_*: the configured one, then the one in force */
	bool peer_heard;       /* a HARP message from the peer since the last silence */
	bool seq_valid;
	uint16_t seq_tx, seq_rx, ss_id;
	uint64_t last_heard;   /* monotonic ns of the peer's last HA-HELLO */
	uint64_t active_at;    /* monotonic ns this standby became active, 0: not */
	unsigned switch_tries; /* Home Agent Switch transmissions left to retry */
	struct mobd_timer hello, dead, retry;
};

struct ha {
	struct mobd_bc bc;
	struct in6_addr addr, anycast;
	struct halist list[MOBD_MAX_HAS + 1];
	unsigned n_list;
	struct mobd_timer sweep;
	char old_fwd[8];
	/* kernel state in batches (ha_kernel_binding): the home addresses' set
	 * elements queued this loop turn sent by kernel_flush; stopping: no
	 * more (the set goes with the table); tx_flush sends the tunnelled
	 * packets queued (io_send_queue) */
	struct mobd_timer kernel_flush, tx_flush;
	bool stopping;
	int ns_fd;             /* Neighbor Solicitations on the home link (ha_ns) */
	/* multiple home agents: the peers the bindings list, and per binding
	 * (by pool index) its list in the mobile node's order, a peer index + 1
	 * per nibble, the first nibble the home agent the mobile node uses (0:
	 * a binding without the MHA option) */
	struct hapeer peer[HA_PEERS_MAX];
	unsigned n_peer;
	uint32_t *mha;
	struct mobd_timer probe;
	uint16_t probe_id, probe_seq;
	struct harel rel;
	struct ha_dad *dad;    /* Duplicate Address Detection in progress (ha-dad.c) */
	/* the per-BU binding lines (made, moved, deregistered): at most
	 * HA_LOG_BINDINGS a second, the rest counted (log_suppressed) */
	struct mobd_logrl binding_log;
	struct {
		uint64_t bu_rx, bu_accepted, bu_dereg, ba_tx, be_tx, pp_tx, bad_cksum, malformed,
			ignored, auth_fail, expired, tun_in, tun_in_bytes, tun_out, tun_out_bytes,
			tun_nobinding, rev_nobinding, dhaad_rx, dhaad_tx, ra_rx, ra_bad_addr, send_fail,
			kernel_fail;
		/* home addresses in the nftables set (added less removed, failures
		 * undone); packets to one dropped: hop limit out, longer than the
		 * tunnel's MTU (ICMPv6 Time Exceeded, Packet Too Big) */
		uint64_t kernel_hoas, fwd_hlim, fwd_too_big;
		/* Neighbor Solicitations seen (home link, TUN), answered for home addresses */
		uint64_t ns_rx, na_tx;
		/* multiple home agents */
		uint64_t mha_bu, mha_backup, probe_tx, probe_rx, peer_dead, peer_back, hau_tx,
			takeover, mha_full;
		/* HA Reliability */
		uint64_t harp_hello_tx, harp_hello_rx, harp_refused, harp_stale, ss_tx, ss_rx, ss_ack_tx,
			ss_ack_rx, ss_synced, ss_refused, switchover, has_tx, has_retx, bu_standby;
		/* Duplicate Address Detection (ha-dad.c) */
		uint64_t dad_started, dad_passed, dad_dup, dad_merged, dad_stale, dad_cancelled,
			dad_full, dad_ns_tx;
		uint64_t ba[256];
	} cnt;
};

/* 100 a second: an operator still reads each registration of a few mobile
 * nodes; a flood (300k BU/s in make bench) costs one line a second */
#define HA_LOG_BINDINGS 100

#define HA(d) ((struct ha *)(d)->rs[MOBD_R_HA])

/* a home registration as on_bu checked it: what binding it (or refusing
 * it) needs, kept while Duplicate Address Detection runs */
struct ha_bu {
	struct mk_ip6 ih;            /* its IPv6 header (the BA goes to its source) */
	struct in6_addr hoa, coa;
	const struct mobd_key *key;  /* in d->c.keys, or NULL */
	uint64_t ts;                 /* its RFC 4285 timestamp (has_ts) */
	uint32_t life;               /* seconds asked */
	uint16_t seq, flags;
	bool has_ts;
};
/* home-agent.c: bind it, BA 0 when it asks (A flag); or, with status >= 128,
 * refuse it with that BA.  m: the BU (its MHA option), NULL when refused */
void ha_bu_finish(struct mobd *d, const struct ha_bu *b, const struct mk_mh *m, uint8_t status);

/* ha-multi.c */
int ha_multi_start(struct mobd *d, char *err, size_t errlen);
void ha_multi_stop(struct mobd *d);
/* an accepted BU: its MHA list recorded; returns true when this home agent
 * is a backup for it (listed, not first): then no kernel state */
bool ha_multi_bu(struct mobd *d, struct mobd_bce *e, const struct mk_mh *m);
/* does the binding use this home agent (no MHA list, or listed first)? */
bool ha_multi_active(struct mobd *d, const struct mobd_bce *e);
void ha_multi_forget(struct mobd *d, const struct mobd_bce *e);
/* an ICMPv6 Echo Reply: a peer's answer; true if it was one */
bool ha_multi_icmp(struct mobd *d, const uint8_t *buf, size_t len, const struct in6_addr *src);
void ha_multi_show(struct mobd *d, const struct mobd_bce *e, FILE *f);
/* home-agent.c: a binding's kernel state (route into the TUN, NA; no proxy
 * entry).  NOTE for the merge with DAD at the home agent: mobd itself
 * answers the Neighbor Solicitations for the home addresses it holds
 * (ha_ns in home-agent.c, on a packet socket that skips outgoing frames,
 * so a DAD NS the home agent sends is not answered by itself); a binding
 * that does not exist yet (a new home registration under DAD) is not
 * answered for, so another node's NA to that DAD is the only answer. */
void ha_kernel_binding(struct mobd *d, const struct mobd_bce *e, bool add);
/* home-agent.c: a binding goes (its kernel state, then its entry) */
void ha_binding_del(struct mobd *d, struct mobd_bce *e);

/* ha-dad.c: Duplicate Address Detection (RFC 6275 10.3.1, RFC 4862 5.4) */
int ha_dad_start(struct mobd *d, char *err, size_t errlen);
void ha_dad_stop(struct mobd *d);
/* a home registration for a home address without a binding (pkt: the BU's
 * packet, len octets): true when ha-dad.c took it (DAD started, a BU for
 * an address already in DAD, or refused: too many at once); false when it
 * is bound now (ha-dad no, a backup registration, a deregistration, which
 * also ends a DAD in progress for its address) */
bool ha_dad_bu(struct mobd *d, const struct ha_bu *b, const struct mk_mh *m, const uint8_t *pkt,
	       size_t len);
/* an ICMPv6 message: true if it was a Neighbor Solicitation or
 * Advertisement (an answer to a DAD in progress makes it fail) */
bool ha_dad_icmp(struct mobd *d, const uint8_t *buf, size_t len, const struct in6_addr *src);

/* ha-rel.c: HA Reliability, hard switch (draft-ietf-mip6-hareliability-06) */
int ha_rel_start(struct mobd *d, char *err, size_t errlen);
void ha_rel_stop(struct mobd *d);
/* a standby: it keeps bindings, holds no kernel state, refuses BUs */
bool ha_rel_standby(struct mobd *d);
/* a binding was made, refreshed or (lifetime 0: before it goes) deleted
 * here: State Sync to the standby */
void ha_rel_changed(struct mobd *d, struct mobd_bce *e, bool gone);
/* a HARP or State Sync message to this home agent (checksum checked) */
void ha_rel_mh(struct mobd *d, const struct mobd_pkt *p);
/* "off", "active", "standby" or "active (switched over)" */
const char *ha_rel_state(struct mobd *d);
/* configuration: ha-reliability active|standby; the whole file; printing */
void ha_rel_conf_mode(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		      struct mobd_conf *c);
void ha_rel_conf_check(struct mobd_conf_ctx *x, struct mobd_conf *c);
void ha_rel_conf_print(const struct mobd_conf *c, FILE *f);

#endif
