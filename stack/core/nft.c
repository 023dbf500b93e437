/* stack/core/nft.c: the nftables table that keeps Mobility Header, Home
 * Address option, RH2 and tunnel packets from the kernel (libnftables):
 * made at start, deleted at exit; the tables of mobd processes that are
 * gone are removed at start.
 *
 * It is a netdev table on the interface's ingress hook, which comes after
 * the packet sockets that see every frame (mobd's capture, tcpdump) and
 * before the kernel's IPv6 input: a packet mobd takes is dropped before
 * the kernel parses it.  An ip6 table at prerouting (mobd before 2026-12)
 * let IPv6 input and the hook run first for every packet mobd takes.  (On
 * veth that work is charged to the sender: in make bench it is mobprobe's,
 * whose offered rate rose from 240-260k to 240-290k BU/s; the home
 * agent's own rate did not move beyond the runs' spread.)  Tables of
 * either family left by a dead mobd are removed. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <nftables/libnftables.h>

#include "stack/core/core.h"

int nft_run(const char *cmd, char *err, size_t errlen)
{
	struct nft_ctx *n = nft_ctx_new(NFT_CTX_DEFAULT);
	int r;
	if (!n) {
		snprintf(err, errlen, "nftables: cannot create a context");
		return -1;
	}
	nft_ctx_buffer_error(n);
	r = nft_run_cmd_from_buffer(n, cmd);
	if (r != 0) {
		const char *e = nft_ctx_get_error_buffer(n);
		snprintf(err, errlen, "nftables: %s", e && *e ? e : "command failed");
		char *nl2 = strchr(err, '\n');
		if (nl2)
			*nl2 = 0;
	}
	nft_ctx_free(n);
	return r;
}

/* The nftables tables of mobd instances that died without their cleanup
 * (kill -9): ip6 mobd_PID where PID is no running mobd.  Removed, each
 * said in the log; *others tells whether a live mobd has a table here. */
void nft_leftovers(bool *others)
{
	struct nft_ctx *n = nft_ctx_new(NFT_CTX_DEFAULT);
	char cmd[96], err[256], comm[64];
	int pids[64], np = 0;
	bool netdev[64];
	*others = false;
	if (!n)
		return;
	nft_ctx_buffer_output(n);
	nft_ctx_buffer_error(n);
	if (nft_run_cmd_from_buffer(n, "list tables\n") == 0) {
		const char *o = nft_ctx_get_output_buffer(n);
		for (const char *l = o; l && *l && np < 64;) {
			int pid;
			char fam[8], tail;
			if (sscanf(l, "table %7[a-z0-9] mobd_%d%c", fam, &pid, &tail) == 3 && tail == '\n' &&
			    (!strcmp(fam, "ip6") || !strcmp(fam, "netdev")) && pid > 0 && pid != (int)getpid()) {
				netdev[np] = fam[0] == 'n';
				pids[np++] = pid;
			}
			l = strchr(l, '\n');
			l = l ? l + 1 : NULL;
		}
	}
	nft_ctx_free(n);
	for (int i = 0; i < np; i++) {
		snprintf(cmd, sizeof cmd, "/proc/%d/comm", pids[i]);
		FILE *f = fopen(cmd, "r");
		bool alive = f && fgets(comm, sizeof comm, f) && !strcmp(comm, "mobd\n");
		if (f)
			fclose(f);
		if (alive) {
			*others = true;
			continue;
		}
		const char *fam = netdev[i] ? "netdev" : "ip6";
		snprintf(cmd, sizeof cmd, "delete table %s mobd_%d\n", fam, pids[i]);
		if (nft_run(cmd, err, sizeof err) == 0)
			log_info("removed nftables table %s mobd_%d left by pid %d, which is gone", fam,
				 pids[i], pids[i]);
		else
			log_warnx("leftover table %s mobd_%d: %s", fam, pids[i], err);
	}
}


int nft_open(struct mobd_io *io, const char *iface, char *err, size_t errlen)
{
	char cmd[1024];
	nft_leftovers(&io->others_alive);
	snprintf(io->nft_table, sizeof io->nft_table, "mobd_%d", (int)getpid());
	snprintf(cmd, sizeof cmd,
		 "add table netdev %s\n"
		 "add chain netdev %s pre { type filter hook ingress device \"%s\" priority -300; policy accept; }\n"
		 "add rule netdev %s pre meta protocol ip6 ip6 nexthdr { 41, 43, 60, 135 } drop\n"
		 "add rule netdev %s pre meta protocol ip6 meta l4proto { 41, 135 } drop\n",
		 io->nft_table, io->nft_table, iface, io->nft_table, io->nft_table);
	if (nft_run(cmd, err, errlen) != 0)
		return -1;
	io->nft_on = true;
	return 0;
}

void nft_close(struct mobd_io *io)
{
	char cmd[128], err[256];
	if (!io->nft_on)
		return;
	snprintf(cmd, sizeof cmd, "delete table netdev %s\n", io->nft_table);
	if (nft_run(cmd, err, sizeof err) != 0)
		log_warnx("%s", err);
	io->nft_on = false;
}
