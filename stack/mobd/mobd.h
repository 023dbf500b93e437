/* stack/mobd/mobd.h: the reference endpoint daemon's shared state.
 *
 * One process, one role (home agent or mobile node, from the config), one
 * epoll loop, no threads.  What the kernel cannot do here (it has no
 * CONFIG_IPV6_MIP6 and no ip6 tunnel driver) mobd does in user space:
 *
 *   receive  libpcap on the interface, inbound only, for packets whose first
 *            Next Header is 41 (IPv6-in-IPv6), 43 (routing header: RH2),
 *            60 (Destination Options: Home Address option) or 135 (Mobility
 *            Header).  An nftables table (inet mobd-<pid>) drops the same
 *            packets in prerouting, so the kernel never sees them and never
 *            answers Parameter Problem; packet sockets see frames before
 *            netfilter, so mobd still does.
 *   send     one IPPROTO_RAW socket (lib/net/raw6): whole packets with the
 *            RH2, Home Address option or outer tunnel header mobd built.
 *   ICMPv6   one raw ICMPv6 socket: DHAAD, RAs (home agent list),
 *            unsolicited Neighbor Advertisements.
 *   TUN      mip6 device: the home agent routes each registered home
 *            address into it (and reads what the kernel forwards there);
 *            the mobile node holds its home address on it while away and
 *            routes everything sourced from that address into it.
 *   netlink  libmnl: addresses, routes, rules, proxy neighbours; the mobile
 *            node also listens for address and route changes (movement).
 */
#ifndef MOBD_H
#define MOBD_H

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

#define MOBD_MAX_KEYS 64
#define MOBD_MAX_HAS  16
#define MOBD_PKT_MAX  2048

/* RFC 6275 13 (protocol constants) and 12 (configuration variables) */
#define MOBD_INITIAL_BINDACK_TIMEOUT_MS   1000  /* INITIAL_BINDACK_TIMEOUT */
#define MOBD_MAX_BINDACK_TIMEOUT_MS       32000 /* MAX_BINDACK_TIMEOUT */
#define MOBD_INITIAL_FIRSTREG_TIMEOUT_MS  1500  /* InitialBindackTimeoutFirstReg default */
#define MOBD_DHAAD_RETRIES                4     /* DHAAD_RETRIES */
#define MOBD_INITIAL_DHAAD_TIMEOUT_MS     3000  /* INITIAL_DHAAD_TIMEOUT */
#define MOBD_MAX_BINDING_LIFETIME_S       262140
/* RFC 6275 9.3.3 / 11.3.6: the rate of Binding Errors (and here of every
 * error answer: refusing BAs, Parameter Problems) MUST be limited; the
 * RFC names no figure.  A token bucket: error-rate per second, error-burst
 * at once. */
#define MOBD_ERR_RATE  100
#define MOBD_ERR_BURST 100

enum mobd_role { ROLE_NONE, ROLE_HA, ROLE_MN };

struct mobd_key {
	bool any;                 /* "mn-key * SPI KEY": every home address */
	struct in6_addr hoa;
	uint32_t spi;
	uint8_t key[64];
	size_t keylen;
};

struct mobd_conf {
	enum mobd_role role;
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
	bool kernel_state;               /* proxy ND entries and routes per binding */
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
	struct mk_codepoints cp;
	unsigned mtu;                    /* TUN MTU */
	unsigned err_rate;               /* error answers per second, 0: no limit */
	unsigned err_burst;
};

/* ---- the loop ---- */
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
int ev_add(int fd, mobd_fd_cb cb, void *arg);
void ev_del(int fd);
void ev_timer_arm(struct mobd_timer *t, uint64_t after_ms);
void ev_timer_stop(struct mobd_timer *t);
/* runs until *stop; returns 0, or -1 on a loop error */
int ev_run(volatile int *stop);
uint64_t now_ns(void);
uint64_t now_real_ntp(void);         /* RFC 4285 timestamp: NTP seconds.fraction */

