/* stack/mobctl/main.c: ask a running mobd for its state, or tell it
 * something (doc/mobctl.8).
 *
 *   mobctl [-S PATH] [--json] COMMAND [ARGS...]
 *
 * One command per connection to mobd's control socket: the line "COMMAND
 * [json] [ARGS...]".  The commands mobctl knows have their arguments
 * checked here first (a bad one: one line naming it, exit 2, nothing
 * sent); a name it does not know goes to mobd as it is (a role's command
 * newer than this table), if it is a word of lower-case letters, digits
 * and '-'.  The answer is read whole (at most MAX_ANSWER octets, within
 * ANSWER_TIMEOUT_S) and checked before anything is printed: text must be
 * printable ASCII lines, JSON must parse (jansson) and be of the command's
 * kind (an array for commands, bc, bul and ha, an object for counters,
 * status and updater; cn-bind, cn-unbind, withdraw and restore answer one line, "ok" or "error: ...").
 * Anything else is refused with one line naming what is wrong, exit 4. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_ANSWER (1u << 20) /* a full binding cache dump is far below */
#define ANSWER_TIMEOUT_S 5
#define LINE_MAX_OCTETS 255   /* mobd reads a command line of at most this */

static const char usage_text[] =
	"usage: mobctl [-S PATH] [--json] COMMAND [ARGS...]\n"
	"print the state of a running mobd, or change it\n"
	"commands:\n"
	"  commands  the commands this mobd answers (those of its roles)\n"
	"  bc        binding cache (home agent, correspondent)\n"
	"  bul       binding update list (mobile node)\n"
	"  ha        home agent list, by preference\n"
	"  counters  message, tunnel and error counters\n"
	"  status    role, address, state\n"
	"  updater   the DNS updater: the last CAAAA update (rcode, latency, tries), counters\n"
	"  cn-bind HOA COA LIFETIME_S\n"
	"            correspondent: a binding learnt from DNS (no return routability)\n"
	"  cn-unbind HOA\n"
	"            correspondent: remove the binding cn-bind made\n"
	"  migrate   TCP Migrate shim: connections, 4-tuples, token, ReqNo, state\n"
	"  withdraw ADDR\n"
	"            DNS updater (dns-record addrs): take ADDR out of the published AAAA rrset\n"
	"  restore ADDR\n"
	"            DNS updater (dns-record addrs): put a withdrawn ADDR back\n"
	"  any other COMMAND [ARGS...] goes to mobd as it is\n"
	"options:\n"
	"  -S, --control PATH  mobd's control socket (default /run/mobd.sock)\n"
	"  -j, --json          JSON instead of text\n"
	"  -h, --help          this text\n"
	"exit status: 0 answered (\"ok\"), 1 mobd answered with an error, 2 usage (here, or\n"
	"  mobd's \"error: usage: ...\"), 3 no mobd, 4 the answer is not what mobd sends\n"
	"  (too long, not text, not JSON)\n";

/* the commands mobctl knows: their arguments and the kind of answer */
enum kind { K_ARRAY, K_OBJECT, K_LINE, K_ANY };
static const struct ctlcmd {
	const char *name;
	int nargs;                       /* how many arguments */
	const char *args;                /* their names, for the usage line */
	enum kind kind;                  /* of a JSON answer */
} ctlcmds[] = {
	{ "commands", 0, "", K_ARRAY }, { "help", 0, "", K_ARRAY },
	{ "bc", 0, "", K_ARRAY },	{ "bul", 0, "", K_ARRAY },
	{ "ha", 0, "", K_ARRAY },	{ "counters", 0, "", K_OBJECT },
	{ "status", 0, "", K_OBJECT },	{ "updater", 0, "", K_OBJECT },
	{ "cn-bind", 3, "HOA COA LIFETIME_S", K_LINE },
	{ "cn-unbind", 1, "HOA", K_LINE },	{ "migrate", 0, "", K_ARRAY },
	{ "withdraw", 1, "ADDR", K_LINE },	{ "restore", 1, "ADDR", K_LINE },
};

