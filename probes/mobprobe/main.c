/* probes/mobprobe/main.c: the front end.  `mobprobe SUBCOMMAND [OPTIONS]
 * TARGET...`: common options, then the subcommand's.  Exit status: 0 the
 * answer conforms (or matches --expect), 1 it does not (reason printed),
 * 2 usage error (the bad value named), 3 no answer. */
#include "mobprobe.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct mp_sub *const subs[] = {
	&mp_sub_bu, &mp_sub_rr, &mp_sub_dhaad, &mp_sub_haunreach,
	&mp_sub_echo, &mp_sub_ns, &mp_sub_migsyn, &mp_sub_caaaa, &mp_sub_update, &mp_sub_lookup_mobile,
	&mp_sub_listen,
};
#define NSUBS (sizeof subs / sizeof subs[0])

enum {
	O_HELP = 'h', O_IFACE = 'i', O_SRC = 's', O_VERBOSE = 'v',
	O_TIMEOUT = 256, O_COUNT, O_RATE, O_PROFILE, O_CODEPOINT, O_PCAP, O_JSON, O_EXPECT,
	O_EXPECT_CODE, O_EXPECT_POINTER, O_EXPECT_STATUS, O_EXPECT_RCODE, O_RANDOM_HOA,
	O_RANDOM_SEQ, O_SEED, O_TX,
};

static const struct option common_opts[] = {
	{ "help", no_argument, NULL, O_HELP },
	{ "iface", required_argument, NULL, O_IFACE },
	{ "src", required_argument, NULL, O_SRC },
	{ "verbose", no_argument, NULL, O_VERBOSE },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "count", required_argument, NULL, O_COUNT },
	{ "rate", required_argument, NULL, O_RATE },
	{ "profile", required_argument, NULL, O_PROFILE },
	{ "codepoint", required_argument, NULL, O_CODEPOINT },
	{ "pcap", required_argument, NULL, O_PCAP },
	{ "json", no_argument, NULL, O_JSON },
	{ "expect", required_argument, NULL, O_EXPECT },
	{ "expect-code", required_argument, NULL, O_EXPECT_CODE },
	{ "expect-pointer", required_argument, NULL, O_EXPECT_POINTER },
	{ "expect-status", required_argument, NULL, O_EXPECT_STATUS },
	{ "expect-rcode", required_argument, NULL, O_EXPECT_RCODE },
	{ "random-hoa", no_argument, NULL, O_RANDOM_HOA },
	{ "random-seq", no_argument, NULL, O_RANDOM_SEQ },
	{ "seed", required_argument, NULL, O_SEED },
	{ "tx", required_argument, NULL, O_TX },
};
#define NCOMMON (sizeof common_opts / sizeof common_opts[0])

static const char common_help[] =
	"common options:\n"
	"  -i, --iface IFACE     interface to send on and capture from (default: the route's)\n"
	"  -s, --src ADDR        source address (default: the route's)\n"
	"      --timeout SEC     wait this long for each answer (default 2)\n"
	"      --count N         probes to send (default 1)\n"
	"      --rate N          probes per second; for bu and migsyn: load mode, batched\n"
	"                        sends, the achieved rate and the answers counted\n"
	"      --tx HOW          load mode: packet (AF_PACKET sendmmsg, the default),\n"
	"                        ring (AF_PACKET TX ring) or raw (raw IPv6 socket);\n"
	"                        AF_PACKET bypasses the qdisc unless --pcap is given\n"
	"      --profile NAME    codepoint profile: default or paper\n"
	"      --codepoint N=V   override one codepoint (mobwire codepoints lists them)\n"
	"      --pcap FILE       write everything sent and seen (nanosecond pcap)\n"
	"      --json            one JSON object per probe\n"
	"  -v, --verbose         decoded packets and the codepoints in force\n"
	"      --expect CLASS    the answer class that passes (A|B for either)\n"
	"      --expect-code N, --expect-pointer N, --expect-status N, --expect-rcode NAME\n"
	"                        also require these fields of the answer\n"
	"      --seed N          seed for random fields (reproducible runs)\n"
	"exit status: 0 pass, 1 non-conforming answer, 2 usage error, 3 no answer\n";

static void usage(FILE *f)
{
	fprintf(f, "usage: mobprobe SUBCOMMAND [OPTIONS] TARGET...\n\nsubcommands:\n");
	for (size_t i = 0; i < NSUBS; i++)
		fprintf(f, "  %-10s %s\n", subs[i]->name, subs[i]->what);
	fprintf(f, "\n%s\nmobprobe SUBCOMMAND --help shows a subcommand's options; man mobprobe.\n",
		common_help);
}

static void sub_usage(const struct mp_sub *s)
{
	printf("usage: mobprobe %s\n%s\n\n%s options:\n%s", s->synopsis, s->what, s->name, s->help);
	printf("  expect classes: ");
	for (const char *p = s->classes; *p;) {
		size_t n = strcspn(p, " ");
		if (n == 5 && strncmp(p, "RCODE", 5) == 0)
			printf("any rcode in lower case (servfail, refused, notauth, ...)");
		else
			printf("%.*s", (int)n, p);
		p += n;
		if (*p)
			putchar(*p++);
	}
	printf("\n\n%s", common_help);
}

