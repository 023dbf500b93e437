/* t/lib/hasend.c: send one RFC 5142 Home Agent Switch to a mobile node,
 * for t/stack/harel.t (mobprobe has no subcommand for it).
 *
 *   hasend [-s SRC] [-k SPI:HEXKEY [-b]] HOA COA HA...
 *
 * From SRC (default: the route's) to COA with a type 2 routing header
 * carrying HOA, listing HA...; with -k, the RFC 4285 replay (now) and MN-HA
 * authentication options made with that SPI and key over COA | HOA | MH;
 * -b then flips one bit of the authenticator (a forgery that knows the
 * SPI, not the key).  Built from lib/wire like everything else; not
 * installed.  Exit 0 sent, 1 send failed, 2 usage. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/cap.h"
#include "net/raw6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/rr.h"

#define MAX_HA 8

static int usage(void)
{
	fputs("usage: hasend [-s SRC] [-k SPI:HEXKEY [-b]] HOA COA HA...\n", stderr);
	return 2;
}

static int hexkey(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(s);
	if (n == 0 || n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	*len = n / 2;
	return 0;
}

int main(int argc, char **argv)
{
	struct in6_addr src, hoa, coa, has[MAX_HA];
	bool have_src = false, bad = false, auth = false;
	uint8_t key[64], mh[512], pkt[1024];
	size_t keylen = 0, n, len;
	unsigned long spi = 0;
	char err[256];
	int c;
	while ((c = getopt(argc, argv, "s:k:b")) != -1) {
		char *colon;
		switch (c) {
		case 's':
			if (inet_pton(AF_INET6, optarg, &src) != 1)
				return usage();
			have_src = true;
			break;
		case 'k':
			colon = strchr(optarg, ':');
			if (!colon)
				return usage();
			*colon = '\0';
			spi = strtoul(optarg, NULL, 0);
			if (hexkey(colon + 1, key, sizeof key, &keylen) != 0)
				return usage();
			auth = true;
			break;
		case 'b':
			bad = true;
			break;
		default:
			return usage();
		}
	}
	int nha = argc - optind - 2;
	if (nha < 1 || nha > MAX_HA || inet_pton(AF_INET6, argv[optind], &hoa) != 1 ||
	    inet_pton(AF_INET6, argv[optind + 1], &coa) != 1)
		return usage();
	for (int i = 0; i < nha; i++)
		if (inet_pton(AF_INET6, argv[optind + 2 + i], &has[i]) != 1)
			return usage();

	struct mk_mh m;
	static const uint8_t zero12[MK_MH_MNHA_LEN];
	mk_mh_init(&m, MK_MH_HAS);
	m.u.has.n = (uint8_t)nha;
	m.u.has.addrs = has[0].s6_addr;
	if (auth) {
		uint64_t ns = mk_now_real_ns();
		m.opts[0].kind = MK_MHO_REPLAY;
		m.opts[0].v.replay = (ns / 1000000000ull + 2208988800ull) << 32 |
				     (((ns % 1000000000ull) << 32) / 1000000000ull);
		m.opts[1].kind = MK_MHO_AUTH;
		m.opts[1].v.auth.subtype = MK_MH_AUTH_MNHA;
		m.opts[1].v.auth.spi = (uint32_t)spi;
		m.opts[1].v.auth.data = zero12;
		m.opts[1].v.auth.len = MK_MH_MNHA_LEN;
		m.nopts = 2;
	}
	if (mk_mh_build(mh, sizeof mh, NULL, &m, &n).err != MK_E_OK ||
	    (auth && mk_rr_mnha_fill(mh, n, NULL, key, keylen, &coa, &hoa).err != MK_E_OK)) {
		fputs("hasend: cannot build the Home Agent Switch\n", stderr);
		return 1;
	}
	if (bad)
		mh[n - 1] ^= 1; /* the last octet of the authenticator, which ends the MH */
	struct mk_raw6 out;
	if (mk_raw6_open(&out, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "hasend: %s\n", err);
		return 1;
	}
	if (!have_src) {
		/* the route's source: connect a UDP socket and read it */
		struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = coa, .sin6_port = htons(9) };
		socklen_t sl = sizeof sa;
		int fd = socket(AF_INET6, SOCK_DGRAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
		    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
			fputs("hasend: no route to the care-of address\n", stderr);
			return 1;
		}
		close(fd);
		src = sa.sin6_addr;
	}
	if (mk_pkt_assemble(pkt, sizeof pkt, &src, &coa, NULL, &hoa, MK_MH_NEXTHDR, mh, n, &len).err !=
		    MK_E_OK ||
	    mk_raw6_send(&out, pkt, len) != 0) {
		fputs("hasend: cannot send\n", stderr);
		mk_raw6_close(&out);
		return 1;
	}
	mk_raw6_close(&out);
	return 0;
}
