/* stack/core/core.h: what every role of mobd shares (the core: a library,
 * no main; stack/mobd links it with the roles of stack/roles).
 *
 * One process, one epoll loop, no threads; one or more roles (the config's
 * role line), each a const struct mobd_role of hooks.  What the kernel
 * cannot do here (it has no CONFIG_IPV6_MIP6 and no ip6 tunnel driver) mobd
 * does in user space:
 *
 *   receive  libpcap on the interface, inbound only, for packets whose first
 *            Next Header is 41 (IPv6-in-IPv6), 43 (routing header: RH2),
 *            60 (Destination Options: Home Address option) or 135 (Mobility
 *            Header); a home agent with kernel-state yes also takes what
 *            is addressed into its home prefix (cap_filter).  An nftables
 *            table (netdev mobd_<pid>, the interface's ingress hook) drops
 *            the same packets, so the kernel never sees them and never
 *            answers Parameter Problem, and, in its set "hoas", the home
 *            addresses a home agent holds (nft_hoa_*): what the home link
 *            brings for them mobd tunnels; the capture (ETH_P_ALL) sees
 *            frames before that hook, so mobd still does.
 *   send     one IPPROTO_RAW socket (lib/net/raw6): whole packets with the
 *            RH2, Home Address option or outer tunnel header mobd built;
 *            while a capture batch is handled they are queued and sent
 *            with sendmmsg, those to a next hop nexthop.c knows on an
 *            AF_PACKET socket with their Ethernet header (io.c).
 *   ICMPv6   one raw ICMPv6 socket: DHAAD, RAs (home agent list),
 *            unsolicited Neighbor Advertisements, and the solicited ones
 *            with which a home agent answers the Neighbor Solicitations
 *            for the home addresses it holds (io_send_na_to): it reads
 *            those on a packet socket of its own (home-agent.c, ha_ns;
 *            its own outgoing NSs, a DAD of its own included, are not
 *            read); the kernel holds no proxy entries.
 *   TUN      mip6 device: the home agent writes the reverse tunnel's
 *            packets into it (no route per binding: the set above; it
 *            tunnels what the kernel routes there for a bound address);
 *            the mobile node holds its home address on it while away and
 *            routes everything sourced from that address into it.
 *   netlink  libmnl: addresses, routes, rules, proxy neighbours (leftovers);
 *            nf_tables batches for the home addresses' set (nft.c); the
 *            mobile node also listens for address and route changes
 *            (movement).
 */
#ifndef MOBD_CORE_H
#define MOBD_CORE_H

#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "net/raw6.h"
#include "util/fmt.h"
#include "wire/codepoints.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"

#define MOBD_MAX_KEYS 64
#define MOBD_MAX_HAS  16
#define MOBD_PKT_MAX  2048
#define MOBD_MAX_BU_IFACES 4

/* RFC 6275 13 (protocol constants) and 12 (configuration variables) */
#define MOBD_INITIAL_BINDACK_TIMEOUT_MS   1000  /* INITIAL_BINDACK_TIMEOUT */
#define MOBD_MAX_BINDACK_TIMEOUT_MS       32000 /* MAX_BINDACK_TIMEOUT */
#define MOBD_INITIAL_FIRSTREG_TIMEOUT_MS  1500  /* InitialBindackTimeoutFirstReg default */
#define MOBD_DHAAD_RETRIES                4     /* DHAAD_RETRIES */
#define MOBD_INITIAL_DHAAD_TIMEOUT_MS     3000  /* INITIAL_DHAAD_TIMEOUT */
#define MOBD_MAX_BINDING_LIFETIME_S       262140
#define MOBD_MAX_NONCE_LIFETIME_S         240   /* MAX_NONCE_LIFETIME */
#define MOBD_MAX_TOKEN_LIFETIME_S         210   /* MAX_TOKEN_LIFETIME */
#define MOBD_MAX_RR_BINDING_LIFETIME_S    420   /* MAX_RR_BINDING_LIFETIME */
#define MOBD_RETRANS_TIMER_MS             1000  /* RFC 4861 10 RETRANS_TIMER: the DAD wait (RFC 4862 5.4) */
/* RFC 6275 9.3.3 / 11.3.6: the rate of Binding Errors (and here of every
 * error answer: refusing BAs, Parameter Problems) MUST be limited; the
 * RFC names no figure.  A token bucket: error-rate per second, error-burst
 * at once. */
#define MOBD_ERR_RATE  100
#define MOBD_ERR_BURST 100


/* ---- roles: ids are slots in struct mobd; bits in masks ---- */
enum { MOBD_R_HA, MOBD_R_MN, MOBD_R_CN, MOBD_R_DU, MOBD_R_MIG, MOBD_N_ROLES };
#define MOBD_RB(id) (1u << (id))

struct mobd_key {
	bool any;                 /* "mn-key * SPI KEY": every home address */
	struct in6_addr hoa;
	uint32_t spi;
	uint8_t key[64];
	size_t keylen;
};

/* the DNS updater (stack/roles/dns-updater.c): the CAAAA of name in zone at
 * server#port, signed with the TSIG key file or the SIG(0) K*.key (K*.private
 * beside it), TTL ttl; tries sends, the first wait timeout_ms, doubled each
 * time; REFUSED, NOTAUTH and the TSIG errors retried or not (retry_refused) */
