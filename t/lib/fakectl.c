/* t/lib/fakectl.c: a scripted mobd control socket for t/stack/mobctl.t.
 *
 *   fakectl PATH FILE
 *
 * Listens on the Unix socket PATH, takes one connection, reads the command
 * line mobctl sends, answers with FILE's octets as they are, closes and
 * removes PATH.  Prints "ready" on stdout once it listens, then
 * "got " and the line it read.  Not installed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char cmd[256], buf[65536];
	FILE *f;
	size_t n;
	int fd, c;
	if (argc != 3 || strlen(argv[1]) >= sizeof sa.sun_path) {
		fprintf(stderr, "usage: fakectl PATH FILE\n");
		return 2;
	}
	if (!(f = fopen(argv[2], "rb"))) {
		fprintf(stderr, "fakectl: %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 1) != 0) {
		fprintf(stderr, "fakectl: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	c = accept(fd, NULL, NULL);
	if (c >= 0) {
		ssize_t r = recv(c, cmd, sizeof cmd - 1, 0);
		if (r < 0)
			fprintf(stderr, "fakectl: recv: %s\n", strerror(errno));
		else
			printf("got %.*s", (int)r, cmd); /* the line as mobctl sent it */
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			if (send(c, buf, n, MSG_NOSIGNAL) != (ssize_t)n)
				break;
		close(c);
	}
	fclose(f);
	close(fd);
	unlink(argv[1]);
	return 0;
}
