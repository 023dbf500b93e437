/* stack/mobctl/main.c: ask a running mobd for its state (doc/mobctl.8).
 *
 *   mobctl [-S PATH] [--json] bc|bul|ha|counters|status
 *
 * One command per connection to mobd's control socket; the answer is
 * copied to stdout as it comes. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: mobctl [-S PATH] [--json] COMMAND\n"
	"print the state of a running mobd\n"
	"commands:\n"
	"  bc        binding cache (home agent)\n"
	"  bul       binding update list (mobile node)\n"
	"  ha        home agent list, by preference\n"
	"  counters  message, tunnel and error counters\n"
	"  status    role, address, state\n"
	"options:\n"
	"  -S, --control PATH  mobd's control socket (default /run/mobd.sock)\n"
	"  -j, --json          JSON instead of text\n"
	"  -h, --help          this text\n"
	"exit status: 0 answered, 1 mobd answered with an error, 2 usage, 3 no mobd\n";

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
		fprintf(stderr, "mobctl: expected one command (bc, bul, ha, counters, status)\n");
		return 2;
	}
	const char *cmd = argv[optind];
	if (strcmp(cmd, "bc") && strcmp(cmd, "bul") && strcmp(cmd, "ha") && strcmp(cmd, "counters") &&
	    strcmp(cmd, "status")) {
		fprintf(stderr, "mobctl: unknown command '%s' (bc, bul, ha, counters, status)\n", cmd);
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
	char line[64], buf[65536];
	int n = snprintf(line, sizeof line, "%s%s\n", cmd, json ? " json" : "");
	if (send(fd, line, (size_t)n, MSG_NOSIGNAL) != n) {
		fprintf(stderr, "mobctl: %s: %s\n", path, strerror(errno));
		return 3;
	}
	ssize_t r;
	int rc = 0, first = 1;
	while ((r = recv(fd, buf, sizeof buf, 0)) > 0) {
		if (first && r >= 6 && !memcmp(buf, "error:", 6))
			rc = 1;
		first = 0;
		fwrite(buf, 1, (size_t)r, rc ? stderr : stdout);
	}
	close(fd);
	return rc;
}
