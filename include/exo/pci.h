/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI: configuration space access (mechanism #1 at ports 0xCF8/0xCFC, or
 * ECAM when ACPI's MCFG describes it), bus enumeration, and the "pci" bus
 * of the device model with ID-table matching.
 *
 *	static const struct pci_device_id foo_ids[] = {
 *		{ PCI_DEVICE(0x1234, 0x11e8) },
 *		{ PCI_DEVICE_CLASS(0x010601, 0xffffff) },	(AHCI)
 *		{ }
 *	};
 *	MODULE_DEVICE_TABLE(pci, foo_ids);
 *	static struct pci_driver foo_driver = {
 *		.name = "foo", .id_table = foo_ids,
 *		.probe = foo_probe, .remove = foo_remove,
 *	};
 *	module_pci_driver(foo_driver);
 */
#ifndef _EXO_PCI_H
#define _EXO_PCI_H

#include <exo/device.h>
#include <exo/atomic.h>
#include <exo/ioport.h>
#include <exo/module.h>
#include <exo/pci_regs.h>
#include <exo/spinlock.h>

#define PCI_ANY_ID		(~0u)

struct pci_device_id {
	u32 vendor, device;		/* or PCI_ANY_ID */
	u32 subvendor, subdevice;	/* or PCI_ANY_ID */
	u32 class, class_mask;		/* (class ^ dev->class) & class_mask == 0 */
	unsigned long driver_data;
};

#define PCI_DEVICE(vend, dev)						\
	.vendor = (vend), .device = (dev),				\
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID
#define PCI_DEVICE_CLASS(cls, mask)					\
	.vendor = PCI_ANY_ID, .device = PCI_ANY_ID,			\
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID,		\
	.class = (cls), .class_mask = (mask)

/* Configuration space registers. */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define  PCI_COMMAND_IO		0x1
#define  PCI_COMMAND_MEMORY	0x2
#define  PCI_COMMAND_MASTER	0x4
#define PCI_STATUS		0x06
#define PCI_CLASS_REVISION	0x08
#define PCI_HEADER_TYPE		0x0e
#define  PCI_HEADER_TYPE_MASK	0x7f
#define  PCI_HEADER_MULTIFUNC	0x80
#define  PCI_HEADER_TYPE_NORMAL	0
#define  PCI_HEADER_TYPE_BRIDGE	1
#define PCI_BASE_ADDRESS_0	0x10
#define PCI_PRIMARY_BUS		0x18
#define PCI_SECONDARY_BUS	0x19
#define PCI_SUBORDINATE_BUS	0x1a
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d

#define PCI_CLASS_BRIDGE_HOST	0x0600
#define PCI_CLASS_BRIDGE_ISA	0x0601
#define PCI_CLASS_BRIDGE_PCI	0x0604

#define PCI_NUM_BARS		6
#define PCI_IRQ_RESOURCE	PCI_NUM_BARS	/* resource[] index of the IRQ line */

#define PCI_DEVFN(slot, fn)	((((slot) & 0x1f) << 3) | ((fn) & 0x07))
#define PCI_SLOT(devfn)		(((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)		((devfn) & 0x07)

struct pci_irq_vecs;

struct pci_dev {
	struct device dev;
	u16 segment;
	u8 bus;
	u8 devfn;
	u16 vendor, device;
	u16 subsystem_vendor, subsystem_device;
	u32 class;			/* class << 16 | subclass << 8 | prog-if */
	u8 revision;
	u8 hdr_type;
	u8 irq_pin;			/* 0 none, 1-4 = INTA#-INTD# */
	u8 irq_line;			/* legacy IRQ routed by firmware, 0xff none */
	u8 secondary, subordinate;	/* bridges only */
	struct resource resource[PCI_NUM_BARS + 1];	/* BARs, then the IRQ */
	char res_names[PCI_NUM_BARS + 1][8];
	/* Capability offsets found at enumeration (0: absent). */
	u8 pm_cap, msi_cap, msix_cap, pcie_cap;
	u16 cfg_size;			/* 256, or 4096 for PCIe with ECAM */
	u8 current_state;		/* PCI_D0..PCI_D3hot, as last read/set */
	bool is_busmaster;
	bool is_managed;		/* pcim_enable_device() was called */
	bool msi_enabled, msix_enabled;
	spinlock_t msi_lock;		/* the MSI mask register's read-modify-write */
	atomic_t enable_cnt;		/* pci_enable_device() calls not undone */
	u8 regions_requested;		/* bit n: BAR n claimed by pci_request_region() */
	void __iomem *msix_base;	/* the MSI-X table, pci_msix_map_table() */
	struct pci_irq_vecs *irq_vecs;	/* pci_alloc_irq_vectors() state, NULL: none */
	bool is_msi_managed;		/* vectors freed at unbind (pcim) */
	struct pcim_iomap_devres *iomap;	/* pcim_iomap_table() */
	/* INTx route, set after enumeration (arch/x86/pci/irq.c, asm/pci_x86.h) */
	unsigned int irq;		/* INTx IRQ number for request_irq(), 0: none */
	u32 irq_gsi;			/* the I/O APIC input INTx reaches */
	u8 irq_trigger;			/* ACPI_LEVEL_SENSITIVE / ACPI_EDGE_SENSITIVE */
	u8 irq_polarity;		/* ACPI_ACTIVE_HIGH / ACPI_ACTIVE_LOW */
	u8 irq_source;			/* enum pci_intx_source */
	u64 dma_mask;			/* dev.dma_mask points here; 32 bits at first */
	/*
	 * Configuration accesses go to these instead of the hardware when set
	 * (tests use it to present a synthetic config space).
	 */
	const struct pci_cfg_ops *cfg_ops;
};

/**
 * struct pci_cfg_ops - a config space behind a struct pci_dev (tests)
 * @read: read @size (1, 2, 4) bytes at @where into @val; 0 or -errno
 * @write: write @size bytes; 0 or -errno
 */
struct pci_cfg_ops {
	int (*read)(struct pci_dev *pdev, unsigned int where, unsigned int size, u32 *val);
	int (*write)(struct pci_dev *pdev, unsigned int where, unsigned int size, u32 val);
};

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;
	int (*probe)(struct pci_dev *pdev, const struct pci_device_id *id);
	void (*remove)(struct pci_dev *pdev);
	struct device_driver driver;
};

