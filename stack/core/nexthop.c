/* stack/core/nexthop.c: the Ethernet address a packet from src to dst
 * leaves for, asked of the kernel (libmnl: RTM_GETROUTE, then RTM_GETNEIGH
 * for the gateway or the destination) and cached, so that the batched
 * sender (io.c) can put it on an AF_PACKET socket with its Ethernet header
 * and skip the kernel's IPv6 output path.
 *
 * Why: with IPPROTO_RAW (IPV6_HDRINCL) every packet is routed again, and
 * for an on-link destination the kernel allocates an uncached route clone
 * per packet (FLOWI_FLAG_KNOWN_NH) and chooses a source address it then
 * ignores: perf on the home agent at 300k BU/s put ip6_dst_lookup_flow at
 * 23% of its CPU, ip6_output's rest at another 14%.
 *
 * Only what the kernel would send the same way: a unicast route of type
 * RTN_UNICAST out of the capture interface (the raw socket is bound to it),
 * no multipath, a neighbour entry with an address: REACHABLE, PERMANENT or
 * NOARP; or STALE, DELAY or PROBE (the kernel sends to it too, and confirms
 * it meanwhile): then the packet of the lookup goes through the kernel,
 * which starts or continues that confirmation; a neighbour that fails
 * loses its address and the next lookup says no.  Answers, yes or no, are
 * kept 1 s; at most 200 lookups a second (a flood from random care-of addresses goes the kernel's way
 * instead of costing two netlink round trips a packet). */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "stack/core/core.h"

#define NH_SLOTS       256
#define NH_TTL_NS      1000000000ull
#define NH_LOOKUPS_SEC 200
#define NH_BUF         8192

struct nh_ent {
	struct in6_addr src, dst;
	uint64_t until;                  /* monotonic ns; 0: empty */
	bool ok;
	uint8_t mac[6];
};

static struct nh_ent nh_tab[NH_SLOTS];
static struct mnl_socket *nh_nl;
static unsigned nh_seq;
static uint64_t nh_sec;
static unsigned nh_lookups;

