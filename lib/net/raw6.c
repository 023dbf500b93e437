/* lib/net/raw6.c: raw IPv6 sender (see raw6.h). */
#include "raw6.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int mk_raw6_open(struct mk_raw6 *r, const char *ifname, char *err, size_t errlen)
{
	int sndbuf = 4 << 20;

	r->ifindex = 0;
	r->fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (r->fd < 0) {
		snprintf(err, errlen, "raw IPv6 socket: %s%s", strerror(errno),
			 errno == EPERM ? " (needs root or CAP_NET_RAW)" : "");
		return -1;
	}
	(void)setsockopt(r->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
	if (ifname && *ifname) {
		r->ifindex = if_nametoindex(ifname);
		if (r->ifindex == 0 ||
		    setsockopt(r->fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
			       (socklen_t)strlen(ifname)) != 0) {
			snprintf(err, errlen, "interface %s: %s", ifname, strerror(errno));
			close(r->fd);
			r->fd = -1;
			return -1;
		}
	}
	return 0;
}

static void dst_of(const struct mk_raw6 *r, const uint8_t *pkt, struct sockaddr_in6 *sa)
{
	memset(sa, 0, sizeof *sa);
	sa->sin6_family = AF_INET6;
	memcpy(&sa->sin6_addr, pkt + 24, 16);
	/* link-local and multicast destinations need the interface */
	sa->sin6_scope_id = r->ifindex;
}

int mk_raw6_send(struct mk_raw6 *r, const uint8_t *pkt, size_t len)
{
	struct sockaddr_in6 sa;

	if (len < 40) {
		errno = EINVAL;
		return -1;
	}
	dst_of(r, pkt, &sa);
	for (;;) {
		ssize_t n = sendto(r->fd, pkt, len, 0, (struct sockaddr *)&sa, sizeof sa);
		if (n == (ssize_t)len)
			return 0;
		if (n < 0 && errno == ENOBUFS) {
			(void)poll(NULL, 0, 1);
			continue;
		}
		if (n >= 0)
			errno = EMSGSIZE;
		return -1;
	}
}

/* the messages of a batch: 0, or -1 (EINVAL) for too many or a short packet */
static int batch_msgs(const struct mk_raw6 *r, const uint8_t *const *pkts, const size_t *lens,
		      unsigned n, struct mmsghdr *mm, struct iovec *iov, struct sockaddr_in6 *sa)
{
	if (n > MK_RAW6_BATCH) {
		errno = EINVAL;
		return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		if (lens[i] < 40) {
			errno = EINVAL;
			return -1;
		}
		dst_of(r, pkts[i], &sa[i]);
		iov[i].iov_base = (void *)pkts[i];
		iov[i].iov_len = lens[i];
		memset(&mm[i], 0, sizeof mm[i]);
		mm[i].msg_hdr.msg_name = &sa[i];
		mm[i].msg_hdr.msg_namelen = sizeof sa[i];
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	return 0;
}

int mk_raw6_send_batch(struct mk_raw6 *r, const uint8_t *const *pkts, const size_t *lens,
		       unsigned n)
{
	struct mmsghdr mm[MK_RAW6_BATCH];
	struct iovec iov[MK_RAW6_BATCH];
	struct sockaddr_in6 sa[MK_RAW6_BATCH];

	if (batch_msgs(r, pkts, lens, n, mm, iov, sa) != 0)
		return -1;
	return mk_sendmmsg_all(r->fd, mm, n);
}

int mk_raw6_send_batch_all(struct mk_raw6 *r, const uint8_t *const *pkts, const size_t *lens,
			   unsigned n, unsigned *failed)
{
	struct mmsghdr mm[MK_RAW6_BATCH];
	struct iovec iov[MK_RAW6_BATCH];
	struct sockaddr_in6 sa[MK_RAW6_BATCH];

	if (batch_msgs(r, pkts, lens, n, mm, iov, sa) != 0) {
		*failed = n;
		return 0;
	}
	return mk_sendmmsg_skip(r->fd, mm, n, failed);
}

int mk_sendmmsg_skip(int fd, struct mmsghdr *mm, unsigned n, unsigned *failed)
{
	unsigned done = 0, went = 0;

	*failed = 0;
	while (done < n) {
		/* k went; the one after them (if any) was refused */
		int k = mk_sendmmsg_all(fd, mm + done, n - done);
		if (k < 0)
			k = 0;
		done += (unsigned)k;
		went += (unsigned)k;
		if (done < n) {
			(*failed)++;
			done++;
		}
	}
	return (int)went;
}

int mk_sendmmsg_all(int fd, struct mmsghdr *mm, unsigned n)
{
	unsigned done = 0;

	while (done < n) {
		int k = sendmmsg(fd, mm + done, n - done, 0);
		if (k > 0) {
			done += (unsigned)k;
			continue;
		}
		if (k < 0 && (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };
			(void)poll(&p, 1, 1);
			continue;
		}
		if (done == 0)
			return -1;
		break;
	}
	return (int)done;
}

void mk_raw6_close(struct mk_raw6 *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}