#define to_pci_dev(d)		container_of(d, struct pci_dev, dev)
#define to_pci_driver(d)	container_of(d, struct pci_driver, driver)

extern struct bus_type pci_bus_type;

/**
 * pci_bus_read_config() - read @size (1, 2, 4) bytes of config space
 * @seg, @bus, @devfn: the function
 * @where: offset (aligned to @size, < 256 with mechanism #1, < 4096 ECAM)
 * @val: set to the value (all ones if nothing answers)
 *
 * Return: 0, -EINVAL bad size/alignment/offset, -ENODEV no access method.
 */
int pci_bus_read_config(u16 seg, u8 bus, u8 devfn, unsigned int where, unsigned int size,
			u32 *val);

/**
 * pci_bus_write_config() - write @size bytes of config space (errors as read)
 */
int pci_bus_write_config(u16 seg, u8 bus, u8 devfn, unsigned int where, unsigned int size,
			 u32 val);

int pci_read_config_byte(struct pci_dev *pdev, unsigned int where, u8 *val);
int pci_read_config_word(struct pci_dev *pdev, unsigned int where, u16 *val);
int pci_read_config_dword(struct pci_dev *pdev, unsigned int where, u32 *val);
int pci_write_config_byte(struct pci_dev *pdev, unsigned int where, u8 val);
int pci_write_config_word(struct pci_dev *pdev, unsigned int where, u16 val);
int pci_write_config_dword(struct pci_dev *pdev, unsigned int where, u32 val);

/**
 * pci_conf1_read() - read through configuration mechanism #1 only
 * (tests compare it with ECAM).  Return: as pci_bus_read_config().
 */
