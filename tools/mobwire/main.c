/* mobwire: craft one of every mobility message into a pcap, and decode
 * captures with libmobkit's codecs.  See doc/mobwire.1. */
#include <errno.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mobwire.h"
#include "net/pcapio.h"
#include "wire/err.h"

#define VERSION "0.1"

static void usage(FILE *f)
{
	fputs("usage: mobwire craft [-o FILE] [--manifest FILE] [--only NAME]... [CP]\n"
	      "       mobwire decode [-v] [CP] FILE\n"
	      "       mobwire list\n"
	      "       mobwire codepoints [CP]\n"
	      "\n"
	      "craft       build one of every message into a pcap (Ethernet framing),\n"
	      "            default results/mobwire.pcap; --manifest writes, per packet,\n"
	      "            the tshark fields and the values that were put in\n"
	      "decode      one row per packet: verdict, then the packet described with\n"
	      "            its checksum verdict at every depth (tunnelled, quoted);\n"
	      "            exit 1 if any packet fails to parse or verify\n"
	      "list        the messages craft builds\n"
	      "codepoints  the codepoint values in force\n"
	      "\n"
	      "CP: --profile default|paper   --codepoint NAME=VALUE (repeatable)\n"
	      "    (names: mobwire codepoints; see doc/codepoints.md)\n"
	      "-h, --help  this text      --version\n",
	      f);
}

static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int die(const char *fmt, ...)
{
	va_list ap;

	fputs("mobwire: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

static void print_cp(FILE *f, const struct mk_codepoints *cp)
{
	char b[1024];
	mk_cp_format(cp, b, sizeof b);
	fprintf(f, "%s\n", b);
}

static int craft(const char *out, const char *manifest, char **only, int nonly,
		 const struct mk_codepoints *cp)
{
	char tmp[4096], mtmp[4096], err[PCAP_ERRBUF_SIZE + 64];
	static struct mw_sample s;
	FILE *mf = NULL;
	int rc = 0;
	unsigned frame = 0;

	for (int i = 0; i < nonly; i++) {
		size_t k;
		for (k = 0; k < mw_nrecipes && strcmp(mw_recipes[k].name, only[i]) != 0; k++)
			;
		if (k == mw_nrecipes)
			return die("no message named '%s' (see: mobwire list)", only[i]);
	}
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out, (long)getpid());
	struct mk_pcapw *w = mk_pcapw_open(tmp, DLT_EN10MB, err, sizeof err);
	if (!w)
		return die("%s", err);
	if (manifest) {
		snprintf(mtmp, sizeof mtmp, "%s.tmp.%ld", manifest, (long)getpid());
		mf = fopen(mtmp, "w");
		if (!mf) {
			mk_pcapw_close(w);
			unlink(tmp);
			return die("cannot write manifest: %s", strerror(errno));
		}
		fprintf(mf, "# mobwire manifest: frame<TAB>message<TAB>tshark field<TAB>value\n"
			    "# value \"~V\": V is one of the field's occurrences; otherwise all\n"
			    "# occurrences joined with ','\n# profile %s\n",
			cp->profile ? cp->profile : "default");
	}
	for (size_t k = 0; k < mw_nrecipes && rc == 0; k++) {
		int want = nonly == 0;
		for (int i = 0; i < nonly; i++)
			want |= strcmp(mw_recipes[k].name, only[i]) == 0;
		if (!want)
			continue;
		memset(&s, 0, sizeof s);
		s.label = mw_recipes[k].name;
		if (mw_recipes[k].fn(&s, cp) != 0) {
			rc = 1;
			break;
		}
		uint8_t fr[14 + MW_PKT_MAX];
		size_t e = mk_eth_ipv6(fr, 1, 2);
		memcpy(fr + e, s.pkt, s.len);
		frame++;
		if (mk_pcapw_write(w, (uint64_t)frame * 1000000ull, fr, e + s.len) != 0) {
			rc = die("%s", "write failed");
			break;
		}
		if (mf) {
			char *line = s.expect, *nl;
			while ((nl = strchr(line, '\n'))) {
				fprintf(mf, "%u\t%s\t%.*s\n", frame, s.label, (int)(nl - line), line);
				line = nl + 1;
			}
		}
	}
	if (mk_pcapw_close(w) != 0 && rc == 0)
		rc = die("%s", "could not complete the capture file");
	if (mf && (fflush(mf) != 0 || ferror(mf)) && rc == 0)
		rc = die("%s", "could not complete the manifest");
	if (mf)
		fclose(mf);
	if (rc == 0 && rename(tmp, out) != 0)
		rc = die("cannot rename the capture: %s", strerror(errno));
	if (rc == 0 && mf && rename(mtmp, manifest) != 0)
		rc = die("cannot rename the manifest: %s", strerror(errno));
	if (rc != 0) {
		unlink(tmp);
		if (mf)
			unlink(mtmp);
		return rc;
	}
	fprintf(stderr, "mobwire: %u packets in %s\n", frame, out);
	return 0;
}

static int decode(const char *path, const struct mk_codepoints *cp, bool verbose)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned no = 0, bad = 0, skipped = 0;
	int r;

	if (!p)
		return die("%s", err);
	int dlt = pcap_datalink(p);
	mw_decode_header(stdout);
	while ((r = pcap_next_ex(p, &h, &data)) == 1) {
		no++;
		long off = mk_link_ip6_offset(dlt, data, h->caplen);
		if (off < 0) {
			printf("%4u  %-7s  not IPv6 on link type %d\n", no, "skip", dlt);
			skipped++;
			continue;
		}
		if (h->caplen < h->len) {
			printf("%4u  %-7s  captured %u of %u octets\n", no, "skip", h->caplen, h->len);
			skipped++;
			continue;
		}
		bad += (unsigned)mw_decode_packet(stdout, no, data + off, h->caplen - (size_t)off, cp,
						  verbose);
	}
	if (r == -1) {
		fprintf(stderr, "mobwire: %s: %s\n", path, pcap_geterr(p));
		pcap_close(p);
		return 2;
	}
	pcap_close(p);
	printf("%u packets: %u ok, %u failed, %u skipped\n", no, no - bad - skipped, bad, skipped);
	return bad ? 1 : 0;
}

