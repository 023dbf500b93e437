/* testbed/mkrv/main.c: the rendezvous client of the distributed-mobility
 * work (issue 17), on libre's SIP stack, against the dmm topology's
 * Kamailio (testbed/mobbed/kamailio.cfg).
 *
 *   mkrv register [OPTS] -u ID -p PASSWORD ADDR...  REGISTER ADDR... as
 *                                                   contacts of ID
 *   mkrv withdraw [OPTS] -u ID -p PASSWORD ADDR...  the same with expiry 0:
 *                                                   those contacts removed
 *   mkrv query    [OPTS] ID                         ask for ID (P2P mode:
 *                                                   the 302's contacts)
 *   mkrv ping     [OPTS]                            OPTIONS to the server
 *
 *   OPTS: -s SERVER (IPv6 address, required)  -P PORT (server's, 5060)
 *         -d DOMAIN (example)  -e SECONDS (contact expiry, 600)
 *         -c PORT (the contacts' port, 5060)  -b ADDR (own address to send
 *         from; default: the first ADDR of register/withdraw, else the
 *         system's source address)  -t SECONDS (give up, 10)
 *   The password may come from the environment (MKRV_PASSWORD) instead of
 *   -p, out of the process list.
 *
 * A contact of ID at ADDR is sip:ID@[ADDR]:PORT.  Re-registering is one
 * more `register` (the registrar refreshes the expiry of a contact it
 * holds and adds the new ones); a move is `register` with the old and new
 * addresses.  Output: "status CODE REASON", then for register/withdraw
 * one line "contact ADDR PORT EXPIRES" per binding the registrar holds for
 * ID after the request (its 200's Contact headers), for query one line
 * "contact ADDR PORT" per contact of the 302.  Exit: 0 on 2xx (register,
 * withdraw, ping) or 302 (query), 1 on any other answer or none, 2 on a
 * usage error (nothing sent).
 *
 * A separate tool, not a mobprobe subcommand: it is a client of a real
 * server for the testbed (like mkreq, mkask), and keeps libre out of the
 * probes.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "rv.h"


struct rv {
	struct sip *sip;
	struct sip_auth *auth;
	struct sip_request *req;
	struct tmr tmr;
	const char *cmd;
	const char *id, *password, *domain;
	char route[128];
	const char *addrs[MAXC];
	int naddr;
	unsigned expires;
	unsigned cport;
	uint32_t cseq;
	char callid[40], tag[20];
	int tries;
	int status;   /* final SIP status, or 0 (none) */
	int done;
	int exitc;
};

static void usage(FILE *f)
{
	fputs("usage: mkrv register|withdraw [OPTS] -u ID -p PASSWORD ADDR...\n"
	      "       mkrv query [OPTS] ID\n"
	      "       mkrv ping [OPTS]\n"
	      "       mkrv serve [OPTS] -u ID -p PASSWORD (-f FILE | ADDR...)  (mkrv serve --help)\n"
	      "       mkrv call [OPTS] ID --mode p2p|central|combined      (mkrv call --help)\n"
	      "OPTS: -s SERVER (IPv6, required)  -P PORT (5060)  -d DOMAIN (example)\n"
	      "      -e SECONDS (expiry, 600)  -c PORT (contacts' port, 5060)\n"
	      "      -b ADDR (send from)  -t SECONDS (give up, 10)\n"
	      "The password may come from MKRV_PASSWORD instead of -p.  See doc/mkrv.1.\n",
	      f);
}

static int bad(const char *what, const char *v)
{
	usage(stderr);
	return rv_bad(what, v);
}

static int auth_h(char **user, char **pass, const char *realm, void *arg)
{
	struct rv *rv = arg;
	(void)realm;
	if (!rv->password)
		return EAUTH;
	return re_sdprintf(user, "%s", rv->id) | re_sdprintf(pass, "%s", rv->password);
}

/* One Contact of a 200 (register) or 302 (query). */
static bool contact_h(const struct sip_hdr *hdr, const struct sip_msg *msg, void *arg)
{
	struct rv *rv = arg;
	struct sip_addr a;
	struct pl ex;
	(void)msg;

	if (sip_addr_decode(&a, &hdr->val))
		return false;
	if (!strcmp(rv->cmd, "query")) {
		re_printf("contact %r %u\n", &a.uri.host, a.uri.port ? a.uri.port : 5060);
	} else {
		if (msg_param_decode(&a.params, "expires", &ex))
			ex = (struct pl)PL("-");
		re_printf("contact %r %u %r\n", &a.uri.host, a.uri.port ? a.uri.port : 5060, &ex);
	}
	return false;
}

