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

static __always_inline u8 readb(const volatile void __iomem *addr)
{
	return *(const volatile u8 __force *)addr;
}

static __always_inline void writeb(u8 v, volatile void __iomem *addr)
{
	*(volatile u8 __force *)addr = v;
}

/**
 * ioremap() - kernel address of device memory [@pa, @pa + @size)
 *
 * Return: the mapping, or NULL (logged) when the range cannot be mapped.
 */
void __iomem *ioremap(phys_addr_t pa, size_t size);

/** iounmap() - release an ioremap() mapping */
void iounmap(volatile void __iomem *addr);

#endif /* _ASM_X86_IO_H */