static int parse_double(const char *opt, const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || !(v >= lo && v <= hi))
		return mp_usage_error("bad value '%s' for %s: want a number %g..%g", s, opt, lo, hi);
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	const struct mp_sub *sub = NULL;
	struct option all[NCOMMON + 32];
	size_t n = 0;
	struct mp m;
	void *st;
	unsigned long v;
	int c;

	if (argc < 2) {
		usage(stderr);
		return MP_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < NSUBS; i++)
		if (strcmp(argv[1], subs[i]->name) == 0)
			sub = subs[i];
	if (!sub) {
		fprintf(stderr, "mobprobe: unknown subcommand '%s'\n", argv[1]);
		usage(stderr);
		return MP_USAGE;
	}
	memcpy(all, common_opts, sizeof common_opts);
	n = NCOMMON;
	for (const struct option *o = sub->opts; o && o->name; o++)
		all[n++] = *o;
	memset(&all[n], 0, sizeof all[n]);

	memset(&m, 0, sizeof m);
	m.sub = sub->name;
	m.timeout = 2;
	m.count = 1;
	m.expect_code = m.expect_pointer = m.expect_status = -1;
	m.seed = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32);
	mk_cp_profile(&m.cp, "default");
	st = calloc(1, sub->st_size);
	if (!st)
		return MP_FAIL;

	argv++;
	argc--;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hi:s:v", all, NULL)) != -1) {
		int bad = 0;
		struct mk_status cs;
		switch (c) {
		case O_HELP:
			sub_usage(sub);
			free(st);
			return 0;
		case O_IFACE:
			m.ifname = optarg;
			break;
		case O_SRC:
			bad = mp_addr("-s", optarg, &m.src);
			m.has_src = true;
			break;
		case O_VERBOSE:
			m.verbose++;
			break;
		case O_TIMEOUT:
			bad = parse_double("--timeout", optarg, 0.001, 3600, &m.timeout);
			break;
		case O_COUNT:
			bad = mp_ulong("--count", optarg, 1, 1000000000UL, &v);
			m.count = (unsigned)v;
			break;
		case O_RATE:
			bad = parse_double("--rate", optarg, 0.001, 1e8, &m.rate);
			break;
		case O_PROFILE:
			cs = mk_cp_profile(&m.cp, optarg);
			if (cs.err != MK_E_OK)
				bad = mp_usage_error("bad value '%s' for --profile: want default or paper", optarg);
			break;
		case O_CODEPOINT:
			cs = mk_cp_set(&m.cp, optarg);
			if (cs.err != MK_E_OK)
				bad = mp_usage_error("bad --codepoint '%s': %s", optarg, mk_strerror(cs.err));
			break;
		case O_PCAP:
			m.pcap_path = optarg;
			break;
		case O_JSON:
			m.json = true;
			break;
		case O_EXPECT:
			m.expect = optarg;
			break;
		case O_EXPECT_CODE:
			bad = mp_ulong("--expect-code", optarg, 0, 255, &v);
			m.expect_code = (long)v;
			break;
		case O_EXPECT_POINTER:
			bad = mp_ulong("--expect-pointer", optarg, 0, 0xffffffffUL, &v);
			m.expect_pointer = (long)v;
			break;
		case O_EXPECT_STATUS:
			bad = mp_ulong("--expect-status", optarg, 0, 255, &v);
			m.expect_status = (long)v;
			break;
		case O_EXPECT_RCODE:
			m.expect_rcode = optarg;
			break;
		case O_RANDOM_HOA:
			m.random_hoa = true;
			break;
		case O_RANDOM_SEQ:
			m.random_seq = true;
			break;
		case O_TX:
			if (strcmp(optarg, "packet") && strcmp(optarg, "ring") && strcmp(optarg, "raw"))
				bad = mp_usage_error("bad value '%s' for --tx: want packet, ring or raw",
						     optarg);
			m.tx = optarg;
			break;
		case O_SEED:
			bad = mp_ulong("--seed", optarg, 0, ~0UL, &v);
			m.seed = v;
			break;
		case '?':
			fprintf(stderr, "mobprobe %s --help lists the options\n", sub->name);
			free(st);
			return MP_USAGE;
		default:
			bad = sub->opt(&m, st, c, optarg);
		}
		if (bad) {
			free(st);
			return MP_USAGE;
		}
	}
	/* values checked against each other and the file system, before
	 * anything is opened or sent */
	if ((m.expect && mp_check_expect(m.expect, sub->classes) != 0) ||
	    (m.expect_rcode && strstr(sub->classes, "RCODE") == NULL &&
	     mp_usage_error("--expect-rcode is for caaaa, update and lookup-mobile, not %s", sub->name) != 0) ||
	    (m.expect_rcode && mp_check_rcode(m.expect_rcode) != 0) ||
	    (m.pcap_path && mp_check_pcap_path(m.pcap_path) != 0)) {
		free(st);
		return MP_USAGE;
	}
	if (m.tx && (m.rate <= 0 || (strcmp(sub->name, "bu") && strcmp(sub->name, "migsyn")))) {
		mp_usage_error("--tx is for load mode (bu or migsyn with --rate N)");
		free(st);
		return MP_USAGE;
	}
	if ((m.random_hoa || m.random_seq) && m.rate <= 0) {
		mp_usage_error("--random-hoa and --random-seq are for load mode (--rate N)");
		free(st);
		return MP_USAGE;
	}
	int rc = sub->run(&m, st, argc - optind, argv + optind);
	free(st);
	return rc;
}