static int send_req(struct rv *rv);

static void finish(struct rv *rv, int exitc)
{
	rv->exitc = exitc;
	rv->done = 1;
	tmr_cancel(&rv->tmr);
	re_cancel();
}

static void resp_h(int err, const struct sip_msg *msg, void *arg)
{
	struct rv *rv = arg;
	bool is_reg = !strcmp(rv->cmd, "register") || !strcmp(rv->cmd, "withdraw");

	rv->req = NULL;
	if (err) {
		fprintf(stderr, "mkrv: no answer from the server: %s\n", strerror(err));
		finish(rv, 1);
		return;
	}
	if (msg->scode < 200)
		return;
	if ((msg->scode == 401 || msg->scode == 407) && is_reg && rv->tries < 2) {
		err = sip_auth_authenticate(rv->auth, msg);
		if (err) {
			fprintf(stderr, "mkrv: cannot answer the challenge: %s\n", strerror(err));
			re_printf("status %u %r\n", msg->scode, &msg->reason);
			finish(rv, 1);
			return;
		}
		if (send_req(rv))
			finish(rv, 1);
		return;
	}
	rv->status = msg->scode;
	re_printf("status %u %r\n", msg->scode, &msg->reason);
	if (is_reg && msg->scode >= 200 && msg->scode < 300) {
		sip_msg_hdr_apply(msg, true, SIP_HDR_CONTACT, contact_h, rv);
		finish(rv, 0);
	} else if (!strcmp(rv->cmd, "query") && msg->scode == 302) {
		sip_msg_hdr_apply(msg, true, SIP_HDR_CONTACT, contact_h, rv);
		finish(rv, 0);
	} else if (!strcmp(rv->cmd, "ping") && msg->scode >= 200 && msg->scode < 300) {
		finish(rv, 0);
	} else {
		finish(rv, 1);
	}
}

static int contacts_print(struct re_printf *pf, void *arg)
{
	const struct rv *rv = arg;
	int err = 0;
	for (int i = 0; i < rv->naddr; i++)
		err |= re_hprintf(pf, "Contact: <sip:%s@[%s]:%u>;expires=%u\r\n", rv->id,
				  rv->addrs[i], rv->cport, rv->expires);
	return err;
}

static int send_req(struct rv *rv)
{
	int err;

	rv->cseq++;
	rv->tries++;
	if (!strcmp(rv->cmd, "register") || !strcmp(rv->cmd, "withdraw"))
		err = rv_register(&rv->req, rv->sip, rv->route, rv->auth, rv->id, rv->domain,
				  rv->tag, rv->callid, rv->cseq, contacts_print, rv, resp_h, rv);
	else
		err = rv_options(&rv->req, rv->sip, rv->route, rv->id, rv->domain, rv->tag,
				 rv->callid, rv->cseq, resp_h, rv);
	if (err)
		fprintf(stderr, "mkrv: cannot send: %s\n", strerror(err));
	return err;
}

static void timeout_h(void *arg)
{
	struct rv *rv = arg;
	fprintf(stderr, "mkrv: no final answer from the server in time\n");
	rv->done = 1;
	rv->exitc = 1;
	re_cancel();
}

