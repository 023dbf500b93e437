/* capture/mobcap/main.c: mobcap, the pcap analyzer.
 *
 *   mobcap decode [--json] [--all] [--profile P] [--codepoint N=V] FILE...
 *   mobcap decode -i IFACE ...
 *
 * One line per packet of interest (mobility, DNS for AAAA/CAAAA and
 * UPDATE, HAO/RH2, tunnels, TCP Migrate options), several files merged by
 * timestamp, a packet seen at two vantage points marked as such, the
 * clocks' offset estimated from those packets.  With --json every decoded
 * field as a typed member besides the line (fields.c, mobcap(1) FIELDS).
 *
 *   mobcap latency METRIC [--json|--csv] [--run ID] [--label A=N] [--by-path] FILE...
 *
 * The metrics of DESIGN.md from the same merged packets (latency.c, m-*.c).
 * Both subcommands take their options through one parser (parse_opts).
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mobcap.h"
#include "util/json.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mobcap decode [OPTIONS] FILE...     pcap or pcapng files, merged by time\n"
		"       mobcap decode [OPTIONS] -i IFACE    live, until interrupted\n"
		"\n"
		"One line per packet of interest: every Mobility Header message, the ICMPv6\n"
		"mobility messages (DHAAD, prefix discovery, Home Agent Unreachable, RAs with\n"
		"the H bit) and errors, packets with a Home Address option or type 2 routing\n"
		"header, IPv6-in-IPv6 with the inner packet, TCP segments with Migrate\n"
		"options, DNS UPDATEs and AAAA/CAAAA questions and answers.  MH, ICMPv6, TCP\n"
		"and UDP checksums are verified and flagged (with --json inside tunnels too)\n"
		"and counted at the end, tunnelled packets apart.\n"
		"\n"
		"  --json              JSON lines: the line and every decoded field, typed and\n"
		"                      named per layer (ipv6.src, mh.seq, mh.flags, dns.update...;\n"
		"                      the list is in mobcap(1), FIELDS)\n"
		"  --all               every packet, not only those of interest\n"
		"  --profile NAME      codepoint profile: default or paper\n"
		"  --codepoint N=V     override one codepoint\n"
		"  -i, --iface IFACE   capture live instead of reading files\n"
		"exit status: 0 done, 1 a file was damaged (its error is reported), 2 usage\n");
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* ---- the one option parser of both subcommands ---- */

enum { SUB_DECODE = 1, SUB_LATENCY = 2 };

struct opts {
	bool json, all;
	const char *iface;
	struct mk_codepoints cp;
	struct mc_lat_opts lat;
};

static const struct optdef {
	struct option o;
	unsigned subs;                 /* SUB_* that take it */
} optdefs[] = {
	{ { "json", no_argument, NULL, 'j' }, SUB_DECODE | SUB_LATENCY },
	{ { "profile", required_argument, NULL, 'p' }, SUB_DECODE | SUB_LATENCY },
	{ { "codepoint", required_argument, NULL, 'c' }, SUB_DECODE | SUB_LATENCY },
	{ { "help", no_argument, NULL, 'h' }, SUB_DECODE | SUB_LATENCY },
	{ { "all", no_argument, NULL, 'a' }, SUB_DECODE },
	{ { "iface", required_argument, NULL, 'i' }, SUB_DECODE },
	{ { "csv", no_argument, NULL, 'C' }, SUB_LATENCY },
	{ { "run", required_argument, NULL, 'r' }, SUB_LATENCY },
	{ { "label", required_argument, NULL, 'l' }, SUB_LATENCY },
	{ { "meta", required_argument, NULL, 'm' }, SUB_LATENCY },
	{ { "by-path", no_argument, NULL, 'B' }, SUB_LATENCY },
};
#define NOPTS (sizeof optdefs / sizeof optdefs[0])

static const char *sub_name(unsigned sub)
{
	return sub == SUB_DECODE ? "decode" : "latency";
}