int pci_conf1_read(u8 bus, u8 devfn, unsigned int where, unsigned int size, u32 *val);

/**
 * pci_ecam_active() - true when config space goes through ECAM (MCFG)
 */
bool pci_ecam_active(void);

struct pci_mcfg_region {
	u64 base;
	u16 segment;
	u8 start_bus, end_bus;
};

/**
 * pci_mcfg_parse() - decode an ACPI MCFG table
 * @table: the table (header included)
 * @len: bytes available at @table
 * @out: filled with up to @max regions
 *
 * Return: number of regions, or -EINVAL for a malformed table (bad
 * signature, length, checksum, or a region with end_bus < start_bus).
 */
int pci_mcfg_parse(const void *table, size_t len, struct pci_mcfg_region *out,
		   unsigned int max);

/**
 * pci_match_id() - the entry of @ids that matches @pdev, or NULL
 */
const struct pci_device_id *pci_match_id(const struct pci_device_id *ids,
					 const struct pci_dev *pdev);

/**
 * pci_get_device() - next PCI function with @vendor/@device (PCI_ANY_ID
 * for any) after @from, or the first if @from is NULL
 *
 * The result holds a reference (put_device(&pdev->dev)); the reference on
 * @from is dropped, so the call iterates like Linux's.
 */
struct pci_dev *pci_get_device(u32 vendor, u32 device, struct pci_dev *from);

/**
 * pci_find_capability() - offset of the first standard capability @cap
 * @pdev: the function
 * @cap: PCI_CAP_ID_*
 *
 * The list is followed for at most PCI_FIND_CAP_TTL entries, so a list
 * that loops ends; a pointer below 0x40 (into the header) ends the walk
 * with a log line.  Bits 1:0 of a pointer are reserved and masked.
 *
 * Return: the offset in config space, or 0 if absent.
 */
u8 pci_find_capability(struct pci_dev *pdev, int cap);

/**
 * pci_find_next_capability() - the next capability @cap after the one at
 * @pos (as pci_find_capability(), starting from @pos's next pointer)
 * Return: the offset, or 0 if there is none.
 */
u8 pci_find_next_capability(struct pci_dev *pdev, u8 pos, int cap);

/**
 * pci_find_ext_capability() - offset of the first extended (PCIe)
 * capability @cap (PCI_EXT_CAP_ID_*)
 *
 * Only where config space is 4096 bytes (ECAM and a PCIe function).  The
 * walk ends after (4096 - 256) / 8 entries; a next pointer below 0x100
 * ends it with a log line (bits 1:0 are reserved and masked).
 *
 * Return: the offset, or 0 if absent or config space is 256 bytes.
 */
u16 pci_find_ext_capability(struct pci_dev *pdev, int cap);

/**
 * pci_find_next_ext_capability() - the next extended capability @cap
 * after the one at @start (0: from the start of extended space)
 * Return: the offset, or 0.
 */
u16 pci_find_next_ext_capability(struct pci_dev *pdev, u16 start, int cap);

/**
 * pci_pcie_type() - the PCIe device/port type (PCI_EXP_TYPE_*) of a
 * function with a PCI Express capability, or -EINVAL without one
 */
int pci_pcie_type(struct pci_dev *pdev);

/**
 * pci_set_power_state() - move @pdev to D-state @state through its PM
 * capability
 * @pdev: the function
 * @state: PCI_D0..PCI_D3hot
 *
 * Leaving D3hot waits PCI_PM_D3HOT_WAIT ms before the function is used;
 * leaving D2, PCI_PM_D2_DELAY us.  A function without a PM capability is
 * always in D0.
 *
 * Context: may sleep.
 * Return: 0; -EINVAL bad state; -EIO (with a log line) when a function
 * without PM is asked for another state, or the state does not stick.
 */
int pci_set_power_state(struct pci_dev *pdev, int state);

