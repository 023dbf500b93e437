/* probes/mobprobe/mobprobe.h: what mobprobe's subcommands share.
 *
 * A packet probe (bu, rr, dhaad, haunreach, echo, migsyn, listen) is a struct
 * mp_ops: build the packet for probe i, then judge every packet the
 * capture sees until one is the answer.  mp_run() does the rest: capture
 * before sending, send through the raw socket, wait, apply the
 * expectation, print one line (or one JSON object) per probe, exit code.
 * The DNS probes (caaaa, update) use a UDP socket and the same result and
 * output code.
 */
#ifndef MOBPROBE_H
#define MOBPROBE_H

#include <getopt.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wire/codepoints.h"

enum { MP_PASS = 0, MP_FAIL = 1, MP_USAGE = 2, MP_NOANSWER = 3 };

#define MP_PKT_MAX 2048
#define MP_FIELDS 24

struct mp {
	const char *sub;              /* subcommand */
	const char *ifname;           /* -i; NULL: from the route to the target */
	bool has_src;
	struct in6_addr src;          /* -s; else the route's source address */
	const char *target;           /* as given */
	struct in6_addr dst;          /* target address (packet probes) */
	double timeout;               /* seconds to wait for each answer */
	unsigned count;
	double rate;                  /* probes per second; load mode where supported */
	const char *tx;               /* load mode: "packet", "ring", "raw"; NULL: packet, else raw */
	struct mk_codepoints cp;
	const char *pcap_path;
	bool json;
	int verbose;
	const char *expect;           /* "ba", "param-problem|none", ...; NULL: default */
	long expect_code, expect_pointer, expect_status; /* -1: not checked */
	const char *expect_rcode;
	bool random_hoa, random_seq;
	uint64_t seed;
	int probe_no;                 /* 1-based number of the probe running */
	unsigned step;                /* 0-based exchange within the probe (mp_ops.steps) */
};

/* One probe's outcome. */
struct mp_field {
	const char *key;
	char val[128];
	bool num;                     /* written unquoted in JSON */
};

struct mp_result {
	const char *cls;              /* answer class, "none" if nothing came */
	char summary[512];            /* the answer, one line */
	char issue[256];              /* non-conformance found in the answer */
	uint64_t t_sent, t_answer;    /* capture timestamps, ns; 0 unknown */
	size_t nfields;
	struct mp_field f[MP_FIELDS];
	/* filled by mp_judge */
	int verdict;                  /* MP_PASS, MP_FAIL, MP_NOANSWER */
	char reason[800];
};

