/* t/lib/scratch.h: what an interop test needs to leave nothing behind.
 *
 * One temporary directory (scratch_dir, made by scratch_init) and at most
 * one child process at a time (scratch_child): on exit, on SIGINT, SIGTERM
 * or SIGHUP the child is stopped by its PID (SIGTERM, up to 5 s, then
 * SIGKILL) and the directory removed.  Header-only, for test programs. */
#ifndef MK_T_SCRATCH_H
#define MK_T_SCRATCH_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static char scratch_dir[] = "/tmp/mk-interop-XXXXXX";
static int scratch_have_dir;
static pid_t scratch_child = -1;

static inline void scratch_stop_child(void)
{
	if (scratch_child <= 0)
		return;
	kill(scratch_child, SIGTERM);
	for (int i = 0; i < 50 && waitpid(scratch_child, NULL, WNOHANG) == 0; i++)
		usleep(100000);
	if (waitpid(scratch_child, NULL, WNOHANG) == 0) {
		kill(scratch_child, SIGKILL);
		waitpid(scratch_child, NULL, 0);
	}
	scratch_child = -1;
}

static inline void scratch_cleanup(void)
{
	scratch_stop_child();
	if (scratch_have_dir) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "# could not remove %s\n", scratch_dir);
		scratch_have_dir = 0;
	}
}

static inline void scratch_on_signal(int sig)
{
	scratch_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Make the directory and arrange the cleanup; -1 if mkdtemp fails. */
static inline int scratch_init(void)
{
	if (!mkdtemp(scratch_dir))
		return -1;
	scratch_have_dir = 1;
	atexit(scratch_cleanup);
	signal(SIGINT, scratch_on_signal);
	signal(SIGTERM, scratch_on_signal);
	signal(SIGHUP, scratch_on_signal);
	return 0;
}

/* Write text to scratch_dir/name. */
static inline int scratch_write(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", scratch_dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

#endif
