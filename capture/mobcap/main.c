/* capture/mobcap/main.c: mobcap, the pcap analyzer.
 *
 *   mobcap decode [--json] [--all] [--profile P] [--codepoint N=V] FILE...
 *   mobcap decode -i IFACE ...
 *
 * One line per packet of interest (mobility, DNS for AAAA/CAAAA and
 * UPDATE, HAO/RH2, tunnels, TCP Migrate options), several files merged by
 * timestamp, a packet seen at two vantage points marked as such, the
 * clocks' offset estimated from those packets.
 *
 *   mobcap latency METRIC [--json|--csv] [--run ID] [--label A=N] FILE...
 *
 * The metrics of DESIGN.md from the same merged packets (latency.c).
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
		"and UDP checksums are verified and flagged.\n"
		"\n"
		"  --json              JSON lines\n"
		"  --all               every packet, not only those of interest\n"
		"  --profile NAME      codepoint profile: default or paper\n"
		"  --codepoint N=V     override one codepoint\n"
		"  -i IFACE            capture live instead of reading files\n"
		"exit status: 0 done, 1 a file was damaged (its error is reported), 2 usage\n");
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* --profile and --codepoint, shared by the subcommands; 1 on a bad value */
static int cp_option(struct mk_codepoints *cp, int c, const char *arg)
{
	struct mk_status st = c == 'p' ? mk_cp_profile(cp, arg) : mk_cp_set(cp, arg);
	if (st.err == MK_E_OK)
		return 0;
	if (c == 'p')
		fprintf(stderr, "mobcap: bad value '%s' for --profile: want default or paper\n", arg);
	else
		fprintf(stderr, "mobcap: bad --codepoint '%s': %s\n", arg, mk_strerror(st.err));
	return 1;
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
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },	  { "all", no_argument, NULL, 'a' },
		{ "profile", required_argument, NULL, 'p' }, { "codepoint", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },	  { NULL, 0, NULL, 0 },
	};
	struct mk_codepoints cp;
	bool json = false, all = false;
	const char *iface = NULL;
	char err[512];
	int c;

	mk_cp_profile(&cp, "default");
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'a':
			all = true;
			break;
		case 'i':
			iface = optarg;
			break;
		case 'p':
		case 'c':
			if (cp_option(&cp, c, optarg))
				return 2;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "mobcap decode --help lists the options\n");
			return 2;
		}
	}
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
	int r;
	while ((r = mc_next(s, &p)) == 1) {
		mc_describe(&p, &cp, all, &l);
		if (l.what == MC_NOT && !all)
			continue;
		if (json) {
			struct mk_json j;
			char ts[32];
			fmt_ts(p.ts, ts);
			mk_json_begin(&j, stdout);
			mk_json_str(&j, "source", base(p.src_name));
			mk_json_uint(&j, "frame", p.frame);
			mk_json_str(&j, "ts", ts);
			mk_json_str(&j, "kind", mc_interest_name(l.what));
			mk_json_str(&j, "line", l.text);
			if (l.cksum)
				mk_json_str(&j, "cksum", l.cksum);
			if (l.truncated)
				mk_json_bool(&j, "truncated", true);
			if (p.dup) {
				mk_json_obj(&j, "same_as");
				mk_json_str(&j, "source", base(mc_src_name(s, p.dup_src)));
				mk_json_uint(&j, "frame", p.dup_frame);
				mk_json_int(&j, "delta_ns", p.dup_delta);
				mk_json_end(&j);
			}
			mk_json_finish(&j);
		} else {
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
	mc_report(s, json ? stdout : stdout, json);
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
		"                delivered there (detection, registration, resume)\n"
		"  recovery      last packet a failed home agent forwarded -> first data packet\n"
		"                through another (HA Unreachable, BU, BA, resume)\n"
		"  migrate       first packet from the new address -> first data byte acknowledged\n"
		"                on the connection a Migrate SYN moved\n"
		"  rtt           request -> reply where the request was seen (ICMPv6 echo, DNS,\n"
		"                BU/BA, HoTI/HoT, CoTI/CoT, SYN/SYN-ACK), per pair and hop count\n"
		"\n"
		"  --json              records as JSON lines, then one summary line per group\n"
		"  --csv               records as CSV (no summary)\n"
		"  (default)           the summary table: n, absent, min, p50, p90, p99, max (ms)\n"
		"  --run ID            run id carried by every record\n"
		"  --label ADDR=NAME   name an address in groups (repeat)\n"
		"  --meta KEY=VALUE    carried by every JSON record, e.g. versions (repeat)\n"
		"  --profile NAME, --codepoint N=V   as for decode\n"
		"exit status: 0 records written, 1 a file was damaged, 2 usage,\n"
		"             3 no event of this metric in the captures (the reason is printed)\n");
}

static int latency(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },	    { "csv", no_argument, NULL, 'C' },
		{ "run", required_argument, NULL, 'r' },    { "label", required_argument, NULL, 'l' },
		{ "meta", required_argument, NULL, 'm' },   { "profile", required_argument, NULL, 'p' },
		{ "codepoint", required_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct mc_lat_opts o;
	struct mk_codepoints cp;
	char err[512];
	int c;

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
	mk_cp_profile(&cp, "default");
	argc--, argv++;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		char *eq = optarg ? strchr(optarg, '=') : NULL;
		switch (c) {
		case 'j':
			o.format = MC_FMT_JSON;
			break;
		case 'C':
			o.format = MC_FMT_CSV;
			break;
		case 'r':
			o.run = optarg;
			break;
		case 'l':
			if (!eq || !eq[1] || o.nlabels == MC_MAX_LABELS) {
				fprintf(stderr, "mobcap: bad --label '%s': want ADDR=NAME (at most %d)\n", optarg,
					MC_MAX_LABELS);
				return 2;
			}
			*eq = 0;
			if (inet_pton(AF_INET6, optarg, &o.label_addr[o.nlabels]) != 1) {
				fprintf(stderr, "mobcap: bad --label address '%s': not an IPv6 address\n", optarg);
				return 2;
			}
			o.label[o.nlabels++] = eq + 1;
			break;
		case 'm':
			if (!eq || eq == optarg || o.nmeta == MC_MAX_META) {
				fprintf(stderr, "mobcap: bad --meta '%s': want KEY=VALUE (at most %d)\n", optarg,
					MC_MAX_META);
				return 2;
			}
			*eq = 0;
			o.meta_key[o.nmeta] = optarg;
			o.meta_val[o.nmeta++] = eq + 1;
			break;
		case 'p':
		case 'c':
			if (cp_option(&cp, c, optarg))
				return 2;
			break;
		case 'h':
			usage_latency(stdout);
			return 0;
		default:
			fprintf(stderr, "mobcap latency --help lists the options\n");
			return 2;
		}
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
	int r = mc_latency(s, (enum mc_metric)m, &cp, &o, stdout, err, sizeof err);
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