/* the first octet that is not printable ASCII, a tab or a newline; -1 if none */
static long not_text(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((b[i] < 0x20 && b[i] != '\n' && b[i] != '\t') || b[i] > 0x7e)
			return (long)i;
	return -1;
}

/* check the answer to a command of kind k; 0 if it is what mobd sends,
 * else a message in why */
static int check_answer(const char *cmd, enum kind k, int json, const unsigned char *b, size_t n,
			char *why, size_t whylen)
{
	long bad = not_text(b, n);
	if (bad >= 0) {
		snprintf(why, whylen, "octet 0x%02x at offset %ld is not text", b[bad], bad);
		return -1;
	}
	if (n && b[n - 1] != '\n') {
		snprintf(why, whylen, "the last line (offset %zu) has no newline", n);
		return -1;
	}
	if (k == K_LINE) {
		if ((n == 3 && !memcmp(b, "ok\n", 3)) || (n >= 6 && !memcmp(b, "error:", 6) &&
							  memchr(b, '\n', n) == b + n - 1))
			return 0;
		snprintf(why, whylen, "one line \"ok\" or \"error: ...\" expected for '%s'", cmd);
		return -1;
	}
	if (!json || (n >= 6 && !memcmp(b, "error:", 6)))
		return 0;
	json_error_t je;
	json_t *v = json_loadb((const char *)b, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!v) {
		snprintf(why, whylen, "not JSON: %s at offset %d", je.text, je.position);
		return -1;
	}
	bool fits = k == K_ANY || (k == K_ARRAY ? json_is_array(v) : json_is_object(v));
	json_decref(v);
	if (!fits) {
		snprintf(why, whylen, "JSON %s expected for '%s'", k == K_ARRAY ? "array" : "object", cmd);
		return -1;
	}
	return 0;
}

/* the arguments of a command mobctl knows: 0, or a usage line on stderr
 * naming the bad one and -1 */
static int check_args(const struct ctlcmd *c, int argc, char **argv)
{
	if (argc != c->nargs) {
		if (c->nargs)
			fprintf(stderr, "mobctl: %s takes %d argument%s (%s), got %d\n", c->name, c->nargs,
				c->nargs == 1 ? "" : "s", c->args, argc);
		else
			fprintf(stderr, "mobctl: %s takes no arguments (got '%s')\n", c->name, argv[0]);
		return -1;
	}
	bool wd = !strcmp(c->name, "withdraw") || !strcmp(c->name, "restore");
	if (strcmp(c->name, "cn-bind") && strcmp(c->name, "cn-unbind") && !wd)
		return 0;
	struct in6_addr a;
	for (int i = 0; i < argc && i < 2; i++)
		if (inet_pton(AF_INET6, argv[i], &a) != 1) {
			fprintf(stderr, "mobctl: %s: %s '%s' is not an IPv6 address\n", c->name,
				wd ? "ADDR" : i ? "COA" : "HOA", argv[i]);
			return -1;
		}
	if (argc == 3) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(argv[2], &end, 10);
		if (argv[2][0] < '0' || argv[2][0] > '9' || *end || errno || v < 1 || v > 0xffffffffULL) {
			fprintf(stderr, "mobctl: %s: LIFETIME_S '%s': expected 1..4294967295 seconds\n",
				c->name, argv[2]);
			return -1;
		}
	}
	return 0;
}

/* a command name mobctl does not know, passed on: a word of lower-case
 * letters, digits and '-', starting with a letter */
