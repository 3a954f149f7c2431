#define _GNU_SOURCE
#include <stddef.h>
#include <sys/socket.h>
#include "CSocketBatch.h"

int outpost_sendmmsg(int fd, void *messages, unsigned int count, int flags) {
    return sendmmsg(fd, (struct mmsghdr *)messages, count, flags);
}

int outpost_recvmmsg(int fd, void *messages, unsigned int count, int flags) {
    return recvmmsg(fd, (struct mmsghdr *)messages, count, flags, NULL);
}

unsigned long outpost_mmsghdr_size(void) { return sizeof(struct mmsghdr); }

unsigned long outpost_mmsghdr_length_offset(void) { return offsetof(struct mmsghdr, msg_len); }
