/* capture/mobcap/main.c: mobcap, the pcap analyzer.
 *
 *   mobcap decode [--json] [--all] [--profile P] [--codepoint N=V] FILE...
 *   mobcap decode -i IFACE ...
 *
 * One line per packet of interest (mobility, DNS for AAAA/CAAAA and
 * UPDATE, HAO/RH2, tunnels, TCP Migrate options), several files merged by
 * timestamp, a packet seen at two vantage points marked as such, the
 * clocks' offset estimated from those packets.  The latency metrics are
 * not written yet (issue 5): `mobcap latency` does not exist. */
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
		struct mk_status st;
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
			st = mk_cp_profile(&cp, optarg);
			if (st.err != MK_E_OK) {
				fprintf(stderr, "mobcap: bad value '%s' for --profile: want default or paper\n", optarg);
				return 2;
			}
			break;
		case 'c':
			st = mk_cp_set(&cp, optarg);
			if (st.err != MK_E_OK) {
				fprintf(stderr, "mobcap: bad --codepoint '%s': %s\n", optarg, mk_strerror(st.err));
				return 2;
			}
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
	struct mc_pkt p;
	static struct mc_line l;
	int r;
	while ((r = mc_next(s, &p)) == 1) {
		mc_describe(&p, &cp, &l);
		if (l.what == MC_NOT && !all)
			continue;
		if (json) {
			struct mk_json j;
			char ts[32];
			snprintf(ts, sizeof ts, "%" PRIu64 ".%09" PRIu64, p.ts / 1000000000u,
				 p.ts % 1000000000u);
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
			printf("%" PRIu64 " %" PRIu64 ".%09" PRIu64 " %s", p.frame, p.ts / 1000000000u,
			       p.ts % 1000000000u, l.text);
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

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "decode") == 0)
		return decode(argc - 1, argv + 1);
	fprintf(stderr, "mobcap: unknown subcommand '%s' (decode; latency is not written yet)\n",
		argv[1]);
	return 2;
}