/* One option's value into o; 2 (after one line naming it) if it is bad. */
static int take(struct opts *o, unsigned sub, int c, char *arg)
{
	const struct optdef *d = NULL;
	for (size_t i = 0; i < NOPTS; i++)
		if (optdefs[i].o.val == c)
			d = &optdefs[i];
	if (!d)
		return 2;
	if (!(d->subs & sub)) {
		fprintf(stderr, "mobcap: --%s is not an option of %s (mobcap %s --help lists them)\n",
			d->o.name, sub_name(sub), sub_name(sub));
		return 2;
	}
	char *eq = arg ? strchr(arg, '=') : NULL;
	struct mk_status st;
	switch (c) {
	case 'j':
		o->json = true;
		o->lat.format = MC_FMT_JSON;
		break;
	case 'a':
		o->all = true;
		break;
	case 'i':
		o->iface = arg;
		break;
	case 'C':
		o->lat.format = MC_FMT_CSV;
		break;
	case 'B':
		o->lat.by_path = true;
		break;
	case 'r':
		o->lat.run = arg;
		break;
	case 'p':
		if (mk_cp_profile(&o->cp, arg).err != MK_E_OK) {
			fprintf(stderr, "mobcap: bad value '%s' for --profile: want default or paper\n", arg);
			return 2;
		}
		break;
	case 'c':
		st = mk_cp_set(&o->cp, arg);
		if (st.err != MK_E_OK) {
			fprintf(stderr, "mobcap: bad --codepoint '%s': %s\n", arg, mk_strerror(st.err));
			return 2;
		}
		break;
	case 'l':
		if (!eq || !eq[1] || o->lat.nlabels == MC_MAX_LABELS) {
			fprintf(stderr, "mobcap: bad --label '%s': want ADDR=NAME (at most %d)\n", arg,
				MC_MAX_LABELS);
			return 2;
		}
		*eq = 0;
		if (inet_pton(AF_INET6, arg, &o->lat.label_addr[o->lat.nlabels]) != 1) {
			fprintf(stderr, "mobcap: bad --label address '%s': not an IPv6 address\n", arg);
			return 2;
		}
		o->lat.label[o->lat.nlabels++] = eq + 1;
		break;
	case 'm':
		if (!eq || eq == arg || o->lat.nmeta == MC_MAX_META) {
			fprintf(stderr, "mobcap: bad --meta '%s': want KEY=VALUE (at most %d)\n", arg,
				MC_MAX_META);
			return 2;
		}
		*eq = 0;
		o->lat.meta_key[o->lat.nmeta] = arg;
		o->lat.meta_val[o->lat.nmeta++] = eq + 1;
		break;
	default:
		return 2;
	}
	return 0;
}

/* Parse argv (argv[0] is the subcommand's word): -1 go on (files from
 * argv[optind]), 0 help was printed, 2 usage error (reported). */
static int parse_opts(int argc, char **argv, unsigned sub, struct opts *o, void (*help)(FILE *))
{
	static struct option lo[NOPTS + 1];
	for (size_t i = 0; i < NOPTS; i++)
		lo[i] = optdefs[i].o;
	memset(o, 0, sizeof *o);
	mk_cp_profile(&o->cp, "default");
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":i:h", lo, NULL)) != -1) {
		if (c == 'h') {
			help(stdout);
			return 0;
		}
		if (c == '?' || c == ':') {
			const char *bad = argv[optind - 1];
			if (c == '?' && optopt)
				fprintf(stderr, "mobcap: unknown option '-%c' for %s (mobcap %s --help lists them)\n",
					optopt, sub_name(sub), sub_name(sub));
			else
				fprintf(stderr, "mobcap: %s '%s' for %s (mobcap %s --help lists them)\n",
					c == ':' ? "missing value after" : "unknown option", bad, sub_name(sub),
					sub_name(sub));
			return 2;
		}
		if (take(o, sub, c, optarg))
			return 2;
	}
	return -1;
}

/* "SECONDS.NANOSECONDS" without printf (on every line) */
static void fmt_ts(uint64_t ns, char out[32])
{
	char b[32];
	int i = sizeof b;
	uint64_t s = ns / 1000000000u, f = ns % 1000000000u;
	b[--i] = 0;
	for (int k = 0; k < 9; k++, f /= 10)
		b[--i] = (char)('0' + f % 10);
	b[--i] = '.';
	do
		b[--i] = (char)('0' + s % 10);
	while ((s /= 10) != 0);
	memcpy(out, b + i, sizeof b - (size_t)i);
}

