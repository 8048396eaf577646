/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtually contiguous kernel memory (mm/vmalloc.c): large buffers, module
 * images and thread stacks, backed by separate 4 KiB frames and surrounded
 * by unmapped guard pages.  See Documentation/mm/layout.rst.
 *
 *	void *buf = vmalloc(1 << 20);		// RW + NX, guard page after
 *	vfree(buf);
 *
 *	void *m = module_alloc(len);		// within 2 GiB of the kernel
 *	memcpy(m, image, len);
 *	set_memory_ro((unsigned long)m, pages);
 *	set_memory_x((unsigned long)m, pages);	// never W+X: ro first
 *	module_memfree(m);
 *
 *	unsigned long va = get_vm_area(len, 0);	// address space only
 *	map_range(va, pa, len, PAGE_WRITABLE);	// the owner maps what it wants
 *	free_vm_area(va);			// unmaps, frees page tables + VA
 */
#ifndef _EXO_VMALLOC_H
#define _EXO_VMALLOC_H

#include <exo/types.h>

/**
 * vmalloc() - @size bytes of virtually contiguous, page-granular memory
 * @size: bytes (rounded up to pages); not zeroed
 *
 * RW + NX in the vmalloc area, with an unmapped guard page after (and
 * before) it.  Sleeps-free; callable with interrupts enabled only.
 * Return: the address, or NULL for size 0, no address space or no memory.
 */
void *vmalloc(size_t size);

/**
 * vzalloc() - vmalloc() of zeroed memory
 * @size: bytes wanted
 *
 * Return: the address, or NULL (as vmalloc()).
 */
void *vzalloc(size_t size);

/**
 * vfree() - free what vmalloc() returned
 * @addr: vmalloc()'s result or NULL; anything else is refused with a log line
 */
void vfree(const void *addr);

/**
 * set_memory_ro() / set_memory_rw() / set_memory_x() / set_memory_nx() -
 * change the permissions of @numpages kernel pages from @addr
 * @addr: page-aligned kernel-half address, every page mapped
 * @numpages: pages (0 does nothing)
 *
 * Huge pages straddling an end are split; one shootdown round per run of
 * pages that had the same permissions.  A change that would make a page
 * writable and executable is refused.
 * Return: 0; -EINVAL misaligned/user address or W+X; -ENOENT a page is not
 * mapped; -ENOMEM no frame for a split.  Nothing changes on failure.
 */
int set_memory_ro(unsigned long addr, unsigned int numpages);
int set_memory_rw(unsigned long addr, unsigned int numpages);
int set_memory_x(unsigned long addr, unsigned int numpages);
int set_memory_nx(unsigned long addr, unsigned int numpages);

/**
 * module_alloc() - RW + NX pages for a module image
 * @size: bytes (rounded up to pages)
 *
 * In the module area [MODULES_VADDR, MODULES_END), within 2 GiB of the
 * kernel image so that PC32 relocations reach it.
 * Return: the address or NULL.
 */
void *module_alloc(size_t size);

/* Free what module_alloc() returned (whatever its permissions are now). */
void module_memfree(void *addr);

/**
 * alloc_kernel_stack() - a thread stack in the vmalloc area
 * @size: bytes, a multiple of PAGE_SIZE
 * @first_frame: NULL, or receives the frame of the lowest page (debugging)
 *
 * Return: the LOWEST usable address (the stack grows down towards it);
 * the page directly below is an unmapped guard page, so an overflow
 * faults (#PF, then #DF on its IST stack: an oops, not a triple fault).
 * NULL when out of memory.
 */
void *alloc_kernel_stack(size_t size, phys_addr_t *first_frame);

/**
 * alloc_kernel_stack_node() - alloc_kernel_stack() with its frames on a node
 * @size: bytes, a multiple of PAGE_SIZE
 * @nid: the node whose memory the stack should use (its nearest memory
 *       node if it has none, then the next ones by distance when that is
 *       full); NUMA_NO_NODE: this CPU's, as alloc_kernel_stack()
 * @first_frame: NULL, or receives the frame of the lowest page
 *
 * Return: as alloc_kernel_stack(); NULL with a log line when @nid is not
 * an online node.
 */