#define MOBD_DU_IFACES 4
#define MOBD_DU_SRVS 4
struct mobd_du_conf {
	struct in6_addr server;
	unsigned port;
	char zone[256], name[256];
	char tsig_path[256], sig0_path[256];
	unsigned ttl, timeout_ms, tries;
	bool retry_refused;
	bool aaaa;                       /* dns-record aaaa: the AAAA rrset, not the CAAAA */
	/* dns-record addrs (issue 17): the AAAA rrset = every usable global address
	 * of the dns-interface interfaces (default: interface), and an SRV record
	 * per dns-srv line pointing at name */
	bool addrs;
	char ifaces[MOBD_DU_IFACES][32];
	unsigned n_ifaces;
	unsigned hold_empty_ms;          /* dns-hold-empty: keep the rrset this long through no usable address */
	struct mobd_du_srv {
		char owner[256];         /* _service._proto.NAME, absolute */
		char label[64];          /* _service._proto, as configured */
		unsigned port, priority, weight;
	} srv[MOBD_DU_SRVS];
	unsigned n_srv;
};

/* the TCP Migrate shim (stack/roles/migrate.c): the curve it offers on its
 * SYNs (0: the insecure variant, else MIG_CURVE_*), the NFQUEUE number of
 * the handshake packets, how long a connection stays in MIGRATE-WAIT after
 * a RST, ms; kick: inject duplicate ACKs into the kernel after a migration */
struct mobd_mig_conf {
	unsigned curve;
	unsigned queue;
	unsigned wait_ms;
	bool kick;
};

struct mobd_conf {
	unsigned roles;                  /* MOBD_RB() of each configured role */
	char iface[32];
	char tun[16];
	char ctl_path[108];
	struct in6_addr home_prefix;     /* /64 */
	unsigned home_plen;
	bool has_prefix;
	struct in6_addr addr;            /* HA: own address (default: iface's in the prefix) */
	bool has_addr;
	/* home agent */
	unsigned max_bindings;
	unsigned max_lifetime;           /* seconds */
	unsigned refresh;                /* BRA interval granted, seconds (0: none) */
	unsigned preference;             /* own DHAAD preference */
	unsigned replay_window;          /* RFC 4285 timestamp window, seconds */
	bool require_auth;
	bool require_auth_set;           /* given in the file (else: yes if mn-key lines) */
	bool kernel_state;               /* a home address set element per binding (nft.c) */
	/* ha-bu-iface: further interfaces (a router's uplinks) on which the home
	 * agent takes what is addressed to it and intercepts what comes for a
	 * bound home address (home-agent.c, bu_ifaces_open) */
	char bu_iface[MOBD_MAX_BU_IFACES][16];
	unsigned n_bu_iface;
	/* RFC 6275 10.3.1: Duplicate Address Detection on the home link before
	 * the first registration of a home address (ha-dad.c); its wait, ms
	 * (RFC 4862 RetransTimer, scaled by time-scale) */
	bool ha_dad;
	unsigned ha_dad_ms;
	struct in6_addr peers[MOBD_MAX_HAS];  /* configured other home agents */
	unsigned peer_pref[MOBD_MAX_HAS];
	unsigned n_peers;
	struct in6_addr deny[MOBD_MAX_HAS];   /* mn-deny: refused with status 129 */
	unsigned deny_plen[MOBD_MAX_HAS];
	unsigned n_deny;
	struct mobd_key keys[MOBD_MAX_KEYS];
	unsigned n_keys;
	/* mobile node */
	struct in6_addr hoa;
	bool has_hoa;                    /* else learned at start from the home link */
	struct in6_addr ha;
	bool has_ha;                     /* else DHAAD */
	unsigned lifetime;               /* requested, seconds */
	unsigned firstreg_ms;            /* InitialBindackTimeoutFirstReg */
	uint32_t spi;
	uint8_t key[64];
	size_t keylen;
	/* route optimization with correspondents (RFC 6275 11.6-11.7):
	 * ro_mode MN_RO_NEVER, _ALWAYS or _PREFIX (the correspondents inside
	 * ro_prefix[]) */
	unsigned ro_mode;
	struct in6_addr ro_prefix[8];
	unsigned ro_plen[8];
	unsigned n_ro_prefix;
	/* a packet with an RH2 from a correspondent without a binding (it
	 * learnt the care-of address from DNS): MN_DNS_RR answers through the
	 * tunnel until return routability and the BU are done (RFC 6275),
	 * MN_DNS_SHORTCUT at once, direct, and sends an RR-less BU, MN_DNS_OFF
	 * starts nothing (mn-ro.c) */
	unsigned mn_dns_answer;
	/* correspondent (RFC 6275 5.2, 9) */
	unsigned nonce_lifetime;         /* seconds a nonce is accepted (MAX_NONCE_LIFETIME) */
	unsigned nonce_interval;         /* seconds between nonces */
	unsigned kcn_lifetime;           /* seconds between Kcn regenerations */
	unsigned cn_max_bindings;
	unsigned cn_max_lifetime;        /* seconds, at most MAX_RR_BINDING_LIFETIME */
	unsigned cn_brr;                 /* a Binding Refresh Request this many seconds before expiry, 0: none */
	/* bindings learnt from DNS (mobctl cn-bind, issue 15): their longest
	 * lifetime, seconds; how long the first packet sent on one waits for an
	 * answer from the care-of address before the binding goes, ms (0: for
	 * ever) */
	unsigned cn_dns_max_lifetime;
	unsigned cn_dns_probe_ms;
	/* multiple home agents (seeds/003): the home agent probes its peers every
	 * probe_ms and declares one dead after probe_misses unanswered probes;
	 * the mobile node registers with mn_has home agents (1: plain RFC 6275) */
	unsigned probe_ms, probe_misses;
	unsigned mn_has;
	/* HA Reliability (draft-ietf-mip6-hareliability-06, hard switch; ha-rel.c):
	 * harel 0 off, 1 active, 2 standby; the other home agent; HA-HELLO
	 * every hello_ms; the standby declares the active dead after dead_ms
	 * without one */
	unsigned harel;
	struct in6_addr harel_peer;
	bool has_harel_peer;
	unsigned hello_ms, dead_ms;
	struct mk_codepoints cp;
	unsigned mtu;                    /* TUN MTU */
	unsigned err_rate;               /* error answers per second, 0: no limit */
	unsigned err_burst;
	/* RFC 6275 timers (BA and DHAAD timeouts) divided by this, so a campaign
	 * can run them compressed: "times scaled by S" */
	unsigned time_scale;
	struct mobd_du_conf du;          /* DNS updater */
	struct mobd_mig_conf mig;        /* TCP Migrate shim */
};

