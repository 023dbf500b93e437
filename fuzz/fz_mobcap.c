/* fuzz/fz_mobcap.c: the input is a capture file for mobcap.
 *
 * If it starts with a pcap or pcapng magic number it is the file itself
 * (libpcap reads it).  Otherwise it is turned into a pcap file: octet 0
 * picks the link type (Ethernet, raw IP, raw IPv6, Linux cooked v1 and v2),
 * then each record is one length octet and that many octets of frame, 1 ms
 * apart; so the fuzzer works on packets as well as on file structure.
 *
 * The file goes through everything mobcap does with a capture: the source
 * merge (once alone and once as two sources, which exercises the
 * recognition of one packet at two vantage points), every line in both
 * codepoint profiles, and the five latency metrics with JSON records.  A
 * crash, a sanitizer report or a line that is not NUL-terminated within
 * its buffer is a finding. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture/mobcap/mobcap.h"
#include "util/json.h"

int mk_fuzz_mobcap(const uint8_t *data, size_t size);

static void put32(FILE *f, uint32_t v)
{
	fwrite(&v, 4, 1, f);
}

static void as_pcap(FILE *f, const uint8_t *d, size_t n)
{
	static const uint32_t dlt[] = { DLT_EN10MB, DLT_RAW, DLT_IPV6, DLT_LINUX_SLL, DLT_LINUX_SLL2 };
	uint16_t v[2] = { 2, 4 };
	put32(f, 0xa1b23c4d); /* nanosecond pcap, host order */
	fwrite(v, 2, 2, f);
	put32(f, 0);
	put32(f, 0);
	put32(f, 65535);
	put32(f, n ? dlt[d[0] % 5] : DLT_EN10MB);
	size_t i = 1;
	for (uint32_t k = 0; i < n; k++) {
		size_t len = d[i++];
		if (len > n - i)
			len = n - i;
		put32(f, k / 1000);
		put32(f, (k % 1000) * 1000000);
		put32(f, (uint32_t)len);
		put32(f, (uint32_t)len + (k & 1)); /* every other one "cut by the snaplen" */
		fwrite(d + i, 1, len, f);
		i += len;
	}
}

int mk_fuzz_mobcap(const uint8_t *data, size_t size)
{
	static struct mc_line l;
	char path[64], err[512];
	int fd = memfd_create("fz_mobcap", 0);
	if (fd < 0)
		return 0;
	FILE *f = fdopen(fd, "w+");
	if (!f) {
		close(fd);
		return 0;
	}
	bool magic = size >= 4 && (memcmp(data, "\xd4\xc3\xb2\xa1", 4) == 0 ||
				   memcmp(data, "\xa1\xb2\xc3\xd4", 4) == 0 ||
				   memcmp(data, "\x4d\x3c\xb2\xa1", 4) == 0 ||
				   memcmp(data, "\xa1\xb2\x3c\x4d", 4) == 0 ||
				   memcmp(data, "\x0a\x0d\x0d\x0a", 4) == 0);
	if (magic)
		fwrite(data, 1, size, f);
	else
		as_pcap(f, data, size);
	fflush(f);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	char *files[2] = { path, path };
	FILE *null = fopen("/dev/null", "w");

	struct mc_tally tally = { 0 };
	for (int nf = 1; nf <= 2; nf++) {
		struct mc_sources *s = mc_open(files, nf, NULL, err, sizeof err);
		if (!s)
			break; /* not a capture libpcap opens: an error, which is fine */
		struct mc_pkt p;
		struct mk_codepoints cp;
		mk_cp_profile(&cp, nf == 1 ? "default" : "paper");
		while (mc_next(s, &p) == 1) {
			mc_describe(&p, &cp, true, &l);
			if (!memchr(l.text, 0, sizeof l.text))
				abort();
			/* decode --json: every field of every layer, inner checksums counted */
			if (null) {
				struct mk_json j;
				mk_json_begin(&j, null);
				mc_fields(&j, &p, &l, &cp, &tally);
				mk_json_finish(&j);
			}
		}
		mc_report(s, null, nf == 2);
		mc_close(s);
	}
	for (int m = 0; m < MC_M__COUNT; m++) {
		struct mc_lat_opts o = { .format = m % 2 ? MC_FMT_JSON : MC_FMT_CSV, .run = "fuzz" };
		struct mk_codepoints cp;
		mk_cp_profile(&cp, "default");
		struct mc_sources *s = mc_open(files, 2, NULL, err, sizeof err);
		if (!s)
			break;
		mc_latency(s, (enum mc_metric)m, &cp, &o, null, err, sizeof err);
		mc_close(s);
	}
	if (null)
		fclose(null);
	fclose(f);
	return 0;
}

#ifdef MK_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return mk_fuzz_mobcap(data, size);
}
#endif
