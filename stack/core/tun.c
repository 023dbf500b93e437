/* stack/core/tun.c: the TUN device (/dev/net/tun, IFF_TUN | IFF_NO_PI:
 * IPv6 packets, no header), the link's addresses, sysctl writes. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "stack/core/core.h"

int sys_sysctl(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, value, strlen(value));
	close(fd);
	return w == (ssize_t)strlen(value) ? 0 : -1;
}

int tun_open(const char *name, int *ifindex, char *err, size_t errlen)
{
	struct ifreq ifr;
	bool existed = if_nametoindex(name) != 0;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "/dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%.15s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
		snprintf(err, errlen, "TUN device '%s': %s%s", name, strerror(errno),
			 errno == EBUSY ? " (another process holds it: another mobd?)" : "");
		close(fd);
		return -1;
	}
	if (existed) {
		/* nobody held it, so it was left persistent: from now on it goes
		 * with this descriptor, as one mobd makes */
		ioctl(fd, TUNSETPERSIST, 0);
		log_info("TUN device %s was left over: taken over, no longer persistent", name);
	}
	*ifindex = (int)if_nametoindex(name);
	return fd;
}

int link_up(const char *name, unsigned mtu)
{
	struct ifreq ifr;
	int s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = -1;
	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, IFNAMSIZ, "%.15s", name);
	ifr.ifr_mtu = (int)mtu;
	if (ioctl(s, SIOCSIFMTU, &ifr) == 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		r = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return r;
}

int link_info(const char *name, uint8_t mac[6], struct in6_addr *ll)
{
	struct ifreq ifr;
	int s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, IFNAMSIZ, "%.15s", name);
	int r = ioctl(s, SIOCGIFHWADDR, &ifr);
	close(s);
	if (r != 0)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	/* the EUI-64 link-local address (the testbed does not change it) */
	memset(ll, 0, sizeof *ll);
	ll->s6_addr[0] = 0xfe;
	ll->s6_addr[1] = 0x80;
	ll->s6_addr[8] = mac[0] ^ 2;
	ll->s6_addr[9] = mac[1];
	ll->s6_addr[10] = mac[2];
	ll->s6_addr[11] = 0xff;
	ll->s6_addr[12] = 0xfe;
	ll->s6_addr[13] = mac[3];
	ll->s6_addr[14] = mac[4];
	ll->s6_addr[15] = mac[5];
	return 0;
}

