#ifndef OUTPOST_CSOCKETBATCH_H
#define OUTPOST_CSOCKETBATCH_H
// sendmmsg(2) and recvmmsg(2) for Swift: the Glibc module declares them (and struct mmsghdr)
// only under _GNU_SOURCE, which Swift's module of the C library is built without. No system
// header is included here: a second copy of <sys/socket.h>'s declarations would hide the
// Glibc module's from Swift files that do not import this module.

/// `sendmmsg(fd, messages, count, flags)`; `messages` points to `count` `struct mmsghdr`.
int outpost_sendmmsg(int fd, void *messages, unsigned int count, int flags);

/// `recvmmsg(fd, messages, count, flags, NULL)`: no timeout.
int outpost_recvmmsg(int fd, void *messages, unsigned int count, int flags);

/// `sizeof(struct mmsghdr)`, to check Swift's copy of the type.
unsigned long outpost_mmsghdr_size(void);

/// `offsetof(struct mmsghdr, msg_len)`, to check Swift's copy of the type.
unsigned long outpost_mmsghdr_length_offset(void);

#endif
