/* SPDX-License-Identifier: GPL-2.0 */
/* Port I/O and MMIO accessors. */
#ifndef _ASM_X86_IO_H
#define _ASM_X86_IO_H

#include <exo/types.h>

static __always_inline void outb(u16 port, u8 v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static __always_inline void outw(u16 port, u16 v)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static __always_inline void outl(u16 port, u32 v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static __always_inline u8 inb(u16 port)
{
	u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static __always_inline u16 inw(u16 port)
{
	u16 v;

	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static __always_inline u32 inl(u16 port)
{
	u32 v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static __always_inline u32 readl(const volatile void __iomem *addr)
{
	return *(const volatile u32 __force *)addr;
}

static __always_inline void writel(u32 v, volatile void __iomem *addr)
{
	*(volatile u32 __force *)addr = v;
}

static __always_inline u16 readw(const volatile void __iomem *addr)
{
	return *(const volatile u16 __force *)addr;
}

static __always_inline void writew(u16 v, volatile void __iomem *addr)
{
	*(volatile u16 __force *)addr = v;
}

static __always_inline u8 readb(const volatile void __iomem *addr)
{
	return *(const volatile u8 __force *)addr;
}

static __always_inline void writeb(u8 v, volatile void __iomem *addr)
{
	*(volatile u8 __force *)addr = v;
}

/**
 * ioremap() - map device memory [@pa, @pa + @size) uncached
 * @pa: physical address, any alignment (the offset in the page is kept)
 * @size: bytes, not 0
 *
 * A new mapping in the vmalloc area (guard pages around it): UC- (PCD),
 * NX, read-write, global; 2 MiB pages where @size and the alignment allow.
 * The direct map covers RAM only, so this is the only way to reach MMIO.
 * Callable with interrupts enabled (it may allocate page tables).
 * Return: the kernel address of @pa, or NULL (logged) for size 0, a range
 * that wraps or lies beyond 2^52, a range that overlaps RAM, or no memory.
 */
void __iomem *ioremap(phys_addr_t pa, size_t size);

/**
 * ioremap_wc() - map device memory [@pa, @pa + @size) write-combining
 * @pa: physical address, any alignment (the offset in the page is kept)
 * @size: bytes, not 0
 *
 * As ioremap(), but the pages are write-combining (PAGE_WRITECOMBINE: PAT
 * entry 4): stores may be buffered, merged and reordered until a fence or
 * an uncached access, loads are not cached.  For frame buffers and other
 * memory a device reads in bursts, never for registers with side effects.
 * Without a PAT (x86_pat_wc false) the mapping is uncached, as ioremap().
 * Return: as for ioremap().
 */
void __iomem *ioremap_wc(phys_addr_t pa, size_t size);

/**
 * iounmap() - undo ioremap() or ioremap_wc()
 * @addr: what ioremap() or ioremap_wc() returned (any address in its
 *	  first page), or NULL
 *
 * Unmaps in one TLB shootdown round, frees the page tables that became
 * empty and the address space.  Anything else (a foreign pointer, a double
 * iounmap) is refused with a log line and changes nothing.
 */
void iounmap(volatile void __iomem *addr);

#endif /* _ASM_X86_IO_H */
