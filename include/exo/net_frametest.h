/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frame test (net/core/frametest.c): send frames of varied sizes
 * from one network device to another, each carrying its TX queue, a
 * sequence number per queue and a run id; the receiver checks every
 * byte of every frame (the payload derives from a seed, the queue and
 * the sequence number) and the order per queue.  Afterwards the number
 * of live skbs must be back at its baseline, so a driver that leaks or
 * keeps buffers fails.  For NIC drivers' tests (virtio_net, e1000) and
 * the `net frametest` command; Documentation/net.rst.
 */
#ifndef _EXO_NET_FRAMETEST_H
#define _EXO_NET_FRAMETEST_H

#include <exo/types.h>

struct net_device;

/* EtherType of the test frames (IEEE 802 local experimental 1). */
#define NET_FRAMETEST_ETHERTYPE	0x88B5

/**
 * struct net_frametest_params - what to send
 * @tx_dev: sender (running, carrier on)
 * @rx_dev: receiver (running); may equal @tx_dev for a loopback device
 * @count: frames to send (per direction)
 * @min_len: shortest frame, Ethernet header included (>= 60; 0: 60)
 * @max_len: longest frame (<= MTU + 14; 0: 1514)
 * @seed: payload and length seed
 * @tx_queues: TX queues to send on, one sender thread each (0: all in use)
 * @both_ways: also send @count frames from @rx_dev to @tx_dev at once
 * @window: most frames in flight per direction (0: 256); keep it below
 *	what the path can hold so that no frame is dropped for room
 * @timeout_ms: give up after this long without progress (0: 5000)
 */
struct net_frametest_params {
	struct net_device *tx_dev;
	struct net_device *rx_dev;
	unsigned long count;
	unsigned int min_len;
	unsigned int max_len;
	u32 seed;
	unsigned int tx_queues;
	bool both_ways;
	unsigned int window;
	unsigned int timeout_ms;
};

/**
 * struct net_frametest_result - what happened (both directions summed)
 * @sent: frames dev_queue_xmit() accepted
 * @received: test frames of this run received
 * @bad: received with a wrong length, header, address or payload byte
 * @out_of_order: received with another sequence number than the next
 *	expected on their queue
 * @lost: sent and never received
 * @tx_dropped: frames dev_queue_xmit() refused
 * @skb_delta: live skbs after the run minus before (0 expected)
 * @ns: time from the first send to the last receive
 */
struct net_frametest_result {
	unsigned long sent;
	unsigned long received;
	unsigned long bad;
	unsigned long out_of_order;
	unsigned long lost;
	unsigned long tx_dropped;
	long skb_delta;
	u64 ns;
};

/**
 * net_frametest_run() - run the frame test
 * @p: parameters
 * @r: filled in (also on failure)
 *
 * Context: thread, may sleep; the devices must stay registered.
 * Return: 0 when every frame arrived intact and in order and no skb
 * leaked; -EIO otherwise (details in @r, and logged); -EINVAL for bad
 * parameters; -ENETDOWN if a device is not up with its carrier on;
 * -ENOMEM.
 */
int net_frametest_run(const struct net_frametest_params *p, struct net_frametest_result *r);

/** net_frametest_print() - log @r in one line, prefixed with @what */
void net_frametest_print(const char *what, const struct net_frametest_result *r);

#endif /* _EXO_NET_FRAMETEST_H */
