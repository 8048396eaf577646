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
#include <exo/ioport.h>
#include <exo/module.h>

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
	/* INTx route, set after enumeration (arch/x86/pci/irq.c, asm/pci_x86.h) */
	unsigned int irq;		/* GSI (= Linux IRQ number), 0: none */
	u8 irq_trigger;			/* ACPI_LEVEL_SENSITIVE / ACPI_EDGE_SENSITIVE */
	u8 irq_polarity;		/* ACPI_ACTIVE_HIGH / ACPI_ACTIVE_LOW */
	u8 irq_source;			/* enum pci_intx_source */
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
 * pci_enable_device() - turn on I/O and memory decoding for the BARs the
 * function has.  Return: 0 or -EIO (config write failed).
 */
int pci_enable_device(struct pci_dev *pdev);
void pci_disable_device(struct pci_dev *pdev);
/* Let the function master the bus (DMA). */
void pci_set_master(struct pci_dev *pdev);

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
 * pci_class_name() - human name of a class/subclass (class >> 8), or NULL
 */
const char *pci_class_name(u32 class);

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