/**
 * pci_enable_device() - make @pdev usable: D0, then I/O and memory
 * decoding for the BARs it has
 *
 * Counted: each call needs a pci_disable_device(); only the first one
 * touches the device.
 *
 * Context: may sleep.
 * Return: 0, or -EIO (config access or power state failed; the count is
 * left unchanged).
 */
int pci_enable_device(struct pci_dev *pdev);

/**
 * pci_disable_device() - undo one pci_enable_device(); the last one stops
 * bus mastering (decoding stays on, as Linux leaves it).  Logs a line for
 * an unbalanced call.
 */
void pci_disable_device(struct pci_dev *pdev);

/**
 * pci_is_enabled() - true while pci_enable_device() calls outnumber
 * pci_disable_device() ones
 */
static inline bool pci_is_enabled(struct pci_dev *pdev)
{
	return atomic_read(&pdev->enable_cnt) > 0;
}

/**
 * pcim_enable_device() - managed pci_enable_device(): disabled again when
 * the driver's binding ends; marks @pdev managed, so BARs still claimed by
 * pci_request_region() are released then too (as in Linux)
 * Return: as pci_enable_device(), or -ENOMEM.
 */
int pcim_enable_device(struct pci_dev *pdev);

/** pci_set_master() - let the function master the bus (DMA, MSI writes) */
void pci_set_master(struct pci_dev *pdev);
/** pci_clear_master() - stop the function mastering the bus */
void pci_clear_master(struct pci_dev *pdev);

/**
 * pci_intx() - set (@enable 0) or clear the INTx Disable bit of the
 * command register: with MSI or MSI-X on, drivers keep INTx off
 */
void pci_intx(struct pci_dev *pdev, int enable);

/**
 * pci_request_region() - claim BAR @bar for @name in the resource tree
 * Return: 0; -EINVAL no such BAR; -EBUSY someone else claims (part of) it
 * (logged by the resource tree).
 */
int pci_request_region(struct pci_dev *pdev, int bar, const char *name);

/** pci_release_region() - undo pci_request_region() (a no-op if unclaimed) */
void pci_release_region(struct pci_dev *pdev, int bar);

/**
 * pci_request_regions() - claim every BAR @pdev has; all or none
 * Return: 0 or pci_request_region()'s error for the first BAR that failed.
 */
int pci_request_regions(struct pci_dev *pdev, const char *name);

/** pci_release_regions() - release every BAR pci_request_region() claimed */
void pci_release_regions(struct pci_dev *pdev);

/**
 * pcim_iomap_table() - the managed table of BAR mappings of @pdev
 * (created empty on first use, freed with the binding)
 * Return: an array of PCI_NUM_BARS pointers, or NULL without memory.
 */
void __iomem *const *pcim_iomap_table(struct pci_dev *pdev);

/**
 * pcim_iomap_regions() - claim and map the BARs in @mask, managed
 * @pdev: the function
 * @mask: bit n for BAR n
 * @name: who claims them
 *
 * Each mapping is then in pcim_iomap_table(pdev)[n]; the claims and
 * mappings go when the binding ends (or with pcim_iounmap_regions()).
 *
 * Return: 0; -EINVAL a bit for a BAR that does not exist or is not memory
 * (or is already mapped); -EBUSY claimed elsewhere; -ENOMEM.  All or none.
 */
int pcim_iomap_regions(struct pci_dev *pdev, int mask, const char *name);

/** pcim_iounmap_regions() - unmap and release the BARs in @mask now */
void pcim_iounmap_regions(struct pci_dev *pdev, int mask);

/**
 * devm_ioremap() - managed ioremap(): unmapped when @dev's binding ends
 * Return: the mapping or NULL (logged).
 */
void __iomem *devm_ioremap(struct device *dev, resource_size_t offset, resource_size_t size);

/**
 * devm_iounmap() - unmap a devm_ioremap() mapping now (logs a line if
 * @addr is not one of @dev's)
 */
void devm_iounmap(struct device *dev, void __iomem *addr);

/**
 * pci_iomap() - map memory BAR @bar (ioremap(): uncached, NX)
 *
 * Return: the mapping, or NULL if the BAR is not memory or cannot be
 * mapped.  Undo with pci_iounmap().
 */