struct cli {
	const char *out, *manifest, *profile;
	char *only[64], *cpset[32];
	int nonly, ncp;
	bool verbose;
};

/* Parse options up to the first non-option (optstring "+...") or all of
 * them.  Returns -1 to go on, or the exit status. */
static int opts(int argc, char **argv, const char *optstring, struct cli *o)
{
	static const struct option lo[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "profile", required_argument, NULL, 'p' },
		{ "codepoint", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "manifest", required_argument, NULL, 'm' },
		{ "only", required_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, optstring, lo, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("mobwire %s\n", VERSION);
			return 0;
		case 'p':
			o->profile = optarg;
			break;
		case 'c':
			if (o->ncp == 32)
				return die("%s", "too many --codepoint");
			o->cpset[o->ncp++] = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'm':
			o->manifest = optarg;
			break;
		case 'n':
			if (o->nonly == 64)
				return die("%s", "too many --only");
			o->only[o->nonly++] = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct cli o = { .out = "results/mobwire.pcap", .profile = "default" };
	struct mk_codepoints cp;
	int c;

	if ((c = opts(argc, argv, "+hVp:c:o:m:n:v", &o)) >= 0)
		return c;
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[optind++];
	/* options may also follow the subcommand */
	if ((c = opts(argc, argv, "hVp:c:o:m:n:v", &o)) >= 0)
		return c;
	if (mk_cp_profile(&cp, o.profile).err != MK_E_OK)
		return die("unknown profile '%s' (default, paper)", o.profile);
	for (int i = 0; i < o.ncp; i++) {
		struct mk_status st = mk_cp_set(&cp, o.cpset[i]);
		if (st.err != MK_E_OK) {
			fprintf(stderr, "mobwire: --codepoint '%s': %s\n", o.cpset[i], mk_strerror(st.err));
			return 2;
		}
	}
	if (strcmp(cmd, "craft") == 0) {
		if (optind != argc)
			return die("craft: unexpected argument '%s'", argv[optind]);
		print_cp(stderr, &cp);
		return craft(o.out, o.manifest, o.only, o.nonly, &cp);
	}
	if (strcmp(cmd, "decode") == 0) {
		if (optind + 1 != argc)
			return die("%s", "decode: give exactly one capture file");
		if (o.verbose)
			print_cp(stdout, &cp);
		return decode(argv[optind], &cp, o.verbose);
	}
	if (strcmp(cmd, "list") == 0) {
		for (size_t k = 0; k < mw_nrecipes; k++)
			printf("%-16s %s\n", mw_recipes[k].name, mw_recipes[k].what);
		return 0;
	}
	if (strcmp(cmd, "codepoints") == 0) {
		print_cp(stdout, &cp);
		return 0;
	}
	return die("unknown command '%s' (craft, decode, list, codepoints)", cmd);
}
