// The machine's ceiling for LiveHarness (issue 4): a UDP receiver with no Java in it. It reads
// 127.0.0.1:PORT with recvmmsg (BATCH datagrams per call, 9,225-byte slots as the sensor's) and only
// counts. After each burst (300 ms of silence) it prints the datagrams, the recvmmsg calls and its
// CPU time per datagram. Loss is the kernel's: LiveHarness --receiver port:PORT reads the port's
// drop counter in /proc/net/udp.
//
//   gcc -O2 -o /tmp/udpcount bench/native/udpcount.c
//   /tmp/udpcount 4790 [RCVBUF_BYTES=33554432] [BATCH=32] &
//   java -cp bench/target/benchmarks.jar io.mirrorsensor.bench.LiveHarness
//       --receiver port:4790 --sender gso --sizes 128 --max 2000000 [--rmem-max 67108864]
//
// As root the receive buffer is set with SO_RCVBUFFORCE (no net.core.rmem_max cap), otherwise
// with SO_RCVBUF. Not part of the build.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <time.h>
#include <sys/resource.h>
#define VLEN 32
#define SLOT 9225
static long long cpu_ns(void) {
  struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}
int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 4790;
  int rcvbuf = argc > 2 ? atoi(argv[2]) : 33554432;
  int vlen = argc > 3 ? atoi(argv[3]) : VLEN;
  if (vlen < 1 || vlen > VLEN * 4) vlen = VLEN;
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); return 1; }
  int got = 0; socklen_t gl = sizeof got;
  getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &gl);
  fprintf(stderr, "udpcount: port %d rcvbuf %d batch %d\n", port, got, vlen);
  static char bufs[VLEN * 4][SLOT];
  struct mmsghdr msgs[VLEN * 4];
  struct iovec iov[VLEN * 4];
  struct sockaddr_in from[VLEN * 4];
  for (int i = 0; i < vlen; i++) {
    iov[i].iov_base = bufs[i]; iov[i].iov_len = SLOT;
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_iov = &iov[i]; msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &from[i]; msgs[i].msg_hdr.msg_namelen = sizeof from[i];
  }
  long long count = 0, calls = 0, c0 = 0;
  struct pollfd p = {.fd = fd, .events = POLLIN};
  setvbuf(stdout, NULL, _IOLBF, 0);
  for (;;) {
    int r = poll(&p, 1, 300);
    if (r == 0) {
      if (count > 0) {
        long long c = cpu_ns() - c0;
        printf("burst %lld datagrams %lld recvmmsg calls cpu %lld ns = %.1f ns/datagram\n",
               count, calls, c, (double)c / count);
        count = 0; calls = 0;
      }
      continue;
    }
    if (count == 0) c0 = cpu_ns();
    for (;;) {
      for (int i = 0; i < vlen; i++) msgs[i].msg_hdr.msg_namelen = sizeof from[i];
      int n = recvmmsg(fd, msgs, vlen, MSG_DONTWAIT, NULL);
      if (n <= 0) break;
      count += n; calls++;
    }
  }
}