int main(int argc, char **argv)
{
	struct rv rv;
	const char *server = NULL, *bind = NULL;
	unsigned sport = 5060, tmo = 10;
	struct sa laddr;
	int c, err;

	memset(&rv, 0, sizeof rv);
	rv.domain = "example";
	rv.expires = 600;
	rv.cport = 5060;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "serve"))
		return mkrv_serve(argc, argv);
	if (!strcmp(argv[1], "call"))
		return mkrv_call(argc, argv);
	rv.cmd = argv[1];
	if (strcmp(rv.cmd, "register") && strcmp(rv.cmd, "withdraw") && strcmp(rv.cmd, "query") &&
	    strcmp(rv.cmd, "ping"))
		return bad("command", rv.cmd);
	optind = 2;
	while ((c = getopt(argc, argv, "s:P:d:e:c:b:t:u:p:h")) != -1) {
		switch (c) {
		case 's': server = optarg; if (!rv_v6(server)) return bad("server address (want IPv6)", optarg); break;
		case 'P': if (!rv_num(optarg, 1, 65535, &sport)) return bad("server port", optarg); break;
		case 'd': rv.domain = optarg; if (!rv_token(optarg)) return bad("domain", optarg); break;
		case 'e': if (!rv_num(optarg, 0, 86400, &rv.expires)) return bad("expiry (0..86400 s)", optarg); break;
		case 'c': if (!rv_num(optarg, 1, 65535, &rv.cport)) return bad("contact port", optarg); break;
		case 'b': bind = optarg; if (!rv_v6(bind)) return bad("own address (want IPv6)", optarg); break;
		case 't': if (!rv_num(optarg, 1, 3600, &tmo)) return bad("timeout (1..3600 s)", optarg); break;
		case 'u': rv.id = optarg; if (!rv_token(optarg)) return bad("ID", optarg); break;
		case 'p': rv.password = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!rv.password)
		rv.password = getenv("MKRV_PASSWORD");
	if (!server) {
		fprintf(stderr, "mkrv: no server (-s ADDR)\n");
		usage(stderr);
		return 2;
	}
	if (!strcmp(rv.cmd, "register") || !strcmp(rv.cmd, "withdraw")) {
		if (!rv.id || !rv.password) {
			fprintf(stderr, "mkrv: %s needs -u ID and -p PASSWORD (or MKRV_PASSWORD)\n", rv.cmd);
			return 2;
		}
		if (optind >= argc) {
			fprintf(stderr, "mkrv: %s needs at least one ADDR\n", rv.cmd);
			return 2;
		}
		for (int i = optind; i < argc; i++) {
			if (!rv_v6(argv[i]))
				return bad("contact address (want IPv6)", argv[i]);
			if (rv.naddr == MAXC) {
				fprintf(stderr, "mkrv: at most %d addresses\n", MAXC);
				return 2;
			}
			rv.addrs[rv.naddr++] = argv[i];
		}
		if (!strcmp(rv.cmd, "withdraw"))
			rv.expires = 0;
		if (!bind)
			bind = rv.addrs[0];
	} else if (!strcmp(rv.cmd, "query")) {
		if (optind != argc - 1) {
			fprintf(stderr, "mkrv: query needs exactly one ID\n");
			return 2;
		}
		rv.id = argv[optind];
		if (!rv_token(rv.id))
			return bad("ID", rv.id);
	} else if (optind != argc) {
		return bad("argument", argv[optind]);
	}
	snprintf(rv.route, sizeof rv.route, "sip:[%s]:%u;lr", server, sport);

	err = libre_init();
	if (err) {
		fprintf(stderr, "mkrv: libre_init: %s\n", strerror(err));
		return 1;
	}
	if (bind) {
		sa_set_str(&laddr, bind, 0);
	} else if (net_default_source_addr_get(AF_INET6, &laddr)) {
		fprintf(stderr, "mkrv: no IPv6 source address (use -b ADDR)\n");
		rv.exitc = 1;
		goto out;
	}
	err = sip_alloc(&rv.sip, NULL, 8, 8, 8, "mkrv (mobkit, libre)", NULL, NULL);
	if (!err)
		err = sip_transp_add(rv.sip, SIP_TRANSP_UDP, &laddr);
	if (!err)
		err = sip_auth_alloc(&rv.auth, auth_h, &rv, false);
	if (err) {
		fprintf(stderr, "mkrv: SIP stack: %s\n", strerror(err));
		rv.exitc = 1;
		goto out;
	}
	rand_str(rv.callid, sizeof rv.callid);
	rand_str(rv.tag, sizeof rv.tag);
	tmr_init(&rv.tmr);
	tmr_start(&rv.tmr, (uint64_t)tmo * 1000, timeout_h, &rv);
	if (send_req(&rv)) {
		rv.exitc = 1;
		goto out;
	}
	if (!rv.done)
		re_main(NULL);
out:
	tmr_cancel(&rv.tmr);
	rv.req = mem_deref(rv.req);
	rv.auth = mem_deref(rv.auth);
	if (rv.sip) {
		sip_close(rv.sip, true);
		rv.sip = mem_deref(rv.sip);
	}
	libre_close();
	fflush(stdout);
	return rv.exitc;
}