static int decode(int argc, char **argv)
{
	static struct opts op;
	char err[512];

	int pr = parse_opts(argc, argv, SUB_DECODE, &op, usage);
	if (pr >= 0)
		return pr;
	const struct mk_codepoints cp = op.cp;
	bool json = op.json, all = op.all;
	const char *iface = op.iface;
	if (!iface && optind >= argc) {
		fprintf(stderr, "mobcap: decode needs files or -i IFACE\n");
		return 2;
	}
	if (iface && optind < argc) {
		fprintf(stderr, "mobcap: give files or -i, not both\n");
		return 2;
	}
	struct mc_sources *s = mc_open(argv + optind, argc - optind, iface, err, sizeof err);
	if (!s) {
		fprintf(stderr, "mobcap: %s\n", err);
		return 2;
	}
	bool many = argc - optind > 1;
	static char obuf[1 << 20];
	if (!iface)
		setvbuf(stdout, obuf, _IOFBF, sizeof obuf); /* files: big writes; live: as the terminal wants */
	struct mc_pkt p;
	static struct mc_line l;
	static struct mc_tally tally; /* zero */
	int r;
	while ((r = mc_next(s, &p)) == 1) {
		mc_describe(&p, &cp, all, &l);
		if (l.what == MC_NOT && !all)
			continue;
		mc_tally_add(&tally, 0, l.cksum);
		if (json) {
			struct mk_json j;
			char ts[32];
			fmt_ts(p.ts, ts);
			mk_json_begin(&j, stdout);
			MK_JSON_K(&j, "source"), mk_json_str(&j, NULL, base(p.src_name));
			MK_JSON_K(&j, "frame"), mk_json_uint(&j, NULL, p.frame);
			MK_JSON_K(&j, "ts"), mk_json_str(&j, NULL, ts);
			MK_JSON_K(&j, "kind"), mk_json_str(&j, NULL, mc_interest_name(l.what));
			MK_JSON_K(&j, "line"), mk_json_str(&j, NULL, l.text);
			if (l.cksum)
				MK_JSON_K(&j, "cksum"), mk_json_str(&j, NULL, l.cksum);
			if (l.truncated)
				MK_JSON_K(&j, "truncated"), mk_json_bool(&j, NULL, true);
			if (p.dup) {
				MK_JSON_K(&j, "same_as"), mk_json_obj(&j, NULL);
				MK_JSON_K(&j, "source"), mk_json_str(&j, NULL, base(mc_src_name(s, p.dup_src)));
				MK_JSON_K(&j, "frame"), mk_json_uint(&j, NULL, p.dup_frame);
				MK_JSON_K(&j, "delta_ns"), mk_json_int(&j, NULL, p.dup_delta);
				mk_json_end(&j);
			}
			mc_fields(&j, &p, &l, &cp, &tally);
			mk_json_finish(&j);
		} else {
			if (l.parsed)
				mc_tally_inner(&tally, p.data + p.ip6_off, &l.c, 0);
			if (many)
				printf("%s:", base(p.src_name));
			char ts[32];
			fmt_ts(p.ts, ts);
			printf("%" PRIu64 " %s %s", p.frame, ts, l.text);
			if (p.dup)
				printf(" [= %s:%" PRIu64 " %+.3f ms]", base(mc_src_name(s, p.dup_src)),
				       p.dup_frame, (double)p.dup_delta / 1e6);
			putchar('\n');
		}
	}
	mc_report(s, stdout, json);
	mc_tally_report(&tally, stdout, json);
	unsigned bad = mc_nerrors(s);
	mc_close(s);
	if (r < 0)
		return 1;
	return bad ? 1 : 0;
}