static bool command_word(const char *s)
{
	if (!*s || *s < 'a' || *s > 'z' || strlen(s) > 32)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(s);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = { { "control", required_argument, NULL, 'S' },
					    { "json", no_argument, NULL, 'j' },
					    { "help", no_argument, NULL, 'h' },
					    { NULL, 0, NULL, 0 } };
	const char *path = "/run/mobd.sock";
	int json = 0, o;
	/* options anywhere (GNU getopt permutes): "mobctl bc --json" as before;
	 * no argument of a command starts with '-' */
	while ((o = getopt_long(argc, argv, "S:jh", lo, NULL)) != -1) {
		switch (o) {
		case 'S': path = optarg; break;
		case 'j': json = 1; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "mobctl: expected a command (commands, bc, bul, ha, counters, status, "
				"updater, cn-bind, cn-unbind)\n");
		return 2;
	}
	const char *cmd = argv[optind];
	const struct ctlcmd *c = NULL;
	for (size_t i = 0; i < sizeof ctlcmds / sizeof ctlcmds[0]; i++)
		if (!strcmp(cmd, ctlcmds[i].name))
			c = &ctlcmds[i];
	if (!c && !command_word(cmd)) {
		fprintf(stderr, "mobctl: '%s' is not a command name (lower-case letters, digits, '-')\n",
			cmd);
		return 2;
	}
	if (c && check_args(c, argc - optind - 1, argv + optind + 1) != 0)
		return 2;
	char line[LINE_MAX_OCTETS + 2], why[256];
	size_t n = (size_t)snprintf(line, sizeof line, "%s%s", cmd, json ? " json" : "");
	for (int i = optind + 1; i < argc && n < sizeof line; i++) {
		if (strpbrk(argv[i], " \t\r\n") || !argv[i][0]) {
			fprintf(stderr, "mobctl: argument '%s' is empty or has blanks\n", argv[i]);
			return 2;
		}
		n += (size_t)snprintf(line + n, sizeof line - n, " %s", argv[i]);
	}
	if (n >= sizeof line - 1) {
		fprintf(stderr, "mobctl: the command line is longer than %d octets\n", LINE_MAX_OCTETS);
		return 2;
	}
	line[n++] = '\n';
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "mobctl: control path '%s' too long\n", path);
		return 2;
	}
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		fprintf(stderr, "mobctl: %s: %s (is mobd running?)\n", path, strerror(errno));
		return 3;
	}
	if (send(fd, line, n, MSG_NOSIGNAL) != (ssize_t)n) {
		fprintf(stderr, "mobctl: %s: %s\n", path, strerror(errno));
		close(fd);
		return 3;
	}
	struct timeval tv = { ANSWER_TIMEOUT_S, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	unsigned char *buf = malloc(MAX_ANSWER + 1);
	size_t got = 0;
	ssize_t r;
	if (!buf) {
		fprintf(stderr, "mobctl: out of memory\n");
		close(fd);
		return 1;
	}
	/* one octet more than allowed tells a too long answer from a full one */
	while (got <= MAX_ANSWER && (r = recv(fd, buf + got, MAX_ANSWER + 1 - got, 0)) > 0)
		got += (size_t)r;
	int rerr = got <= MAX_ANSWER && r < 0 ? errno : 0;
	close(fd);
	if (got > MAX_ANSWER) {
		fprintf(stderr, "mobctl: answer from %s longer than %u octets: refused\n", path,
			MAX_ANSWER);
		free(buf);
		return 4;
	}
	if (rerr) {
		fprintf(stderr, "mobctl: %s: %s\n", path,
			rerr == EAGAIN ? "no complete answer within 5 s" : strerror(rerr));
		free(buf);
		return 3;
	}
	if (check_answer(cmd, c ? c->kind : K_ANY, json, buf, got, why, sizeof why) != 0) {
		fprintf(stderr, "mobctl: answer from %s to '%s': %s: refused\n", path, cmd, why);
		free(buf);
		return 4;
	}
	/* "error: usage: ..." is a usage error too (mobd checked what mobctl
	 * could not): exit 2 */
	int rc = got >= 13 && !memcmp(buf, "error: usage:", 13) ? 2 : got >= 6 && !memcmp(buf, "error:", 6);
	fwrite(buf, 1, got, rc ? stderr : stdout);
	free(buf);
	return rc;
}
