/*
 * ring: io_uring setup with probing. Each feature is tried newest first and
 * dropped when the kernel says EINVAL, so one binary runs on 5.19 (Debian
 * 12's 6.1 has everything) and uses what newer kernels add.
 */
#include "core/engine/ring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "protocol/limits.h"

static bool disabled(const char *feature)
{
	const char *list = getenv("MCPLOAD_DISABLE");
	size_t n = strlen(feature);
	if (!list)
		return false;
	for (const char *p = list; (p = strstr(p, feature)) != NULL; p += n) {
		if ((p == list || p[-1] == ',') && (p[n] == 0 || p[n] == ','))
			return true;
	}
	return false;
}

static unsigned pow2_at_least(unsigned v)
{
	unsigned p = 1;
	while (p < v)
		p <<= 1;
	return p;
}

static int setup_uring(struct ring *r, unsigned conns)
{
	struct io_uring_params p;
	unsigned sq = pow2_at_least(conns < 256 ? 256 : conns);
	int ret;

	if (sq > 16384)
		sq = 16384;
	/* Every connection may have a recv and a send completion outstanding;
	 * a CQ that large never overflows into the kernel's slow backlog. */
	unsigned cq = pow2_at_least(4 * conns + 256);
	if (cq > 65536)
		cq = 65536;
	for (int attempt = 0; attempt < 3; attempt++) {
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL;
		p.cq_entries = cq;
		if (attempt == 0 && !disabled("defer"))
			p.flags |= IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
		else if (attempt <= 1 && !disabled("coop"))
			p.flags |= IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
		ret = io_uring_queue_init_params(sq, &r->uring, &p);
		if (ret == 0) {
			r->feat.single_issuer = p.flags & IORING_SETUP_DEFER_TASKRUN;
			r->feat.coop_taskrun = p.flags & IORING_SETUP_COOP_TASKRUN;
			r->feat.skip_success =
			    (p.features & IORING_FEAT_CQE_SKIP) && !disabled("skip");
			return 0;
		}
		if (ret != -EINVAL)
			return ret;
	}
	/* SUBMIT_ALL and CQSIZE are older than every kernel with buffer rings,
	 * so a kernel refusing them cannot run the engine anyway. */
	return ret;
}

static int setup_buffers(struct ring *r, unsigned conns)
{
	struct io_uring_buf_reg reg;
	unsigned count = pow2_at_least(2 * conns);
	int ret;

	if (count < LIM_RECV_BUFS_MIN)
		count = LIM_RECV_BUFS_MIN;
	if (count > LIM_RECV_BUFS_MAX)
		count = LIM_RECV_BUFS_MAX;
	unsigned size = LIM_RECV_BUF_MAX;
	while (size > LIM_RECV_BUF_MIN && (uint64_t)size * count > LIM_RECV_POOL_BYTES)
		size >>= 1;
	r->buf_count = count;
	r->buf_size = size;
	size_t ring_bytes = count * sizeof(struct io_uring_buf);
	r->br = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->br == MAP_FAILED) {
		r->br = NULL;
		return -errno;
	}
	/* Buffer memory is mapped, not touched: RSS grows only with what the
	 * kernel actually fills. */
	r->bufs = mmap(NULL, (size_t)count * size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->bufs == MAP_FAILED) {
		r->bufs = NULL;
		return -errno;
	}
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (unsigned long)r->br;
	reg.ring_entries = count;
	reg.bgid = RING_BGID;
	ret = io_uring_register_buf_ring(&r->uring, &reg, 0);
	if (ret)
		return ret;
	io_uring_buf_ring_init(r->br);
	for (unsigned i = 0; i < count; i++)
		ring_return_buf(r, i);
	ring_publish_bufs(r);
	return 0;
}

int ring_init(struct ring *r, unsigned conns, const char **why)
{
	int ret;

	memset(r, 0, sizeof(*r));
	ret = setup_uring(r, conns);
	if (ret == -EPERM) {
		/* Docker and containerd's default seccomp profiles refuse it */
		*why = "io_uring_setup was refused (EPERM): a container's seccomp profile blocks "
		       "io_uring (tools/k8s/seccomp-io_uring.json allows it; docs/distributed.md), "
		       "or sysctl kernel.io_uring_disabled is set";
		return ret;
	}
	if (ret == -ENOSYS) {
		*why = "io_uring_setup: this kernel has no io_uring (ENOSYS; Linux 5.19 or newer)";
		return ret;
	}
	if (ret) {
		*why = "io_uring_setup (is io_uring disabled by sysctl or seccomp?)";
		return ret;
	}
	ret = setup_buffers(r, conns);
	if (ret) {
		*why = "provided buffer ring (needs Linux 5.19 or newer)";
		goto out_exit;
	}
	if (!disabled("fixed") && io_uring_register_files_sparse(&r->uring, conns) == 0)
		r->feat.fixed_files = true;
	r->feat.multishot = !disabled("multishot");
	r->feat.rx_stamps = r->feat.multishot && !disabled("rxstamp");
	r->rx_msg.msg_controllen = RING_RX_CONTROL;
	io_uring_prep_send(&r->send_sqe, -1, NULL, 0, MSG_NOSIGNAL | MSG_WAITALL);
	r->send_sqe.flags = (r->feat.fixed_files ? IOSQE_FIXED_FILE : 0) |
			    (r->feat.skip_success ? IOSQE_CQE_SKIP_SUCCESS : 0);
	return 0;

out_exit:
	ring_exit(r);
	return ret;
}

void ring_exit(struct ring *r)
{
	if (r->uring.ring_fd > 0)
		io_uring_queue_exit(&r->uring);
	if (r->bufs)
		munmap(r->bufs, (size_t)r->buf_count * r->buf_size);
	if (r->br)
		munmap(r->br, r->buf_count * sizeof(struct io_uring_buf));
	memset(r, 0, sizeof(*r));
}

struct io_uring_sqe *ring_sqe_full(struct ring *r)
{
	struct io_uring_sqe *sqe = NULL;
	for (int i = 0; !sqe && i < 4; i++) {
		if (io_uring_submit(&r->uring) < 0)
			break;
		sqe = io_uring_get_sqe(&r->uring);
	}
	return sqe;
}