void __iomem *pci_iomap(struct pci_dev *pdev, unsigned int bar);

/**
 * pci_iounmap() - undo pci_iomap()
 * @pdev: the device the BAR belongs to
 * @addr: pci_iomap()'s result, or NULL
 */
void pci_iounmap(struct pci_dev *pdev, void __iomem *addr);

static inline u64 pci_resource_start(const struct pci_dev *pdev, unsigned int bar)
{
	return pdev->resource[bar].start;
}

static inline u64 pci_resource_len(const struct pci_dev *pdev, unsigned int bar)
{
	return pdev->resource[bar].flags ? resource_size(&pdev->resource[bar]) : 0;
}

static inline unsigned long pci_resource_flags(const struct pci_dev *pdev, unsigned int bar)
{
	return pdev->resource[bar].flags;
}

static inline void *pci_get_drvdata(const struct pci_dev *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void pci_set_drvdata(struct pci_dev *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

/**
 * pci_register_driver() - register a PCI driver (owner THIS_MODULE); it
 * binds at once to every present function its id_table matches
 * Return: as driver_register(); -EINVAL without id_table or probe.
 */
#define pci_register_driver(drv)	__pci_register_driver(drv, THIS_MODULE)
int __pci_register_driver(struct pci_driver *drv, struct module *owner);
void pci_unregister_driver(struct pci_driver *drv);

/**
 * pci_nr_devices() - number of functions found by enumeration
 */
unsigned int pci_nr_devices(void);

/**
 * pci_scan_slot() - add the functions of a slot behind @bridge (hotplug)
 * @bridge: a PCI-PCI bridge (a PCIe root or downstream port) whose
 *	secondary bus the firmware numbered
 * @devfn: PCI_DEVFN(slot, 0) on the secondary bus
 *
 * Linux's pci_scan_slot(), pci_assign_unassigned_bridge_resources() and
 * pci_bus_add_devices() for one slot (there is no struct pci_bus here):
 * each present function not yet known gets a pci_dev, its BARs are
 * assigned in @bridge's windows (pci_assign_resource()), and it is added,
 * so that a uevent announces it and a driver binds (or the autoloader
 * loads one).  A hot-added bridge is refused (no bus numbers to give).
 * Context: thread, may sleep; serialised with
 * pci_stop_and_remove_bus_device().
 * Return: the number of functions added; -EINVAL @bridge is no bridge
 * or @devfn no function 0 (logged).
 */
int pci_scan_slot(struct pci_dev *bridge, int devfn);

/**
 * pci_stop_and_remove_bus_device() - unbind and remove a function (hot-removal)
 * @dev: a registered function
 *
 * Its driver is unbound (its remove() runs: later calls on the device
 * fail with -ENODEV), the device is deleted with its children and a
 * remove uevent, its BARs leave the resource tree, and the enumeration's
 * reference is dropped: the memory goes with the last put_device().
 * Context: thread, may sleep.
 */
void pci_stop_and_remove_bus_device(struct pci_dev *dev);

/**
 * pci_assign_resource() - place BAR @resno of a hot-added @dev in its bridge's windows
 * @dev: a function below a bridge, not yet added
 * @resno: BAR number, 0-5
 * Return: 0; -EINVAL; -ENOSPC (logged, the BAR cleared).
 */
int pci_assign_resource(struct pci_dev *dev, int resno);

/**
 * pci_class_name() - human name of a class/subclass (class >> 8), or NULL
 */
const char *pci_class_name(u32 class);

/* pci_alloc_irq_vectors() @flags: the interrupt types to try, in this order. */
#define PCI_IRQ_MSIX		(1 << 2)	/* MSI-X, one IRQ per table entry */
#define PCI_IRQ_MSI		(1 << 1)	/* MSI (one vector on x86, see below) */
#define PCI_IRQ_LEGACY		(1 << 0)	/* INTx: pdev->irq, one vector */
#define PCI_IRQ_INTX		PCI_IRQ_LEGACY
#define PCI_IRQ_AFFINITY	(1 << 3)	/* accepted: vectors are always spread */
#define PCI_IRQ_ALL_TYPES	(PCI_IRQ_LEGACY | PCI_IRQ_MSI | PCI_IRQ_MSIX)

/**
 * pci_alloc_irq_vectors() - allocate between @min_vecs and @max_vecs
 * interrupt vectors for @dev
 * @dev: the PCI function (its driver's probe, usually)
 * @min_vecs: fewest vectors the driver can work with, >= 1
 * @max_vecs: most it can use, >= @min_vecs
 * @flags: PCI_IRQ_MSIX, PCI_IRQ_MSI, PCI_IRQ_LEGACY (PCI_IRQ_ALL_TYPES),
 *	optionally PCI_IRQ_AFFINITY
 *
 * Tries MSI-X (up to the table size), then MSI, then INTx, among the
 * types @flags allows.  MSI gives one vector: on x86 without interrupt
 * remapping a multi-message MSI needs consecutive, aligned vectors on one
 * CPU, which Linux does not allocate either.  INTx gives one vector, the
 * routed line pdev->irq (shared, level).  MSI/MSI-X vectors are spread
 * over the online CPUs, masked until request_irq().  While MSI is on,
 * pdev->irq is its IRQ, as in Linux.  After pcim_enable_device() the
 * vectors are freed when the driver unbinds.
 *
 * Context: may sleep.
 * Return: the number of vectors allocated (>= @min_vecs); -EINVAL for bad
 * arguments or when vectors are already allocated; -ENODEV when @dev has
 * none of the types asked for; -ENOSPC when no type gives @min_vecs (or
 * IRQ numbers or CPU vectors run out); -ENOMEM.  Failures are logged.
 */
int pci_alloc_irq_vectors(struct pci_dev *dev, unsigned int min_vecs,
			  unsigned int max_vecs, unsigned int flags);

/**
 * pci_irq_vector() - the IRQ number of vector @nr of @dev, for request_irq()
 * @dev: the PCI function
 * @nr: 0 .. the count pci_alloc_irq_vectors() returned - 1
 *
 * Without vectors allocated, vector 0 is pdev->irq (INTx), as in Linux.
 * Context: any.  Return: the IRQ number; -EINVAL (logged) for @nr out of
 * range or no IRQ.
 */
int pci_irq_vector(struct pci_dev *dev, unsigned int nr);

/**
 * pci_free_irq_vectors() - undo pci_alloc_irq_vectors()
 * @dev: the PCI function; free_irq() every vector first
 *
 * Disables MSI/MSI-X (INTx is enabled again), masks the MSI-X entries,
 * unmaps the table and frees the IRQ numbers and their CPU vectors.  A
 * vector with a handler still requested keeps everything allocated (a
 * log line says which); a call with nothing allocated is logged.
 * Context: may sleep.
 */
void pci_free_irq_vectors(struct pci_dev *dev);

/** pci_dev_msi_enabled() - MSI or MSI-X is enabled on @pdev */
static inline bool pci_dev_msi_enabled(struct pci_dev *pdev)
{
	return pdev->msi_enabled || pdev->msix_enabled;
}

/**
 * pci_irq_vectors_info() - the IRQs pci_alloc_irq_vectors() gave @dev
 * @dev: the PCI function
 * @first: set to the first IRQ number
 * Return: how many (consecutive from @first); 0 without MSI/MSI-X vectors.
 */
unsigned int pci_irq_vectors_info(struct pci_dev *dev, unsigned int *first);

#define module_pci_driver(__drv)					\
	static int __init __drv##_init(void)				\
	{								\
		return pci_register_driver(&(__drv));			\
	}								\
	module_init(__drv##_init);					\
	static void __drv##_exit(void)					\
	{								\
		pci_unregister_driver(&(__drv));			\
	}								\
	module_exit(__drv##_exit)

#endif /* _EXO_PCI_H */
