/* stack/core/capture.c: what mobd receives (libpcap on the interface,
 * immediate mode, inbound only): packets whose first Next Header is 41
 * (IPv6-in-IPv6), 43 (routing header: RH2), 60 (Destination Options: Home
 * Address option) or 135 (Mobility Header); a home agent with kernel-state
 * yes adds what is addressed into its home prefix but not to itself
 * (cap_filter: the packets to the home addresses it holds, which its
 * nftables set drops).  The nftables table drops the same packets at the
 * ingress hook; packet sockets see frames before it.  A home agent on a
 * router (ha-bu-iface) has a capture on each further interface too, with
 * a filter of its own (cap_open_also; home-agent.c). */
#include <linux/if_packet.h>
#include <stdio.h>
#include <sys/socket.h>

#include "stack/core/core.h"

static int set_filter(pcap_t *p, const char *expr, char *err, size_t errlen)
{
	struct bpf_program prog;
	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0 || pcap_setfilter(p, &prog) != 0) {
		snprintf(err, errlen, "capture filter: %s", pcap_geterr(p));
		return -1;
	}
	pcap_freecode(&prog);
	return 0;
}

/* the filter: the first Next Header 41, 43, 60 or 135, or what also
 * passes (a pcap expression; NULL: nothing more) */
int cap_filter(struct mobd_io *io, const char *also, char *err, size_t errlen)
{
	char expr[512];
	snprintf(expr, sizeof expr, "ip6 and (" MOBD_CAP_BASE "%s%s%s)",
		 also ? " or (" : "", also ? also : "", also ? ")" : "");
	return set_filter(io->pcap, expr, err, errlen);
}

/* a capture on iface, Ethernet, inbound, non-blocking, with the filter
 * expr: *out (set even when a later step fails, for its close), its
 * descriptor *fd */
static int open_one(const char *iface, const char *expr, pcap_t **out, int *fd, char *err,
		    size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_create(iface, ebuf);
	*out = p;
	if (!p) {
		snprintf(err, errlen, "capture on '%s': %s", iface, ebuf);
		return -1;
	}
	/* immediate mode: libpcap uses TPACKET_V2, one ring slot per frame
	 * sized for the snaplen, so 32 MB hold 512 frames (t/stack/ha-load.t:
	 * a stopped mobd keeps exactly 512 of 40000 BUs; the rest count in
	 * cap_drop).  A longer burst than that is dropped even when mobd keeps
	 * up on average.  Not lowered: a GRO'd tunnel frame can be far longer
	 * than the MTU, and a truncated one would be tunnelled cut.  (TPACKET_V3,
	 * non-immediate with a 1 ms block timeout, packs frames by their size
	 * but adds up to that timeout to every packet's latency; tried once in
	 * the bench's BU part: ratio 0.73 vs 0.77, cap_drop 34k vs 48k of
	 * 300k, within the noise between runs: not kept.) */
	pcap_set_snaplen(p, 65535);
	pcap_set_immediate_mode(p, 1);
	pcap_set_buffer_size(p, 32 << 20);
	if (pcap_activate(p) < 0) {
		snprintf(err, errlen, "capture on '%s': %s", iface, pcap_geterr(p));
		return -1;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		snprintf(err, errlen, "interface '%s' is not Ethernet", iface);
		return -1;
	}
	pcap_setdirection(p, PCAP_D_IN);
	/* libpcap does PCAP_D_IN in user space: the kernel still copied every
	 * packet mobd sent (each BA: Next Header 43 or 135 passes the filter)
	 * into the ring, half its slots under load.  Linux 4.20+ skips this
	 * socket for outgoing packets altogether; older kernels refuse the
	 * option and libpcap's check stays. */
	int one = 1;
	(void)setsockopt(pcap_fileno(p), SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
			 sizeof one);
	if (set_filter(p, expr, err, errlen) != 0)
		return -1;
	if (pcap_setnonblock(p, 1, ebuf) != 0) {
		snprintf(err, errlen, "capture: %s", ebuf);
		return -1;
	}
	*fd = pcap_get_selectable_fd(p);
	return 0;
}

int cap_open(struct mobd_io *io, const char *iface, char *err, size_t errlen)
{
	return open_one(iface, "ip6 and (" MOBD_CAP_BASE ")",
			&io->pcap, &io->pcap_fd, err, errlen);
}

int cap_open_also(struct mobd_io *io, const char *iface, const char *filter, char *err,
		  size_t errlen)
{
	unsigned i = io->n_xpcap;
	if (i == MOBD_MAX_BU_IFACES) {
		snprintf(err, errlen, "capture on '%s': more than %d further interfaces", iface,
			 MOBD_MAX_BU_IFACES);
		return -1;
	}
	io->xpcap_fd[i] = -1;
	int r = open_one(iface, filter, &io->xpcap[i], &io->xpcap_fd[i], err, errlen);
	if (io->xpcap[i])
		io->n_xpcap++; /* cap_close closes it, opened whole or not */
	return r;
}

void cap_close(struct mobd_io *io)
{
	if (io->pcap)
		pcap_close(io->pcap);
	io->pcap = NULL;
	io->pcap_fd = -1;
	for (unsigned i = 0; i < io->n_xpcap; i++)
		pcap_close(io->xpcap[i]);
	io->n_xpcap = 0;
}

/* one captured Ethernet frame to the intake (a pcap_handler; user = the mobd) */
static void cap_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	if (h->caplen < 14 + 40 || bytes[12] != 0x86 || bytes[13] != 0xdd)
		return;
	intake_packet((struct mobd *)user, bytes + 14, h->caplen - 14);
}

int cap_dispatch(struct mobd *d, int max)
{
	/* a bounded batch per wakeup keeps the other descriptors served; what
	 * the roles send meanwhile goes in batches (io_batch_begin) */
	io_batch_begin(&d->io);
	int r = pcap_dispatch(d->io.pcap, max, cap_frame, (u_char *)d);
	io_batch_end(&d->io);
	if (r < 0)
		log_warnx("capture: %s", pcap_geterr(d->io.pcap));
	return r;
}

void cap_dispatch_also(struct mobd *d, int max)
{
	io_batch_begin(&d->io);
	for (unsigned i = 0; i < d->io.n_xpcap; i++)
		if (pcap_dispatch(d->io.xpcap[i], max, cap_frame, (u_char *)d) < 0)
			log_warnx("capture: %s", pcap_geterr(d->io.xpcap[i]));
	io_batch_end(&d->io);
}

uint64_t cap_drops(struct mobd_io *io)
{
	/* Linux: PACKET_STATISTICS' tp_drops (frames that passed the filter
	 * and found the ring full), summed by libpcap since the open */
	struct pcap_stat st;
	uint64_t n = 0;
	if (io->pcap && pcap_stats(io->pcap, &st) == 0)
		n = st.ps_drop;
	for (unsigned i = 0; i < io->n_xpcap; i++)
		if (pcap_stats(io->xpcap[i], &st) == 0)
			n += st.ps_drop;
	return n;
}
