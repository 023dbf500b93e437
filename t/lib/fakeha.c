/* t/lib/fakeha.c: a scripted home agent for mobprobe's tests, until the
 * reference stack exists.  It answers each bare BU (Next Header 135, no
 * Home Address option: the kernel hands those to a raw socket for protocol
 * 135 instead of answering Parameter Problem) with the next answer of its
 * script, then exits when the script is done:
 *
 *   fakeha ANSWER...      ANSWER is one of
 *     accept      BA status 0, the BU's sequence number and lifetime
 *     badseq      BA status 0 with the sequence number + 1
 *     long        BA status 0 granting twice the lifetime asked
 *     stale       BA status 135 with the sequence number - 5
 *     full        BA status 130 (insufficient resources)
 *     be          BE status 2 (unrecognised MH type)
 *     badcksum    BA status 0 with a wrong checksum
 *
 * Built from lib/wire like everything else; not installed. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/raw6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"

int main(int argc, char **argv)
{
	char err[256];
	struct mk_raw6 out;
	int in = socket(AF_INET6, SOCK_RAW, MK_NH_MH);

	if (argc < 2 || in < 0 || mk_raw6_open(&out, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "usage: fakeha ANSWER... (as root)\n");
		return 2;
	}
	printf("ready\n");
	fflush(stdout);
	for (int i = 1; i < argc; i++) {
		uint8_t buf[2048], mh[256], pkt[512];
		struct sockaddr_in6 from;
		socklen_t fl = sizeof from;
		struct sockaddr_in6 to;
		socklen_t tl = sizeof to;
		struct mk_mh bu, a;
		size_t n, len;
		ssize_t k = recvfrom(in, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);

		/* the raw socket gives the MH; our address is the one it came to */
		if (k <= 0 || mk_mh_parse(buf, (size_t)k, NULL, &bu).err != MK_E_OK ||
		    bu.type != MK_MH_BU) {
			i--;
			continue;
		}
		int probe = socket(AF_INET6, SOCK_DGRAM, 0);
		from.sin6_port = htons(9);
		if (connect(probe, (struct sockaddr *)&from, sizeof from) != 0 ||
		    getsockname(probe, (struct sockaddr *)&to, &tl) != 0)
			return 1;
		close(probe);
		const char *what = argv[i];
		mk_mh_init(&a, MK_MH_BA);
		a.u.ba.seq = bu.u.bu.seq;
		a.u.ba.lifetime = bu.u.bu.lifetime;
		if (strcmp(what, "badseq") == 0)
			a.u.ba.seq++;
		else if (strcmp(what, "long") == 0)
			a.u.ba.lifetime = (uint16_t)(bu.u.bu.lifetime * 2);
		else if (strcmp(what, "stale") == 0)
			a.u.ba.status = MK_BA_SEQ_OUT_OF_WIN, a.u.ba.seq = (uint16_t)(bu.u.bu.seq - 5);
		else if (strcmp(what, "full") == 0)
			a.u.ba.status = 130, a.u.ba.lifetime = 0;
		else if (strcmp(what, "be") == 0) {
			mk_mh_init(&a, MK_MH_BE);
			a.u.be.status = MK_BE_UNKNOWN_TYPE;
		} else if (strcmp(what, "accept") && strcmp(what, "badcksum")) {
			fprintf(stderr, "fakeha: unknown answer '%s'\n", what);
			return 2;
		}
		if (mk_mh_build(mh, sizeof mh, NULL, &a, &n).err != MK_E_OK ||
		    mk_pkt_assemble(pkt, sizeof pkt, &to.sin6_addr, &from.sin6_addr, NULL, NULL,
				    MK_NH_MH, mh, n, &len).err != MK_E_OK)
			return 1;
		if (strcmp(what, "badcksum") == 0)
			pkt[40 + 4] ^= 0x40;
		if (mk_raw6_send(&out, pkt, len) != 0)
			return 1;
	}
	mk_raw6_close(&out);
	close(in);
	return 0;
}
