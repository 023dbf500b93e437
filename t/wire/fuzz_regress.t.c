/* t/wire/fuzz_regress.t.c: replay every input a fuzzer ever crashed on.
 *
 * fixtures/fuzz-regress/<harness>/<name> holds each input that once made a
 * harness crash, leak or trip a sanitizer; each is run through the same
 * harness function here, in the normal build and under SAN=1.  A harness
 * aborts on a broken round trip, so a regression fails this test by
 * crashing it.  Each harness also gets an empty input and a buffer of
 * every octet value, so a harness that cannot run at all is caught. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t/lib/tap.h"

int mk_fuzz_ip6(const uint8_t *data, size_t size);
int mk_fuzz_mh(const uint8_t *data, size_t size);
int mk_fuzz_icmp6(const uint8_t *data, size_t size);
int mk_fuzz_tcp(const uint8_t *data, size_t size);
int mk_fuzz_dns(const uint8_t *data, size_t size);
int mk_fuzz_mobcap(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	int (*fn)(const uint8_t *, size_t);
} harness[] = {
	{ "ip6", mk_fuzz_ip6 },	  { "mh", mk_fuzz_mh },	  { "icmp6", mk_fuzz_icmp6 },
	{ "tcp", mk_fuzz_tcp },	  { "dns", mk_fuzz_dns },	  { "mobcap", mk_fuzz_mobcap },
};
#define NH (sizeof harness / sizeof harness[0])

static int is_input(const struct dirent *d)
{
	return d->d_name[0] != '.' && strcmp(d->d_name, "README") != 0;
}

int main(void)
{
	const char *root = getenv("MK_FUZZ_REGRESS") ? getenv("MK_FUZZ_REGRESS")
						     : "fixtures/fuzz-regress";
	struct dirent **lists[NH];
	int counts[NH];
	int total = 0;

	for (size_t i = 0; i < NH; i++) {
		char dir[512];
		snprintf(dir, sizeof dir, "%s/%s", root, harness[i].name);
		counts[i] = scandir(dir, &lists[i], is_input, alphasort);
		if (counts[i] < 0) {
			counts[i] = 0;
			lists[i] = NULL;
		}
		total += counts[i];
	}
	tap_plan((int)(2 * NH) + total);

	static uint8_t every[256];
	for (int v = 0; v < 256; v++)
		every[v] = (uint8_t)v;
	for (size_t i = 0; i < NH; i++) {
		tap_ok(harness[i].fn(NULL, 0) == 0, "%s: harness runs on an empty input", harness[i].name);
		tap_ok(harness[i].fn(every, sizeof every) == 0, "%s: harness runs on octets 0..255",
		       harness[i].name);
	}

	static uint8_t buf[1 << 20];
	for (size_t i = 0; i < NH; i++) {
		for (int k = 0; k < counts[i]; k++) {
			char path[1024];
			snprintf(path, sizeof path, "%s/%s/%s", root, harness[i].name,
				 lists[i][k]->d_name);
			FILE *f = fopen(path, "rb");
			size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
			if (f)
				fclose(f);
			/* copy into an exact-size heap block so ASan sees overreads */
			uint8_t *exact = malloc(n ? n : 1);
			memcpy(exact, buf, n);
			int rc = f ? harness[i].fn(exact, n) : -1;
			free(exact);
			tap_ok(rc == 0, "%s: replay %s (%zu octets)", harness[i].name,
			       lists[i][k]->d_name, n);
			free(lists[i][k]);
		}
		free(lists[i]);
	}
	return tap_done();
}
