/* lib/net/pcapio.c: capture files through libpcap. */
#include "pcapio.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/cursor.h"

struct mk_pcapw {
	pcap_t *p;
	pcap_dumper_t *d;
};

struct mk_pcapw *mk_pcapw_open(const char *path, int dlt, char *err, size_t errlen)
{
	struct mk_pcapw *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->p = pcap_open_dead_with_tstamp_precision(dlt, 262144, PCAP_TSTAMP_PRECISION_NANO);
	if (!w->p) {
		snprintf(err, errlen, "pcap_open_dead failed for link type %d", dlt);
		free(w);
		return NULL;
	}
	w->d = pcap_dump_open(w->p, path);
	if (!w->d) {
		snprintf(err, errlen, "%s: %s", path, pcap_geterr(w->p));
		pcap_close(w->p);
		free(w);
		return NULL;
	}
	return w;
}

int mk_pcapw_write(struct mk_pcapw *w, uint64_t ts_ns, const uint8_t *frame, size_t len)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof h);
	h.ts.tv_sec = (time_t)(ts_ns / 1000000000u);
	/* with nanosecond precision the tv_usec field carries nanoseconds */
	h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000u);
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)w->d, &h, frame);
	return 0;
}

int mk_pcapw_close(struct mk_pcapw *w)
{
	int rc = 0;
	if (!w)
		return 0;
	if (pcap_dump_flush(w->d) != 0)
		rc = -1;
	pcap_dump_close(w->d);
	pcap_close(w->p);
	free(w);
	return rc;
}

size_t mk_eth_ipv6(uint8_t out[14], uint8_t src_id, uint8_t dst_id)
{
	static const uint8_t oui[5] = { 0x02, 0x6d, 0x6f, 0x62, 0x6b }; /* 02:"mobk" */
	memcpy(out, oui, 5);
	out[5] = dst_id;
	memcpy(out + 6, oui, 5);
	out[11] = src_id;
	mk_store16(out + 12, 0x86dd);
	return 14;
}

long mk_link_ip6_offset(int dlt, const uint8_t *frame, size_t len)
{
	switch (dlt) {
	case DLT_EN10MB: {
		size_t off = 12;
		if (len < 14)
			return -1;
		uint16_t et = mk_load16(frame + off);
		while ((et == 0x8100 || et == 0x88a8) && off + 6 <= len) { /* VLAN tags */
			off += 4;
			et = mk_load16(frame + off);
		}
		return et == 0x86dd && off + 2 <= len ? (long)(off + 2) : -1;
	}
	case DLT_RAW:
#ifdef DLT_IPV6
	case DLT_IPV6:
#endif
		return len >= 1 && (frame[0] >> 4) == 6 ? 0 : -1;
	case DLT_LINUX_SLL:
		return len >= 16 && mk_load16(frame + 14) == 0x86dd ? 16 : -1;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		return len >= 20 && mk_load16(frame) == 0x86dd ? 20 : -1;
#endif
	case DLT_NULL:
	case DLT_LOOP: {
		if (len < 4)
			return -1;
		uint32_t af;
		memcpy(&af, frame, 4);
		/* AF_INET6 differs by OS: 10 Linux, 24/28/30 BSDs; either byte order */
		uint32_t sw = __builtin_bswap32(af);
		if (af == 10 || af == 24 || af == 28 || af == 30 || sw == 10 || sw == 24 ||
		    sw == 28 || sw == 30)
			return 4;
		return -1;
	}
	default:
		return -1;
	}
}