/* ---- the loop (ev.c): epoll for descriptors, one timerfd for timers ---- */
typedef void (*mobd_fd_cb)(void *arg, uint32_t events);
typedef void (*mobd_timer_cb)(void *arg);

struct mobd_timer {
	uint64_t due;                    /* CLOCK_MONOTONIC ns, 0: not armed */
	mobd_timer_cb cb;
	void *arg;
	struct mobd_timer *next;         /* the loop's list of armed timers */
	bool linked;
};

int ev_init(void);
void ev_fini(void);
/* watch fd for EPOLLIN; ev_mod changes the events (EPOLLIN, EPOLLOUT) */
int ev_add(int fd, mobd_fd_cb cb, void *arg);
int ev_mod(int fd, uint32_t events);
void ev_del(int fd);
void ev_timer_arm(struct mobd_timer *t, uint64_t after_ms);
void ev_timer_stop(struct mobd_timer *t);
/* runs until *stop; returns 0, or -1 on a loop error */
int ev_run(volatile int *stop);
/* one wait of at most timeout_ms and what it found: for tests */
int ev_run_once(int timeout_ms);
uint64_t now_ns(void);
uint64_t now_real_ntp(void);         /* RFC 4285 timestamp: NTP seconds.fraction */

/* ---- logging (log.c), the OpenBSD way: syslog (daemon facility) unless
 * foreground, then stderr; every line names the role and, while a packet
 * is handled, its peer ---- */
void log_init(bool foreground, bool verbose);
bool log_verbose(void);
void log_role(const char *name);            /* NULL: "mobd" */
const char *log_role_name(void);             /* the one in force */
void log_peer(const struct in6_addr *peer); /* NULL: none */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));  /* + strerror(errno) */
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* -v only */
/* lines that can come once per packet (a binding made or moved, one per BU):
 * log_rl_allow says whether this one may be written, at most per_sec a
 * second; the ones held back are counted (suppressed, exact) and said in one
 * "N more WHAT lines suppressed" line with the first allowed line of a later
 * second or at log_rl_flush (call it once a second from a timer).  At 300k
 * BU/s one info line per BU was 13-18% of the home agent's CPU (vfprintf
 * and a write(2) each). */
struct mobd_logrl {
	const char *what;                /* "binding" */
	unsigned per_sec;
	uint64_t sec;                    /* the monotonic second counted in n */
	unsigned n;
	uint64_t held;                   /* suppressed, not said yet */
	uint64_t suppressed;             /* all suppressed */
};
bool log_rl_allow(struct mobd_logrl *rl);
void log_rl_flush(struct mobd_logrl *rl);
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- configuration (conf.c): one table of keywords per role and one of
 * the keywords every role takes ---- */
struct mobd_conf_ctx;
struct mobd_kw {
	const char *name;
	bool multi;                      /* may repeat */
	void (*parse)(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		      struct mobd_conf *c);
	size_t field;                    /* offsetof(struct mobd_conf, ...) for the parse */
	size_t flag;                     /* offsetof a bool set when given; 0: none */
	unsigned long lo, hi;            /* a number's range; a string's longest length in hi */
	const char *unit;                /* said after a number's range; a string's noun */
};
/* the generic parsers: a number (unsigned), yes/no (bool), an IPv6 address,
 * a prefix without host bits, a string of at most hi characters */
