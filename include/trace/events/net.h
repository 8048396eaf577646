/* SPDX-License-Identifier: GPL-2.0 */
/* Packet events: a packet given to a driver, a packet received. */
#include <exo/netdevice.h>
#include <exo/skbuff.h>
#include <exo/string.h>
#include <exo/tracepoint.h>

/* Outside the guard: a header included above may set it too. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM net

#if !defined(_TRACE_NET_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_NET_H

TRACE_EVENT(net_dev_xmit,
	TP_PROTO(struct sk_buff *skb, int rc, struct net_device *dev, unsigned int skb_len),
	TP_ARGS(skb, rc, dev, skb_len),
	TP_STRUCT__entry(
		__array(char, name, IFNAMSIZ)
		__field(const void *, skbaddr)
		__field(unsigned int, len)
		__field(int, rc)
	),
	TP_fast_assign(
		strlcpy(__entry->name, dev->name, IFNAMSIZ);
		__entry->skbaddr = skb;
		__entry->len = skb_len;
		__entry->rc = rc;
	),
	TP_printk("dev=%s skbaddr=%p len=%u rc=%d", __entry->name, __entry->skbaddr,
		  __entry->len, __entry->rc)
);

TRACE_EVENT(netif_receive_skb,
	TP_PROTO(struct sk_buff *skb),
	TP_ARGS(skb),
	TP_STRUCT__entry(
		__array(char, name, IFNAMSIZ)
		__field(const void *, skbaddr)
		__field(unsigned int, len)
	),
	TP_fast_assign(
		strlcpy(__entry->name, skb->dev ? skb->dev->name : "?", IFNAMSIZ);
		__entry->skbaddr = skb;
		__entry->len = skb->len;
	),
	TP_printk("dev=%s skbaddr=%p len=%u", __entry->name, __entry->skbaddr, __entry->len)
);

#endif /* _TRACE_NET_H */
