/* t/lib/fakeha.c: a scripted peer for mobprobe's tests, until the reference
 * stack exists.  It answers each message mobprobe sends with the next entry
 * of its script and exits when the script is done.  Bare MH messages (Next
 * Header 135, no Home Address option) reach it through a raw socket for
 * protocol 135, so the kernel does not answer Parameter Problem; DHAAD
 * Requests through a raw ICMPv6 socket.
 *
 *   fakeha ANSWER...      ANSWER is one of
 *     accept      BU -> BA status 0, the BU's sequence number and lifetime
 *     badseq      BU -> BA status 0 with the sequence number + 1
 *     long        BU -> BA status 0 granting twice the lifetime asked
 *     stale       BU -> BA status 135 with the sequence number - 5
 *     full        BU -> BA status 130 (insufficient resources)
 *     be          BU -> BE status 2 (unrecognised MH type)
 *     badcksum    BU -> BA status 0 with a wrong checksum
 *     hot         HoTI -> HoT with its cookie, nonce index 3
 *     badcookie   HoTI -> HoT with the cookie's first octet changed
 *     dhaad       DHAAD Request -> Reply listing 2001:db8:5::2, 2001:db8:5::3
 *
 * Built from lib/wire like everything else; not installed. */
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/raw6.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"

/* Our address toward `to`: what the kernel would use as the source. */
static int our_addr(const struct sockaddr_in6 *to, struct in6_addr *me)
{
	struct sockaddr_in6 peer = *to, sa;
	socklen_t l = sizeof sa;
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);
	peer.sin6_port = htons(9);
	int rc = (fd >= 0 && connect(fd, (struct sockaddr *)&peer, sizeof peer) == 0 &&
		  getsockname(fd, (struct sockaddr *)&sa, &l) == 0)
			 ? 0
			 : -1;
	if (fd >= 0)
		close(fd);
	*me = sa.sin6_addr;
	return rc;
}

/* The answer to an MH message, or 0 if this entry does not answer it. */
static int answer_mh(const char *what, const struct mk_mh *q, struct mk_mh *a)
{
	bool to_bu = strcmp(what, "hot") && strcmp(what, "badcookie");
	if (to_bu != (q->type == MK_MH_BU) || (!to_bu && q->type != MK_MH_HOTI))
		return 0;
	if (!to_bu) {
		mk_mh_init(a, MK_MH_HOT);
		a->u.test.nonce_idx = 3;
		memcpy(a->u.test.cookie, q->u.testinit.cookie, 8);
		memcpy(a->u.test.token, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
		if (strcmp(what, "badcookie") == 0)
			a->u.test.cookie[0] ^= 0xff;
		return 1;
	}
	mk_mh_init(a, MK_MH_BA);
	a->u.ba.seq = q->u.bu.seq;
	a->u.ba.lifetime = q->u.bu.lifetime;
	if (strcmp(what, "badseq") == 0)
		a->u.ba.seq++;
	else if (strcmp(what, "long") == 0)
		a->u.ba.lifetime = (uint16_t)(q->u.bu.lifetime * 2);
	else if (strcmp(what, "stale") == 0)
		a->u.ba.status = MK_BA_SEQ_OUT_OF_WIN, a->u.ba.seq = (uint16_t)(q->u.bu.seq - 5);
	else if (strcmp(what, "full") == 0)
		a->u.ba.status = 130, a->u.ba.lifetime = 0;
	else if (strcmp(what, "be") == 0) {
		mk_mh_init(a, MK_MH_BE);
		a->u.be.status = MK_BE_UNKNOWN_TYPE;
	}
	return 1;
}

int main(int argc, char **argv)
{
	static const char *known[] = { "accept", "badseq", "long", "stale", "full", "be",
				       "badcksum", "hot", "badcookie", "dhaad" };
	char err[256];
	struct mk_raw6 out;
	int mhs = socket(AF_INET6, SOCK_RAW, MK_NH_MH);
	int ics = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);

	for (int i = 1; i < argc; i++) {
		size_t k = 0;
		while (k < sizeof known / sizeof known[0] && strcmp(argv[i], known[k]))
			k++;
		if (k == sizeof known / sizeof known[0]) {
			fprintf(stderr, "fakeha: unknown answer '%s'\n", argv[i]);
			return 2;
		}
	}
	if (argc < 2 || mhs < 0 || ics < 0 || mk_raw6_open(&out, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "usage: fakeha ANSWER... (as root)\n");
		return 2;
	}
	printf("ready\n");
	fflush(stdout);
	for (int i = 1; i < argc;) {
		const char *what = argv[i];
		uint8_t buf[2048], body[512], pkt[600];
		struct sockaddr_in6 from;
		socklen_t fl = sizeof from;
		struct in6_addr me;
		size_t n = 0, len;
		uint8_t ulp;
		struct pollfd p[2] = { { .fd = mhs, .events = POLLIN }, { .fd = ics, .events = POLLIN } };

		if (poll(p, 2, -1) <= 0)
			continue;
		int fd = (p[0].revents & POLLIN) ? mhs : ics;
		ssize_t k = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
		if (k <= 0 || our_addr(&from, &me) != 0)
			continue;
		if (fd == mhs) {
			struct mk_mh q, a;
			if (mk_mh_parse(buf, (size_t)k, NULL, &q).err != MK_E_OK ||
			    !answer_mh(what, &q, &a) ||
			    mk_mh_build(body, sizeof body, NULL, &a, &n).err != MK_E_OK)
				continue;
			ulp = MK_NH_MH;
		} else {
			struct mk_icmp6 q, a;
			if (strcmp(what, "dhaad") ||
			    mk_icmp6_parse(buf, (size_t)k, NULL, &q).err != MK_E_OK ||
			    q.kind != MK_ICMP6_K_DHAAD_REQUEST)
				continue;
			memset(&a, 0, sizeof a);
			a.kind = MK_ICMP6_K_DHAAD_REPLY;
			a.u.ident.id = q.u.ident.id;
			a.n_addrs = 2;
			inet_pton(AF_INET6, "2001:db8:5::2", &a.addrs[0]);
			inet_pton(AF_INET6, "2001:db8:5::3", &a.addrs[1]);
			if (mk_icmp6_build(body, sizeof body, NULL, &a, &n).err != MK_E_OK)
				continue;
			ulp = MK_NH_ICMPV6;
		}
		if (mk_pkt_assemble(pkt, sizeof pkt, &me, &from.sin6_addr, NULL, NULL, ulp, body, n,
				    &len).err != MK_E_OK)
			return 1;
		if (strcmp(what, "badcksum") == 0)
			pkt[40 + 4] ^= 0x40;
		if (mk_raw6_send(&out, pkt, len) != 0)
			return 1;
		i++;
	}
	mk_raw6_close(&out);
	close(mhs);
	close(ics);
	return 0;
}
