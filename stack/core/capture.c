/* stack/core/capture.c: what mobd receives (libpcap on the interface,
 * immediate mode, inbound only): packets whose first Next Header is 41
 * (IPv6-in-IPv6), 43 (routing header: RH2), 60 (Destination Options: Home
 * Address option) or 135 (Mobility Header).  The nftables table drops the
 * same packets in prerouting; packet sockets see frames before netfilter. */
#include <stdio.h>

#include "stack/core/core.h"

int cap_open(struct mobd_io *io, const char *iface, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	io->pcap = pcap_create(iface, ebuf);
	if (!io->pcap) {
		snprintf(err, errlen, "capture on '%s': %s", iface, ebuf);
		return -1;
	}
	pcap_set_snaplen(io->pcap, 65535);
	pcap_set_immediate_mode(io->pcap, 1);
	pcap_set_buffer_size(io->pcap, 32 << 20);
	if (pcap_activate(io->pcap) < 0) {
		snprintf(err, errlen, "capture on '%s': %s", iface, pcap_geterr(io->pcap));
		return -1;
	}
	if (pcap_datalink(io->pcap) != DLT_EN10MB) {
		snprintf(err, errlen, "interface '%s' is not Ethernet", iface);
		return -1;
	}
	pcap_setdirection(io->pcap, PCAP_D_IN);
	if (pcap_compile(io->pcap, &prog,
			 "ip6 and (ip6[6] == 41 or ip6[6] == 43 or ip6[6] == 60 or ip6[6] == 135)", 1,
			 PCAP_NETMASK_UNKNOWN) != 0 ||
	    pcap_setfilter(io->pcap, &prog) != 0) {
		snprintf(err, errlen, "capture filter: %s", pcap_geterr(io->pcap));
		return -1;
	}
	pcap_freecode(&prog);
	if (pcap_setnonblock(io->pcap, 1, ebuf) != 0) {
		snprintf(err, errlen, "capture: %s", ebuf);
		return -1;
	}
	io->pcap_fd = pcap_get_selectable_fd(io->pcap);
	return 0;
}

void cap_close(struct mobd_io *io)
{
	if (io->pcap)
		pcap_close(io->pcap);
	io->pcap = NULL;
	io->pcap_fd = -1;
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
	/* a bounded batch per wakeup keeps the other descriptors served */
	int r = pcap_dispatch(d->io.pcap, max, cap_frame, (u_char *)d);
	if (r < 0)
		log_warnx("capture: %s", pcap_geterr(d->io.pcap));
	return r;
}