/* ---- logging ---- */
extern int mobd_verbose;
void logm(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- config ---- */
/* 0, or the number of errors, each written to errf as one "mobd: " line */
int conf_load(const char *path, struct mobd_conf *c, FILE *errf);
void conf_print(const struct mobd_conf *c, FILE *f);
const struct mobd_key *conf_key_for(const struct mobd_conf *c, const struct in6_addr *hoa);
bool in_prefix(const struct in6_addr *a, const struct in6_addr *p, unsigned plen);
/* the Home-Agents anycast address of a /64 home prefix */
void ha_anycast(const struct in6_addr *prefix, struct in6_addr *out);

/* ---- system: netlink, TUN, nftables, pcap ---- */
struct mobd_io {
	int ifindex;
	uint8_t mac[6];
	struct in6_addr lladdr;
	int tun_fd;
	int tun_ifindex;
	pcap_t *pcap;
	int pcap_fd;
	struct mk_raw6 raw;
	int icmp_fd;
	char nft_table[32];
	bool nft_on;
	bool others_alive;               /* another live mobd has a table here */
};

int sys_open(struct mobd_io *io, const struct mobd_conf *c, char *err, size_t errlen);
void sys_close(struct mobd_io *io, const struct mobd_conf *c);
int sys_sysctl(const char *path, const char *value);
/* netlink: 0 or -errno */
int nl_addr(bool add, int ifindex, const struct in6_addr *a, unsigned plen, bool nodad);
int nl_route(bool add, int ifindex, const struct in6_addr *dst, unsigned plen, unsigned table,
	     unsigned metric);
int nl_rule(bool add, const struct in6_addr *from, unsigned table, unsigned prio);
int nl_proxy(bool add, int ifindex, const struct in6_addr *a);
/* proxy neighbour entries on ifindex inside p/plen: returns the count (<= max) */
int nl_proxies(int ifindex, const struct in6_addr *p, unsigned plen, struct in6_addr *out, int max);
/* global, usable addresses on ifindex: returns the count (<= max) */
int nl_addrs(int ifindex, struct in6_addr *out, int max);
/* the first of them inside p/plen: 0, or -1 if none */
int nl_addr_in_prefix(int ifindex, const struct in6_addr *p, unsigned plen, struct in6_addr *out);
/* a netlink socket subscribed to IPv6 address and route changes */
int nl_monitor_open(void);
/* read what is queued; returns 1 if something about ifindex changed */
int nl_monitor_read(int fd, int ifindex);
/* send one whole IPv6 packet; counts failures */
int io_send(struct mobd_io *io, const uint8_t *pkt, size_t len);
/* an unsolicited NA for target with our MAC (override), to all-nodes */
int io_send_na(struct mobd_io *io, const struct in6_addr *target, bool router);

/* ---- messages (msg.c) ---- */
struct mobd;
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
int msg_ba(struct mobd *d, const struct in6_addr *src, const struct in6_addr *to,
	   const struct in6_addr *hoa, const struct in6_addr *coa, uint8_t status, uint16_t seq,
	   uint32_t lifetime_s, unsigned bra_s, const struct mobd_key *key, uint64_t ts);
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
/* hand a packet to the kernel through the TUN */
bool tun_write(struct mobd *d, const uint8_t *inner, size_t il);

/* one captured Ethernet frame to the role (a pcap_handler; user = the mobd) */
void mobd_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes);

/* ---- roles ---- */
struct mobd;
int ha_start(struct mobd *d, char *err, size_t errlen);
void ha_stop(struct mobd *d);
void ha_packet(struct mobd *d, const uint8_t *pkt, size_t len);
void ha_tun_packet(struct mobd *d, const uint8_t *pkt, size_t len);
void ha_icmp(struct mobd *d, const uint8_t *pkt, size_t len, const struct in6_addr *src,
	     const struct in6_addr *dst);
void ha_show(struct mobd *d, const char *what, bool json, FILE *f);

int mn_start(struct mobd *d, char *err, size_t errlen);
void mn_stop(struct mobd *d);
void mn_packet(struct mobd *d, const uint8_t *pkt, size_t len);
void mn_tun_packet(struct mobd *d, const uint8_t *pkt, size_t len);
void mn_icmp(struct mobd *d, const uint8_t *pkt, size_t len, const struct in6_addr *src,
	     const struct in6_addr *dst);
void mn_show(struct mobd *d, const char *what, bool json, FILE *f);

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
	void *role;                      /* struct ha or struct mn */
	volatile int stop;
};

#endif