/* one request and its answer; cb sees each message.  0, or -1 */
static int nh_talk(struct nlmsghdr *h, mnl_cb_t cb, void *data)
{
	char buf[NH_BUF];
	int r;
	if (!nh_nl) {
		nh_nl = mnl_socket_open(NETLINK_ROUTE);
		if (!nh_nl || mnl_socket_bind(nh_nl, 0, MNL_SOCKET_AUTOPID) < 0) {
			if (nh_nl)
				mnl_socket_close(nh_nl);
			nh_nl = NULL;
			return -1;
		}
		struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
		(void)setsockopt(mnl_socket_get_fd(nh_nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		nh_seq = (unsigned)time(NULL);
	}
	h->nlmsg_seq = ++nh_seq;
	if (mnl_socket_sendto(nh_nl, h, h->nlmsg_len) < 0)
		return -1;
	/* a GET without NLM_F_DUMP: one answer (the entry or an error), queued
	 * before sendto returns; the receive timeout is a guard only */
	r = (int)mnl_socket_recvfrom(nh_nl, buf, sizeof buf);
	if (r <= 0)
		return -1;
	return mnl_cb_run(buf, (size_t)r, h->nlmsg_seq, mnl_socket_get_portid(nh_nl), cb, data) < 0
		       ? -1
		       : 0;
}

struct nh_route {
	int ifindex;
	bool ok;
	struct in6_addr via;
};

static int route_cb(const struct nlmsghdr *h, void *data)
{
	struct nh_route *q = data;
	const struct rtmsg *m = mnl_nlmsg_get_payload(h);
	const struct nlattr *a;
	bool oif = false, gw = false;
	if (h->nlmsg_type != RTM_NEWROUTE || m->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	mnl_attr_for_each(a, h, sizeof *m) {
		switch (mnl_attr_get_type(a)) {
		case RTA_OIF:
			oif = mnl_attr_get_u32(a) == (uint32_t)q->ifindex;
			break;
		case RTA_GATEWAY:
			if (mnl_attr_get_payload_len(a) == 16) {
				memcpy(&q->via, mnl_attr_get_payload(a), 16);
				gw = true;
			}
			break;
		case RTA_MULTIPATH:
			return MNL_CB_OK; /* the kernel picks per flow: leave it to the kernel */
		}
	}
	q->ok = oif;
	(void)gw; /* without a gateway: on link, via stays the destination */
	return MNL_CB_OK;
}

struct nh_neigh {
	bool ok, kick;
	uint8_t mac[6];
};

static int neigh_cb(const struct nlmsghdr *h, void *data)
{
	struct nh_neigh *q = data;
	const struct ndmsg *m = mnl_nlmsg_get_payload(h);
	const struct nlattr *a;
	if (h->nlmsg_type != RTM_NEWNEIGH ||
	    !(m->ndm_state & (NUD_REACHABLE | NUD_PERMANENT | NUD_NOARP | NUD_STALE | NUD_DELAY | NUD_PROBE)))
		return MNL_CB_OK;
	/* not confirmed lately: the kernel uses the address and confirms it
	 * when it sends; so shall we, and one packet goes its way to make it */
	q->kick = !(m->ndm_state & (NUD_REACHABLE | NUD_PERMANENT | NUD_NOARP));
	mnl_attr_for_each(a, h, sizeof *m) {
		if (mnl_attr_get_type(a) == NDA_LLADDR && mnl_attr_get_payload_len(a) == 6) {
			memcpy(q->mac, mnl_attr_get_payload(a), 6);
			q->ok = true;
		}
	}
	return MNL_CB_OK;
}

static bool nh_lookup(int ifindex, const struct in6_addr *src, const struct in6_addr *dst,
		      uint8_t mac[6], bool *kick)
{
	char buf[NH_BUF];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct nh_route rq = { .ifindex = ifindex, .via = *dst };
	struct nh_neigh nq = { 0 };
	h->nlmsg_type = RTM_GETROUTE;
	h->nlmsg_flags = NLM_F_REQUEST;
	struct rtmsg *rm = mnl_nlmsg_put_extra_header(h, sizeof *rm);
	rm->rtm_family = AF_INET6;
	rm->rtm_dst_len = 128;
	rm->rtm_src_len = 128;
	mnl_attr_put(h, RTA_DST, 16, dst);
	mnl_attr_put(h, RTA_SRC, 16, src);
	mnl_attr_put_u32(h, RTA_OIF, (uint32_t)ifindex);
	if (nh_talk(h, route_cb, &rq) != 0 || !rq.ok)
		return false;
	h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = RTM_GETNEIGH;
	h->nlmsg_flags = NLM_F_REQUEST;
	struct ndmsg *nm = mnl_nlmsg_put_extra_header(h, sizeof *nm);
	nm->ndm_family = AF_INET6;
	nm->ndm_ifindex = ifindex;
	mnl_attr_put(h, NDA_DST, 16, &rq.via);
	if (nh_talk(h, neigh_cb, &nq) != 0 || !nq.ok)
		return false;
	memcpy(mac, nq.mac, 6);
	*kick = nq.kick;
	return true;
}

bool nh_mac(int ifindex, const struct in6_addr *src, const struct in6_addr *dst, uint8_t mac[6])
{
	uint32_t x = 2166136261u;
	uint64_t now = now_ns();
	/* link-scope multicast (ff02::/16): its MAC is 33:33 and the address's
	 * last four octets (RFC 2464 7) */
	if (dst->s6_addr[0] == 0xff && (dst->s6_addr[1] & 0x0f) == 2) {
		mac[0] = mac[1] = 0x33;
		memcpy(mac + 2, dst->s6_addr + 12, 4);
		return true;
	}
	/* otherwise global unicast only: link-local, other multicast and
	 * loopback go the kernel's way */
	if (dst->s6_addr[0] == 0xff || (dst->s6_addr[0] == 0xfe && (dst->s6_addr[1] & 0xc0) == 0x80) ||
	    !memcmp(dst, &in6addr_loopback, 16) || !memcmp(dst, &in6addr_any, 16))
		return false;
	for (int i = 0; i < 16; i++)
		x = (x ^ dst->s6_addr[i] ^ (uint32_t)src->s6_addr[i] << 8) * 16777619u;
	struct nh_ent *e = &nh_tab[x % NH_SLOTS];
	if (e->until > now && !memcmp(&e->dst, dst, 16) && !memcmp(&e->src, src, 16)) {
		if (e->ok)
			memcpy(mac, e->mac, 6);
		return e->ok;
	}
	if (now / NH_TTL_NS != nh_sec) {
		nh_sec = now / NH_TTL_NS;
		nh_lookups = 0;
	}
	if (nh_lookups >= NH_LOOKUPS_SEC)
		return false;
	nh_lookups++;
	e->src = *src;
	e->dst = *dst;
	e->until = now + NH_TTL_NS;
	bool kick = false;
	e->ok = nh_lookup(ifindex, src, dst, e->mac, &kick);
	if (e->ok)
		memcpy(mac, e->mac, 6);
	return e->ok && !kick; /* kick: this one through the kernel (NUD) */
}

void nh_flush(void)
{
	memset(nh_tab, 0, sizeof nh_tab);
	if (nh_nl)
		mnl_socket_close(nh_nl);
	nh_nl = NULL;
}