static void usage_latency(FILE *f)
{
	fprintf(f,
		"usage: mobcap latency METRIC [OPTIONS] FILE...\n"
		"\n"
		"METRIC (definitions in mobcap(1)):\n"
		"  convergence   DNS UPDATE sent -> first resolver answer carrying the new data,\n"
		"                per resolver and client; stale answers after NOERROR counted,\n"
		"                and as TTL violations once the old data's TTL has run out\n"
		"  handoff       first packet from a new care-of address -> first data packet\n"
		"                delivered there (detection, registration, resume), each move\n"
		"                timed at the capture that saw its BU leave (its vantage); after a\n"
		"                move away, the route optimization with the first correspondent\n"
		"                (to_rr, rr, bu_cn, direct, to_direct)\n"
		"  recovery      last packet a failed home agent forwarded -> first data packet\n"
		"                through another (HA Unreachable, BU, BA, resume)\n"
		"  migrate       first packet from the new address -> first data byte acknowledged\n"
		"                on the connection a Migrate SYN moved\n"
		"  rtt           request -> reply where the request was seen (ICMPv6 echo, DNS,\n"
		"                BU/BA, HoTI/HoT, CoTI/CoT, SYN/SYN-ACK), per pair and hop count;\n"
		"                echo, DNS and SYN between a home address and a correspondent\n"
		"                by path (via HA, direct), side by side in the table\n"
		"\n"
		"  --json              records as JSON lines, then one summary line per group\n"
		"                      and the checksum counts\n"
		"  --csv               records as CSV (no summary)\n"
		"  (default)           the summary table: n, absent, min, p50, p90, p99, max (ms)\n"
		"  --run ID            run id carried by every record\n"
		"  --label ADDR=NAME   name an address in groups (repeat)\n"
		"  --meta KEY=VALUE    carried by every JSON record, e.g. versions (repeat)\n"
		"  --by-path           rtt: only the table of round trips through the home agent\n"
		"                      and direct, per pair (exit 3 when none was classified)\n"		"  --profile NAME, --codepoint N=V   as for decode\n"
		"exit status: 0 records written, 1 a file was damaged, 2 usage,\n"
		"             3 no event of this metric in the captures (the reason is printed)\n");
}

static int latency(int argc, char **argv)
{
	static struct opts op;
	char err[512];

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage_latency(stdout);
		return 0;
	}
	if (argc < 2) {
		usage_latency(stderr);
		return 2;
	}
	int m = mc_metric_lookup(argv[1]);
	if (m < 0) {
		fprintf(stderr,
			"mobcap: unknown metric '%s' (convergence, handoff, recovery, migrate, rtt)\n",
			argv[1]);
		return 2;
	}
	argc--, argv++;
	int pr = parse_opts(argc, argv, SUB_LATENCY, &op, usage_latency);
	if (pr >= 0)
		return pr;
	const struct mk_codepoints cp = op.cp;
	const struct mc_lat_opts *o = &op.lat;
	if (o->by_path && m != MC_M_RTT) {
		fprintf(stderr, "mobcap: --by-path is an option of rtt, not of %s\n", argv[0]);
		return 2;
	}
	if (o->by_path && o->format != MC_FMT_TABLE) {
		fprintf(stderr, "mobcap: --by-path prints a table: not with --%s\n",
			o->format == MC_FMT_JSON ? "json" : "csv");
		return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "mobcap: latency %s needs capture files\n", argv[0]);
		return 2;
	}
	struct mc_sources *s = mc_open(argv + optind, argc - optind, NULL, err, sizeof err);
	if (!s) {
		fprintf(stderr, "mobcap: %s\n", err);
		return 2;
	}
	err[0] = 0;
	int r = mc_latency(s, (enum mc_metric)m, &cp, o, stdout, err, sizeof err);
	unsigned bad = mc_nerrors(s);
	if (bad || r != 0)
		mc_report(s, stderr, false);
	mc_close(s);
	if (r < 0) {
		fprintf(stderr, "mobcap: %s\n", err);
		return 1;
	}
	if (r == 3) {
		fprintf(stderr, "mobcap: %s: absent: %s\n", mc_metric_name((enum mc_metric)m), err);
		return bad ? 1 : 3;
	}
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "decode") == 0)
		return decode(argc - 1, argv + 1);
	if (strcmp(argv[1], "latency") == 0)
		return latency(argc - 1, argv + 1);
	fprintf(stderr, "mobcap: unknown subcommand '%s' (decode, latency)\n", argv[1]);
	return 2;
}
