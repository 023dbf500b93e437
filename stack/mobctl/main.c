/* stack/mobctl/main.c: ask a running mobd for its state (doc/mobctl.8).
 *
 *   mobctl [-S PATH] [--json] commands|bc|bul|ha|counters|status|updater
 *
 * One command per connection to mobd's control socket.  The answer is read
 * whole (at most MAX_ANSWER octets, within ANSWER_TIMEOUT_S) and checked
 * before anything is printed: text must be printable ASCII lines, JSON must
 * parse (jansson) and be of the command's kind (an array for commands, bc,
 * bul and ha, an object for counters and status).  Anything else is refused
 * with one line naming what is wrong, exit 4. */
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

static const char usage_text[] =
	"usage: mobctl [-S PATH] [--json] COMMAND\n"
	"print the state of a running mobd\n"
	"commands:\n"
	"  commands  the commands this mobd answers (those of its roles)\n"
	"  bc        binding cache (home agent)\n"
	"  bul       binding update list (mobile node)\n"
	"  ha        home agent list, by preference\n"
	"  counters  message, tunnel and error counters\n"
	"  status    role, address, state\n"
	"  updater   the DNS updater: the last CAAAA update (rcode, latency, tries), counters\n"
	"options:\n"
	"  -S, --control PATH  mobd's control socket (default /run/mobd.sock)\n"
	"  -j, --json          JSON instead of text\n"
	"  -h, --help          this text\n"
	"exit status: 0 answered, 1 mobd answered with an error, 2 usage, 3 no mobd,\n"
	"  4 the answer is not what mobd sends (too long, not text, not JSON)\n";

/* the first octet that is not printable ASCII, a tab or a newline; -1 if none */
static long not_text(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((b[i] < 0x20 && b[i] != '\n' && b[i] != '\t') || b[i] > 0x7e)
			return (long)i;
	return -1;
}

/* check the answer to cmd; 0 if it is what mobd sends, else a message in why */
static int check_answer(const char *cmd, int json, const unsigned char *b, size_t n, char *why,
			size_t whylen)
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
	if (!json || (n >= 6 && !memcmp(b, "error:", 6)))
		return 0;
	json_error_t je;
	json_t *v = json_loadb((const char *)b, n, JSON_REJECT_DUPLICATES, &je);
	if (!v) {
		snprintf(why, whylen, "not JSON: %s at offset %d", je.text, je.position);
		return -1;
	}
	bool list = !strcmp(cmd, "bc") || !strcmp(cmd, "bul") || !strcmp(cmd, "ha") ||
		    !strcmp(cmd, "commands");
	bool fits = list ? json_is_array(v) : json_is_object(v);
	json_decref(v);
	if (!fits) {
		snprintf(why, whylen, "JSON %s expected for '%s'", list ? "array" : "object", cmd);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = { { "control", required_argument, NULL, 'S' },
					    { "json", no_argument, NULL, 'j' },
					    { "help", no_argument, NULL, 'h' },
					    { NULL, 0, NULL, 0 } };
	const char *path = "/run/mobd.sock";
	int json = 0, o;
	while ((o = getopt_long(argc, argv, "S:jh", lo, NULL)) != -1) {
		switch (o) {
		case 'S': path = optarg; break;
		case 'j': json = 1; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "mobctl: expected one command (commands, bc, bul, ha, counters, status, updater)\n");
		return 2;
	}
	const char *cmd = argv[optind];
	if (strcmp(cmd, "commands") && strcmp(cmd, "bc") && strcmp(cmd, "bul") && strcmp(cmd, "ha") &&
	    strcmp(cmd, "counters") && strcmp(cmd, "status") && strcmp(cmd, "updater")) {
		fprintf(stderr, "mobctl: unknown command '%s' (commands, bc, bul, ha, counters, status, updater)\n",
			cmd);
		return 2;
	}
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
	char line[64], why[256];
	int n = snprintf(line, sizeof line, "%s%s\n", cmd, json ? " json" : "");
	if (send(fd, line, (size_t)n, MSG_NOSIGNAL) != n) {
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
	if (check_answer(cmd, json, buf, got, why, sizeof why) != 0) {
		fprintf(stderr, "mobctl: answer from %s to '%s': %s: refused\n", path, cmd, why);
		free(buf);
		return 4;
	}
	int rc = got >= 6 && !memcmp(buf, "error:", 6);
	fwrite(buf, 1, got, rc ? stderr : stdout);
	free(buf);
	return rc;
}
