/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 32-bit entry from GRUB (Multiboot2) or QEMU -kernel (PVH), switch to long
 * mode on temporary page tables and jump to the higher half.
 *
 * The temporary tables map the first 4 GiB three times with 2 MiB pages:
 * identity (for this code and, later, the AP trampoline), the direct map at
 * PAGE_OFFSET, and the first GiB at KERNEL_VMA for the kernel image.
 * mm/ replaces them once the page allocator runs.
 */
#include <asm/msr-index.h>
#include <asm/page.h>

#define MB2_MAGIC		0xe85250d6
#define MB2_ARCH_I386		0
#define MB2_HEADER_LEN		(mb2_header_end - mb2_header)
#define PHYS(x)			((x) - KERNEL_VMA_ASM)

#define PTE_P			0x001
#define PTE_W			0x002
#define PTE_PS			0x080

	.section .multiboot, "a"
	.balign 8
mb2_header:
	.long	MB2_MAGIC
	.long	MB2_ARCH_I386
	.long	MB2_HEADER_LEN
	.long	-(MB2_MAGIC + MB2_ARCH_I386 + MB2_HEADER_LEN)
	/*
	 * Framebuffer tag (optional): without it GRUB on UEFI, which has no
	 * VGA text mode, passes no console at all.  1024x768x32 preferred;
	 * mkiso.sh's grub.cfg keeps the text mode on BIOS.
	 */
	.balign	8
	.short	5
	.short	1
	.long	20
	.long	1024
	.long	768
	.long	32
	/* end tag */
	.balign	8
	.short	0
	.short	0
	.long	8
mb2_header_end:

/* PVH entry note for QEMU -kernel: XEN_ELFNOTE_PHYS32_ENTRY (18). */
	.section .note.Xen, "a", @note
	.balign	4
	.long	4
	.long	8
	.long	18
	.asciz	"Xen"
	.balign	4
	.quad	_start32
	.balign	4

	.section .boot.text, "ax"
	.code32
	.globl	_start32
_start32:
	cli
	cld
	movl	%eax, boot_magic
	movl	%ebx, boot_info_phys
	movl	$boot_stack_top, %esp

	/* Clear the kernel's .bss (it holds the log buffer and stacks). */
	movl	$PHYS(__bss_start), %edi
	movl	$PHYS(__bss_end), %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb

	/* Long mode available? */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	no_long_mode
	movl	%edx, %esi			/* keep NX bit (20) for later */

	/* Zero the early tables. */
	movl	$early_pgtables, %edi
	movl	$(early_pgtables_end - early_pgtables) / 4, %ecx
	xorl	%eax, %eax
	rep stosl

	/* PD: 2048 x 2 MiB = first 4 GiB. */
	movl	$early_pd, %edi
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$(PTE_P | PTE_W | PTE_PS), %eax
	movl	%eax, (%edi, %ecx, 8)
	movl	%ecx, %eax
	shrl	$11, %eax			/* high bits of (i << 21) */
	movl	%eax, 4(%edi, %ecx, 8)
	incl	%ecx
	cmpl	$2048, %ecx
	jb	1b

	/* PDPT (low): 4 entries -> the 4 PD pages. */
	movl	$early_pdpt_low, %edi
	movl	$early_pd + (PTE_P | PTE_W), %eax
	movl	%eax, 0(%edi)
	addl	$PAGE_SIZE, %eax
	movl	%eax, 8(%edi)
	addl	$PAGE_SIZE, %eax
	movl	%eax, 16(%edi)
	addl	$PAGE_SIZE, %eax
	movl	%eax, 24(%edi)

	/* PDPT (high): entry 510 = -2 GiB -> first PD (physical 0-1 GiB). */
	movl	$early_pdpt_high, %edi
	movl	$early_pd + (PTE_P | PTE_W), %eax
	movl	%eax, 510 * 8(%edi)

	/* PML4: 0 identity, 273 direct map (PAGE_OFFSET), 511 kernel. */
	movl	$early_pml4, %edi
	movl	$early_pdpt_low + (PTE_P | PTE_W), %eax
	movl	%eax, 0(%edi)
	movl	%eax, 273 * 8(%edi)
	movl	$early_pdpt_high + (PTE_P | PTE_W), %eax
	movl	%eax, 511 * 8(%edi)

	/* PAE on, CR3, EFER.LME (+NXE if present), paging + write protect. */
	movl	%cr4, %eax
	orl	$0x20, %eax
	movl	%eax, %cr4
	movl	$early_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	btl	$20, %esi
	jnc	2f
	orl	$EFER_NXE, %eax
2:	wrmsr
	movl	%cr0, %eax
	orl	$0x80010001, %eax
	movl	%eax, %cr0

	lgdt	early_gdt_ptr
	ljmp	$0x08, $start64_low

no_long_mode:
	movl	$no_lm_msg, %esi
3:	lodsb
	testb	%al, %al
	jz	4f
	outb	%al, $0xe9
	movw	$0x3f8, %dx
	outb	%al, %dx
	jmp	3b
4:	hlt
	jmp	4b

	.code64
start64_low:
	movabsq	$start64, %rax
	jmpq	*%rax

	.section .boot.data, "aw"
	.balign	8
early_gdt:
	.quad	0
	.quad	0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff		/* 0x10: data */
early_gdt_end:
early_gdt_ptr:
	.short	early_gdt_end - early_gdt - 1
	.long	early_gdt
	.globl	boot_magic, boot_info_phys
boot_magic:
	.long	0
boot_info_phys:
	.long	0
no_lm_msg:
	.asciz	"Exo-OS: this CPU has no 64-bit long mode\r\n"

	.section .boot.bss, "aw", @nobits
	.balign	PAGE_SIZE
	.globl	early_pml4
early_pgtables:
early_pml4:
	.skip	PAGE_SIZE
early_pdpt_low:
	.skip	PAGE_SIZE
early_pdpt_high:
	.skip	PAGE_SIZE
early_pd:
	.skip	4 * PAGE_SIZE
early_pgtables_end:
boot_stack:
	.skip	PAGE_SIZE
boot_stack_top:

/* Higher half from here on. */
	.text
start64:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movabsq	$init_stack_top, %rsp
	xorl	%ebp, %ebp
	movl	boot_magic, %edi
	movl	boot_info_phys, %esi
	call	x86_64_start_kernel
5:	cli
	hlt
	jmp	5b

/*
 * Boot CPU stack, with one page below it that the kernel page tables leave
 * unmapped so an overflow faults instead of corrupting .bss.
 */
	.section .bss..stack, "aw", @nobits
	.balign	PAGE_SIZE
	.globl	init_stack_guard, init_stack, init_stack_top
init_stack_guard:
	.skip	PAGE_SIZE
init_stack:
	.skip	4 * PAGE_SIZE
init_stack_top:

	.section .note.GNU-stack, "", @progbits