void *alloc_kernel_stack_node(size_t size, int nid, phys_addr_t *first_frame);

/* Free a stack from alloc_kernel_stack() (its lowest address and size). */
void free_kernel_stack(void *stack, size_t size);

/*
 * vmalloc_drain() - finish the frees that came from atomic context
 *
 * vfree()/module_memfree()/free_kernel_stack() with interrupts disabled
 * (a detached thread's stack is freed in the scheduler) cannot wait for the
 * TLB shootdown, so the area stays mapped until the next allocation or free
 * from a normal context, or this call.  Interrupts must be enabled.
 */
void vmalloc_drain(void);

/**
 * vmalloc_shrink() - give back the memory the vmalloc layer keeps spare
 *
 * vmalloc_drain(), then frees the page of area descriptors that the pool
 * keeps after a burst (see slot_put() in mm/vmalloc.c), so that a count of
 * free pages (a leak check, ktest_settled_free_pages()) does not depend on
 * the order in which areas were freed.  Process context, interrupts enabled.
 */
void vmalloc_shrink(void);

/* get_vm_area() flag: the reservation holds device memory (ioremap). */
#define VM_IOREMAP	0x1UL

/**
 * __get_vm_area() - reserve address space in the vmalloc area, map nothing
 * @size: bytes, rounded up to pages; not 0
 * @align: a power of two >= PAGE_SIZE
 * @phase: page-aligned, < @align: the start is congruent to @phase modulo
 *	@align (pass the physical address modulo 2 MiB to let map_range() use
 *	2 MiB pages for a physical range that is not 2 MiB aligned)
 * @flags: 0 or VM_IOREMAP (shown by vmallocinfo)
 * @caller: shown by vmallocinfo
 *
 * The reservation has an unmapped guard page on each side like every
 * vmalloc-area allocation.  Its owner maps and unmaps pages in it with
 * map_range()/unmap_range(); the frames stay the owner's.
 * Return: the page-aligned start, or 0 (logged) for a bad argument or an
 * exhausted area.
 */
unsigned long __get_vm_area(size_t size, unsigned long align, unsigned long phase,
			    unsigned long flags, const void *caller);

/* get_vm_area() - __get_vm_area() with page alignment and the caller's address. */
unsigned long get_vm_area(size_t size, unsigned long flags);

/**
 * free_vm_area() - unmap a reservation and give its address space back
 * @addr: what (__)get_vm_area() returned
 *
 * Whatever is mapped in it is unmapped in one shootdown round and the
 * page tables that become empty are freed; the mapped frames are not (they
 * are the owner's).  From atomic context the unmap is deferred like
 * vfree()'s.
 * Return: 0; -EINVAL not a page of the vmalloc area; -ENOENT no live
 * reservation starts there (e.g. a double free).  Logged; nothing changes.
 */
int free_vm_area(unsigned long addr);

/**
 * __free_vm_area() - free_vm_area() of a reservation made with @flags only
 * @addr: its start
 * @flags: what __get_vm_area() was given (VM_IOREMAP: an ioremap() area)
 * @fn: the caller's name, for the log line
 *
 * The kind check and the unlinking are one step under the area lock, so
 * that iounmap() can neither free a plain get_vm_area() reservation nor
 * race a second free into one that took the address meanwhile.
 * Return: as free_vm_area().
 */
int __free_vm_area(unsigned long addr, unsigned long flags, const char *fn);

/**
 * vm_area_lookup() - the reservation containing @addr
 * @start: NULL or receives its start
 * @size: NULL or receives its size in bytes
 * Return: true if @addr lies in a live get_vm_area() reservation (the
 * outputs are then set), false otherwise.
 */
bool vm_area_lookup(unsigned long addr, unsigned long *start, size_t *size);

/* Whether @addr lies in the vmalloc area / the module area. */
bool is_vmalloc_addr(const void *addr);
bool is_module_addr(const void *addr);

/* Pages mapped by vmalloc(), stacks and modules (for tests and meminfo). */
unsigned long vmalloc_nr_pages(void);

#endif