void mp_field_u(struct mp_result *r, const char *key, unsigned long long v);
void mp_field_s(struct mp_result *r, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *mp_field_get(const struct mp_result *r, const char *key);
void mp_summary(struct mp_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mp_issue(struct mp_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Apply the expectation (m->expect or def) to r; sets verdict and reason. */
void mp_judge(const struct mp *m, const char *def, struct mp_result *r);
/* Print r as text or JSON; `sent` is a one-line description of the probe. */
void mp_report(const struct mp *m, const char *sent, const struct mp_result *r);

/* ---- packet probes ---- */

struct mp_ops {
	const char *def_expect;
	/* pcap-filter(7) for answers and our own packets; filter[] has room */
	void (*filter)(const struct mp *m, void *st, char *filter, size_t cap);
	/* Build probe i (0-based) into pkt; *desc gets a one-line description.
	 * *len 0: nothing is sent, the probe only waits (listen).
	 * Returns 0, or -1 after printing why. */
	int (*build)(const struct mp *m, void *st, unsigned i, uint8_t *pkt, size_t *len,
		     char *desc, size_t dcap);
	/* A captured packet that is not the one just sent: return 1 when it is
	 * the answer (r filled), 0 to keep waiting. */
	int (*match)(const struct mp *m, void *st, const uint8_t *pkt, size_t len,
		     struct mp_result *r);
	/* Optional, after an answer or timeout (e.g. reset a half-open TCP). */
	void (*after)(const struct mp *m, void *st, struct mp_result *r);
	/* Load mode (NULL: not supported): classify a packet for the counters;
	 * returns a class name or NULL. */
	const char *(*load_class)(const struct mp *m, void *st, const uint8_t *pkt, size_t len);
	/* Optional: a probe of several exchanges (return routability, then the
	 * BU it authorizes).  steps() says how many packets one probe sends
	 * (asked once, after the first packet of the first probe is built);
	 * build and match see the exchange in m->step (0-based).  After each
	 * exchange but the last, step_ok() says whether to go on; if not, the
	 * probe ends there with what that exchange saw (never a PASS).  The
	 * result and its fields are kept from one exchange to the next; the
	 * timestamps are the last exchange's. */
	unsigned (*steps)(const struct mp *m, void *st);
	bool (*step_ok)(const struct mp *m, void *st, struct mp_result *r);
};

int mp_run(struct mp *m, const struct mp_ops *ops, void *st);
/* Send one extra packet from an `after` hook (a RST, say). */
int mp_send_extra(const struct mp *m, const uint8_t *pkt, size_t len);

/* Parse the invoking packet of an ICMPv6 error against the probe we sent:
 * class "param-problem" / "dst-unreach" / "icmp-error", with the pointer's
 * meaning in the summary.  Returns 1 if the error quotes `sent`, else 0. */
int mp_icmp_error(const struct mp *m, const uint8_t *pkt, size_t len, const uint8_t *sent,
		  size_t sent_len, struct mp_result *r);
/* Verify the answer's upper-layer checksum (an issue if wrong), telling a
 * checksum left to offload apart from a wrong one. */
struct mk_ip6;
struct mk_ip6_chain;
void mp_check_cksum(struct mp_result *r, const uint8_t *pkt, const struct mk_ip6 *h,
		    const struct mk_ip6_chain *c, const char *what);
/* Explain what sits at offset `ptr` of our packet (for Parameter Problem). */
void mp_explain_offset(const uint8_t *pkt, size_t len, unsigned code, unsigned ptr,
		       char *out, size_t cap);

/* ---- helpers ---- */

/* Parse, report "mobprobe: bad VALUE for --NAME: why" on failure (exit 2 path). */
int mp_addr(const char *opt, const char *s, struct in6_addr *a);
int mp_ulong(const char *opt, const char *s, unsigned long lo, unsigned long hi,
	     unsigned long *out);
int mp_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Check --expect against the classes of a subcommand (struct mp_sub):
 * every alternative names a class (or a prefix up to a "-"), none is empty.
 * 0, or -1 after the usage error. */
int mp_check_expect(const char *expect, const char *classes);
/* Check --expect-rcode: a DNS rcode name (NOERROR, REFUSED, ...). */
int mp_check_rcode(const char *name);
/* Check that --pcap FILE can be written, without creating it. */
int mp_check_pcap_path(const char *path);
/* Deterministic randomness from --seed (or the clock). */
uint64_t mp_rand(struct mp *m);
/* The address the kernel would use as source toward dst, and its interface. */
int mp_route_source(const struct in6_addr *dst, const char *ifname, struct in6_addr *src,
		    char *ifbuf, size_t ifcap);
#include "util/fmt.h" /* mk_ip6_ntop: out >= 46 */
/* Print a decoded packet (-v) prefixed by "sent"/"seen". */
void mp_dump_packet(const struct mp *m, const char *dir, const uint8_t *pkt, size_t len);

/* ---- subcommands ---- */

struct mp_sub {
	const char *name;
	const char *synopsis;
	const char *what;
	const struct option *opts;    /* subcommand options, NULL-terminated */
	int (*opt)(struct mp *m, void *st, int id, const char *arg); /* 0 ok, -1 usage */
	int (*run)(struct mp *m, void *st, int argc, char **argv);  /* positional args */
	size_t st_size;
	const char *help;             /* option lines */
	/* the answer classes --expect may name, space-separated; "RCODE" stands
	 * for any DNS rcode name in lower case (and rcode-N) */
	const char *classes;
};

extern const struct mp_sub mp_sub_bu, mp_sub_rr, mp_sub_dhaad, mp_sub_haunreach, mp_sub_echo,
	mp_sub_migsyn, mp_sub_caaaa, mp_sub_update, mp_sub_ns, mp_sub_listen, mp_sub_lookup_mobile;

#endif