void conf_p_num(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n, struct mobd_conf *c);
void conf_p_bool(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n, struct mobd_conf *c);
void conf_p_addr(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n, struct mobd_conf *c);
void conf_p_prefix(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n, struct mobd_conf *c);
void conf_p_str(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n, struct mobd_conf *c);
/* for a role's own parsers and checks: an error at the current line, an
 * error of the whole file, the value count, the pieces */
void conf_err(struct mobd_conf_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void conf_bad(struct mobd_conf_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool conf_need(struct mobd_conf_ctx *x, char **w, int n, int cnt);
const char *conf_path(const struct mobd_conf_ctx *x);
unsigned conf_seen(const struct mobd_conf_ctx *x, const char *name); /* first line, 0: absent */
int conf_num(const char *s, unsigned long lo, unsigned long hi, unsigned long *out);
int conf_hexkey(const char *s, uint8_t *out, size_t cap, size_t *len);
bool conf_net_prefix(struct mobd_conf_ctx *x, const char *key, const char *s, struct in6_addr *p,
		     unsigned *plen);

struct mobd_role;
/* 0, or the number of errors, each written to errf as one "mobd: " line;
 * roles[] are the roles the daemon knows (their names, keywords, checks) */
int conf_load(const char *path, struct mobd_conf *c, FILE *errf,
	      const struct mobd_role *const *roles, size_t n_roles);
void conf_print(const struct mobd_conf *c, FILE *f, const struct mobd_role *const *roles,
		size_t n_roles);
const struct mobd_key *conf_key_for(const struct mobd_conf *c, const struct in6_addr *hoa);
bool in_prefix(const struct in6_addr *a, const struct in6_addr *p, unsigned plen);
/* the Home-Agents anycast address of a /64 home prefix */
void ha_anycast(const struct in6_addr *prefix, struct in6_addr *out);

/* ---- system: io.c (open, close, send), netlink.c, tun.c, nft.c, capture.c ---- */
struct mobd_io {
	int ifindex;
	uint8_t mac[6];
	struct in6_addr lladdr;
	int tun_fd;
	int tun_ifindex;
	pcap_t *pcap;
	int pcap_fd;
	struct mk_raw6 raw;
	/* a home agent with ha-bu-iface: a raw socket bound to no interface, for
	 * what goes off the home link (io_send_any); fd -1: none, all on raw */
	struct mk_raw6 raw_any;
	/* ha-bu-iface: a capture on each further interface (cap_open_also) */
	pcap_t *xpcap[MOBD_MAX_BU_IFACES];
	int xpcap_fd[MOBD_MAX_BU_IFACES];
	unsigned n_xpcap;
	int pkt_fd;                      /* AF_PACKET: batched packets with a known next hop */
	int icmp_fd;
	char nft_table[32];
	bool nft_on;
	bool others_alive;               /* another live mobd has a table here */
	/* batched sending (io_batch_begin): sendmmsg calls, packets that went,
	 * packets the kernel refused (no caller hears of those) */
	uint64_t tx_batches, tx_batched, tx_batch_fail;
	uint64_t tx_direct;              /* of tx_batched: on pkt_fd, Ethernet header and all */
};

int sys_open(struct mobd_io *io, const struct mobd_conf *c, char *err, size_t errlen);
void sys_close(struct mobd_io *io, const struct mobd_conf *c);
int sys_sysctl(const char *path, const char *value);
/* netlink: 0 or -errno */
int nl_open(void);
int nl_addr(bool add, int ifindex, const struct in6_addr *a, unsigned plen, bool nodad);
int nl_route(bool add, int ifindex, const struct in6_addr *dst, unsigned plen, unsigned table,
	     unsigned metric);
int nl_rule(bool add, const struct in6_addr *from, unsigned table, unsigned prio);
int nl_proxy(bool add, int ifindex, const struct in6_addr *a);
/* proxy neighbour entries on ifindex inside p/plen: returns the count (<= max) */
int nl_proxies(int ifindex, const struct in6_addr *p, unsigned plen, struct in6_addr *out, int max);
/* global, usable addresses on ifindex: returns the count (<= max) */
int nl_addrs(int ifindex, struct in6_addr *out, int max);
/* the same, leaving out the addresses with any of the IFA_F_* flags skip */
int nl_addrs_skip(int ifindex, uint32_t skip, struct in6_addr *out, int max);
/* the first of them inside p/plen: 0, or -1 if none */
int nl_addr_in_prefix(int ifindex, const struct in6_addr *p, unsigned plen, struct in6_addr *out);
/* a netlink socket subscribed to IPv6 address and route changes */
int nl_monitor_open(void);
/* read what is queued; returns 1 if something about ifindex changed (an
 * address of any interface, and no route, when ifindex is 0) */
int nl_monitor_read(int fd, int ifindex);
/* TUN and the link */
int tun_open(const char *name, int *ifindex, char *err, size_t errlen);
int link_up(const char *name, unsigned mtu);
int link_info(const char *name, uint8_t mac[6], struct in6_addr *ll);
/* nftables */
int nft_run(const char *cmd, char *err, size_t errlen);
/* the home agent's set of home addresses in the table (kernel-state yes;
 * nft.c says how): nft_hoa_open adds the set and its drop rule; nft_hoa
 * queues an element to add or delete (a full queue is sent at once),
 * nft_hoa_flush sends what is queued; both return the failures, each
 * handed to fail (may be NULL) with the element and -errno */
typedef void (*nft_fail_cb)(void *arg, bool add, const struct in6_addr *a, int err);
int nft_hoa_open(struct mobd_io *io, unsigned size, char *err, size_t errlen);
void nft_hoa_close(void);
int nft_hoa(bool add, const struct in6_addr *a, nft_fail_cb fail, void *arg);
unsigned nft_hoa_queued(void);
int nft_hoa_flush(nft_fail_cb fail, void *arg);
void nft_leftovers(bool *others);
int nft_open(struct mobd_io *io, const char *iface, char *err, size_t errlen);
void nft_close(struct mobd_io *io);
/* ha-bu-iface: a chain at iface's ingress in the table that drops Mobility
 * Header, HAO, RH2 and tunnel packets to self only (a router forwards
 * others'), and with hoas what goes to a home address in the set; iface
 * NULL: the home link's chain made so, its rules replaced */
int nft_also(struct mobd_io *io, const char *iface, const struct in6_addr *self, bool hoas,
	     char *err, size_t errlen);
/* a raw socket bound to no interface for what leaves by another one than
 * the home link (io.c: io_send and the batches use it for every
 * destination that is not link-local or multicast) */
int io_raw_any(struct mobd_io *io, char *err, size_t errlen);
/* capture: open, close, and a batch of at most max frames to the intake */
/* what every capture takes: the first Next Header 41, 43, 60 or 135 */
#define MOBD_CAP_BASE "ip6[6] == 41 or ip6[6] == 43 or ip6[6] == 60 or ip6[6] == 135"
int cap_open(struct mobd_io *io, const char *iface, char *err, size_t errlen);
int cap_filter(struct mobd_io *io, const char *also, char *err, size_t errlen);
void cap_close(struct mobd_io *io);
struct mobd;
int cap_dispatch(struct mobd *d, int max);
/* ha-bu-iface: a capture on a further interface, inbound, with the pcap
 * expression filter alone; cap_dispatch_also runs a batch of each.
 * cap_close closes them too */
int cap_open_also(struct mobd_io *io, const char *iface, const char *filter, char *err,
		  size_t errlen);
void cap_dispatch_also(struct mobd *d, int max);
/* nexthop.c: the Ethernet address for a packet from src to dst out of
 * ifindex, from the kernel's route and neighbour tables, cached 1 s;
 * false: let the kernel route it.  nh_flush empties the cache. */
bool nh_mac(int ifindex, const struct in6_addr *src, const struct in6_addr *dst, uint8_t mac[6]);
void nh_flush(void);
/* frames the capture ring had no room for (pcap_stats ps_drop), since the open */
uint64_t cap_drops(struct mobd_io *io);
/* send one whole IPv6 packet (raw IPPROTO_RAW socket); 0, or -1 when the
 * kernel refused it.  Between io_batch_begin and io_batch_end it is queued
 * instead (0 at once; a refusal later counts in tx_batch_fail) and the
 * queue goes with sendmmsg(2) when full and at io_batch_end: the capture
 * brackets each pcap batch with them, so every BA (or any packet) a role
 * sends while handling captured packets is batched.  Nesting is allowed;
 * the outermost end flushes.  Use it around any loop that sends many
 * packets from one wakeup; never leave a begin without its end. */
/* Inside a batch a packet whose next hop's Ethernet address nexthop.c
 * knows (a REACHABLE neighbour, the route out of the interface) goes on
 * an AF_PACKET socket instead: no route lookup per packet (tx_direct). */
void io_batch_begin(struct mobd_io *io);
void io_batch_end(struct mobd_io *io);
/* send one whole IPv6 packet; counts failures */
int io_send(struct mobd_io *io, const uint8_t *pkt, size_t len);
/* an unsolicited NA for target with our MAC (override), to all-nodes */
int io_send_na(struct mobd_io *io, const struct in6_addr *target, bool router);
/* a Neighbor Advertisement for target with our MAC to `to` (NULL:
 * all-nodes), flags the R, S, O bits as in the message (0x80, 0x40, 0x20) */
int io_send_na_to(struct mobd_io *io, const struct in6_addr *to, const struct in6_addr *target,
		  uint8_t flags);
/* tunnelled packets in batches: one queued (copied; sent at once when the
 * batch is full), the queue sent with sendmmsg; io_send flushes it first,
 * so what mobd sends leaves in the order it was made */
int io_send_queue(struct mobd_io *io, const uint8_t *pkt, size_t len);
int io_send_flush(struct mobd_io *io);

/* ---- the intake (intake.c): a packet parsed once ---- */
struct mobd_pkt {
	const uint8_t *pkt;
	size_t len;
	bool chain_ok;                   /* the extension chain parsed */
	struct mk_ip6 ih;
	struct mk_ip6_chain c;
	/* with c.ulp == 135: the Mobility Header */
	const uint8_t *mh;
	size_t mhlen;
	int cksum;                       /* 0 right, 1 wrong, -1 not checkable (Header Len past the packet) */
	struct mk_status st;             /* mk_mh_parse's verdict */
	struct mk_mh m;                  /* what it parsed (st.err == MK_E_OK) */
};
/* parse pkt into *p (no I/O) */
void intake_parse(const uint8_t *pkt, size_t len, const struct mk_codepoints *cp, struct mobd_pkt *p);
/* parse, then hand to each role that asked: MH by type (on_mh), the rest
 * (tunnels) to on_ip */
void intake_packet(struct mobd *d, const uint8_t *pkt, size_t len);
/* the ICMPv6 socket and the TUN device, read in batches, to each role */
void intake_icmp6(struct mobd *d);
void intake_tun(struct mobd *d);

/* ---- messages (msg.c): every message the roles send, built with lib/wire ---- */
struct mk_mh;
int msg_send(struct mobd *d, const struct in6_addr *src, const struct in6_addr *dst,
	     const struct in6_addr *hao, const struct in6_addr *rh2, uint8_t ulp,
	     const uint8_t *payload, size_t plen);
/* RFC 4285 timestamp and MN-HA authentication options (the authenticator
 * zero, for mk_rr_mnha_fill) at opts[k]; returns the new count */
size_t msg_auth_opts(struct mk_mh *m, size_t k, uint32_t spi, uint64_t ts);
/* may an error answer (Binding Error, refusing BA, Parameter Problem) go
 * out now?  Counts it as sent or suppressed. */
bool err_allow(struct mobd *d);
/* Binding Update from coa to dst with a Home Address option (none at
 * home), authenticated with spi/key when keylen; with n_mha, the MHA flag and
 * the Multiple Home Agents option listing mha[]; 0, -1 build, -2 send */
int msg_bu(struct mobd *d, const struct in6_addr *coa, const struct in6_addr *dst,
	   const struct in6_addr *hoa, uint16_t seq, uint16_t flags, uint32_t lifetime_s,
	   uint32_t spi, const uint8_t *key, size_t keylen, const struct in6_addr *mha, size_t n_mha);
/* a Binding Update to a correspondent (RFC 6275 5.2.6, 11.7.2): from src (the
 * care-of address, or the home address at home) with a Home Address option
 * when they differ, A bit, Nonce Indices and the Binding Authorization Data
 * made with kbm; 0, -1 build, -2 send */
int msg_bu_rr(struct mobd *d, const struct in6_addr *src, const struct in6_addr *cn,
	      const struct in6_addr *hoa, uint16_t seq, uint32_t lifetime_s, uint16_t home_idx,
	      uint16_t careof_idx, const uint8_t kbm[20]);
int msg_ba(struct mobd *d, const struct in6_addr *src, const struct in6_addr *to,
	   const struct in6_addr *hoa, const struct in6_addr *coa, uint8_t status, uint16_t seq,
	   uint32_t lifetime_s, unsigned bra_s, const struct mobd_key *key, uint64_t ts);
/* Binding Error; 0, -1 build, -2 send */
int msg_be(struct mobd *d, const struct in6_addr *src, const struct in6_addr *to,
	   const struct in6_addr *hoa, uint8_t status);
/* the same through the rate limit (err_allow): 1 held back, else msg_be's
 * answer, counted in *tx when sent or tried, in *fail when the send failed */
int msg_be_limited(struct mobd *d, const struct in6_addr *src, const struct in6_addr *to,
		   const struct in6_addr *hoa, uint8_t status, uint64_t *tx, uint64_t *fail);
/* an ICMPv6 error (kind MK_ICMP6_K_*, code, the word after the checksum)
 * quoting pkt: 0, -1 if it cannot be built, -2 if the send failed */
int msg_icmp6_err(struct mobd *d, const struct in6_addr *src, const struct in6_addr *to,
		  unsigned kind, uint8_t code, uint32_t word, const uint8_t *pkt, size_t len);
/* ICMPv6 Parameter Problem code 0 pointing at pointer, quoting pkt */
int msg_pp(struct mobd *d, const struct in6_addr *src, const struct in6_addr *to,
	   const uint8_t *pkt, size_t len, uint32_t pointer);
/* Binding Refresh Request, HoTI/CoTI (type MK_MH_HOTI or _COTI) and HoT/CoT
 * (MK_MH_HOT or _COT) into buf: the MH's length, 0 if it cannot be built */
size_t msg_brr(const struct mk_codepoints *cp, uint8_t *buf, size_t cap);
size_t msg_testinit(const struct mk_codepoints *cp, uint8_t type, const uint8_t cookie[8],
		    uint8_t *buf, size_t cap);
size_t msg_test(const struct mk_codepoints *cp, uint8_t type, uint16_t nonce_idx,
		const uint8_t cookie[8], const uint8_t token[8], uint8_t *buf, size_t cap);
/* DHAAD request to the Home-Agents anycast address of prefix; reply */
int msg_dhaad_request(struct mobd *d, const struct in6_addr *src, const struct in6_addr *prefix,
		      uint16_t id);
int msg_dhaad_reply(struct mobd *d, const struct in6_addr *src, const struct in6_addr *to,
		    uint16_t id, const struct in6_addr *addrs, size_t n);
struct mk_ip6;
struct mk_ip6_chain;
/* the home address: the Home Address option's, or dflt without one */
void pkt_hoa(const uint8_t *pkt, const struct mk_ip6_chain *c, const struct in6_addr *dflt,
	     struct in6_addr *out);
/* IPv6-in-IPv6 (RFC 2473) from src to dst, sent; octets sent or -1 */
long msg_encap(struct mobd *d, const struct in6_addr *src, const struct in6_addr *dst,
	       const uint8_t *inner, size_t len);
/* the inner packet of a tunnelled one (upper layer 41 in c), parsed into
 * *in, its length in *il; NULL if it is not IPv6 */
const uint8_t *tun_inner(const uint8_t *pkt, const struct mk_ip6_chain *c, struct mk_ip6 *in,
			 size_t *il);
/* pkt without its extension header c->ext[idx] (a Home Address option's
 * Destination Options header, an RH2), the address at addr_off (8: source,
 * 24: destination) set to a, into out: its length, 0 if it does not fit */
size_t pkt_strip_ext(const uint8_t *pkt, const struct mk_ip6_chain *c, int idx, size_t addr_off,
		     const struct in6_addr *a, uint8_t *out, size_t cap);
/* hand a packet to the kernel through the TUN */
bool tun_write(struct mobd *d, const uint8_t *inner, size_t il);

/* ---- the binding cache (bc.c): a fixed pool of max entries allocated at
 * start (pages are touched only as entries are used) and a power-of-two
 * bucket array of 32-bit indexes; chains are linked through the pool.  It
 * never grows. ---- */
struct mobd_bce {
	struct in6_addr hoa, coa;
	uint64_t expires;      /* monotonic ns */
	uint64_t last_ts;      /* last accepted RFC 4285 timestamp */
	uint32_t next;         /* chain: pool index + 1, 0 ends */
	uint32_t granted;      /* seconds */
	uint16_t seq, flags;
	uint8_t used;
	uint8_t mark;          /* the role's own bits (correspondent: used, BRR sent) */
	uint8_t source;        /* MOBD_BCE_BU, or MOBD_BCE_DNS: a correspondent's binding learnt
	                        * from DNS (mobctl cn-bind), no return routability */
};
enum { MOBD_BCE_BU, MOBD_BCE_DNS };
struct mobd_bc {
	struct mobd_bce *pool;
	uint32_t *bucket;
	uint32_t mask;
	uint32_t free_head;    /* pool index + 1 of a freed entry, 0: none */
	uint32_t hwm;          /* entries ever used: the pool grows into its reserve */
	uint32_t n, max;
};
int bc_init(struct mobd_bc *bc, uint32_t max);
void bc_free(struct mobd_bc *bc);
struct mobd_bce *bc_find(const struct mobd_bc *bc, const struct in6_addr *hoa);
/* a new entry for hoa (not in the cache), zeroed; NULL when the pool is full */
struct mobd_bce *bc_new(struct mobd_bc *bc, const struct in6_addr *hoa);
void bc_del(struct mobd_bc *bc, struct mobd_bce *e);
/* an accepted BU recorded in e: the lifetime asked (*life, seconds) cut to
 * max and to what a BA can say without passing max (RFC 6275 9.5.1, 10.3.1);
 * the granted lifetime back in *life; true if the care-of address is new */
bool bc_accept(struct mobd_bce *e, bool fresh, const struct in6_addr *coa, uint16_t seq,
	       uint16_t flags, uint32_t *life, uint32_t max);
/* the entries, one line each, or a JSON array (mobctl bc) */
void bc_show(const struct mobd_bc *bc, bool json, FILE *f);
/* the entries expired at now, each logged and handed to gone (which deletes
 * it) or deleted; returns how many */
unsigned bc_expire(struct mobd_bc *bc, uint64_t now, void (*gone)(struct mobd *d, struct mobd_bce *e),
		   struct mobd *d);

/* RFC 6275 timers scaled (time-scale): ms / mobd_time_scale, at least 1 */
extern unsigned mobd_time_scale;
static inline unsigned mobd_t(unsigned ms)
{
	unsigned v = ms / (mobd_time_scale ? mobd_time_scale : 1);
	return v ? v : 1;
}

/* ---- the binding update list (bul.c): an entry per home agent and per
 * correspondent; RFC 6275 11.8 retransmission: the first registration
 * waits InitialBindackTimeoutFirstReg, later ones INITIAL_BINDACK_TIMEOUT,
 * each retransmission doubles the wait up to MAX_BINDACK_TIMEOUT; refresh
 * at 80% of the granted lifetime or at the Binding Refresh Advice interval,
 * whichever is first, never sooner than 1 s ---- */
#define MOBD_BUL_MAX 16
struct mobd_bule {
	struct in6_addr peer;            /* home agent or correspondent */
	bool used, home;                 /* home: the home registration */
	uint16_t seq;
	uint32_t granted, bra;           /* seconds */
	uint64_t bound_at, expires, sent_at; /* monotonic ns */
	unsigned timeout_ms, tries;
	uint8_t last_status;
};
struct mobd_bul {
	struct mobd_bule e[MOBD_BUL_MAX];
};
/* the home registration's entry (home) or peer's; made when create, with a
 * random first sequence number */
struct mobd_bule *bul_get(struct mobd_bul *l, const struct in6_addr *peer, bool home, bool create);
/* a (re)registration starts: tries 0, the first wait; returns it in ms */
unsigned bul_start(struct mobd_bule *e, bool first_reg, unsigned firstreg_ms);
/* the wait is at its longest: the peer stopped answering */
bool bul_exhausted(const struct mobd_bule *e);
/* one more retransmission: tries + 1, the wait doubled (capped); returns it */
unsigned bul_backoff(struct mobd_bule *e);
/* accepted with granted s and a refresh advice bra s (0: none) at now:
 * returns when to refresh, ms */
uint64_t bul_bound(struct mobd_bule *e, uint32_t granted, uint32_t bra, uint64_t now);

/* ---- roles (stack/roles/): a const table of hooks each ---- */
struct mobd_role {
	const char *name;                /* as on the role line: "home-agent" */
	const char *title;               /* in messages: "home agent" */
	unsigned id;                     /* MOBD_R_* */
	bool owns_tun;                   /* the TUN device is its own: no other such role beside it */
	uint32_t mh_types;               /* MH types (< 32) on_mh wants, a bit each */
	bool mh_all;                     /* every MH type */
	bool mh_errors;                  /* also MHs that do not parse (and bad extension chains) */
	const struct mobd_kw *kws;       /* its configuration keywords */
	size_t n_kws;
	void (*conf_check)(struct mobd_conf_ctx *x, struct mobd_conf *c); /* the whole file */
	void (*conf_print)(const struct mobd_conf *c, FILE *f);
	int (*start)(struct mobd *d, char *err, size_t errlen);
	void (*stop)(struct mobd *d);
	void (*on_mh)(struct mobd *d, const struct mobd_pkt *p);
	void (*on_ip)(struct mobd *d, const struct mobd_pkt *p); /* not MH: tunnels */
	void (*on_icmp6)(struct mobd *d, const uint8_t *buf, size_t len, const struct in6_addr *src,
			 const struct in6_addr *dst);
	void (*on_tun)(struct mobd *d, const uint8_t *pkt, size_t len);
	void (*show)(struct mobd *d, const char *what, bool json, FILE *f);
	/* its binding for hoa, or NULL: for another role's registration-type
	 * check (RFC 6275 9.5.1, status 139) */
	const struct mobd_bce *(*binding)(struct mobd *d, const struct in6_addr *hoa);
	/* the care-of address of the mobile node changed (coa; at_home: it came
	 * home, coa is the home address): mobd_coa_changed calls it */
	void (*on_coa)(struct mobd *d, const struct in6_addr *hoa, const struct in6_addr *coa,
		       bool at_home);
};

/* error answers sent and held back by the rate limit */
struct mobd_errlimit {
	uint64_t last;                   /* monotonic ns of the last refill */
	double tokens;
	uint64_t sent, suppressed;
};

struct mobd {
	struct mobd_conf c;
	struct mobd_io io;
	struct mobd_errlimit errlim;
	const struct mobd_role *roles[MOBD_N_ROLES]; /* the running ones, in start order */
	unsigned n_roles;
	void *rs[MOBD_N_ROLES];          /* each role's state, by id */
	/* the codepoints the intake parses with (intake.c), made from c.cp at
	 * the first packet */
	struct mk_codepoints cp_in;
	bool cp_in_made;
	volatile int stop;
};

/* the binding another running role (id) keeps for hoa, or NULL (intake.c) */
const struct mobd_bce *role_binding(struct mobd *d, unsigned id, const struct in6_addr *hoa);
/* the primary care-of address of hoa is now coa, or it came home (at_home,
 * coa = hoa): each running role's on_coa hook (intake.c); the mobile node
 * calls it */
void mobd_coa_changed(struct mobd *d, const struct in6_addr *hoa, const struct in6_addr *coa,
		      bool at_home);

/* ---- the control socket (ctl.c): non-blocking, a buffer per connection,
 * one command line "NAME [json] [ARGS...]" in, the answer out, then closed;
 * an answer to a command that changes state is "ok" or "error: REASON",
 * "error: usage: ..." when the arguments are wrong ---- */
struct mobd_cmd {
	const char *name;
	unsigned roles;                  /* MOBD_RB() of the roles it serves; 0: any */
	const char *help;
	/* args: the rest of the line after NAME and "json", its outer blanks
	 * removed ("" if none); bad ones are answered "error: usage: ..." */
	void (*fn)(struct mobd *d, const struct mobd_cmd *cmd, bool json, const char *args, FILE *f);
};
#define MOBD_CTL_MAX_CONNS 16
#define MOBD_CTL_IDLE_MS   5000      /* a connection that sends no whole line goes */
int ctl_open(struct mobd *d, const char *path, const struct mobd_cmd *cmds, size_t n, char *err,
	     size_t errlen);
void ctl_close(void);
/* the answer to one command line, as sent (malloc'd, *len octets) */
char *ctl_answer(struct mobd *d, const char *line, size_t *len);

#endif
