// SPDX-License-Identifier: GPL-2.0
/*
 * Intel PIIX/PIIX3/PIIX4 IDE (PCI class 0x0101; 8086:7010 in QEMU's `pc`
 * and in Bochs's i440FX machine), as Linux's ata_piix: the two channels
 * in compatibility mode (0x1f0/0x3f6 IRQ 14, 0x170/0x376 IRQ 15) or native
 * mode, bus-master DMA through BAR4.  Everything but the PCI side is
 * libata's (drivers/ata/libata-core.c, libata-sff.c).
 *
 * A channel the controller has turned off (IDETIM bit 15, config 0x41 and
 * 0x43 bit 7, set by the BIOS) is skipped, as piix_pata_prereset() does.
 * The timing registers are left as the BIOS set them: the emulated
 * controllers ignore them, and the devices are run in the default PIO
 * timing or multiword DMA.
 *
 * dma=0 (ata_piix.dma=0, or modprobe ata_piix dma=0) drives every disk
 * bound from then on by PIO.
 */
#define pr_fmt(fmt) "ata_piix: " fmt

#include <exo/errno.h>
#include <exo/libata.h>
#include <exo/module.h>
#include <exo/moduleparam.h>
#include <exo/pci.h>

static bool dma = true;
module_param(dma, bool, 0644);
MODULE_PARM_DESC(dma, "use bus-master DMA (default); 0: PIO only");

/* IDETIM of each channel: the decode enable bit. */
static const struct {
	u8 reg, mask;
} piix_enable_bits[2] = {
	{ 0x41, 0x80 },
	{ 0x43, 0x80 },
};

static int piix_init_one(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct ata_port_info pi = { .flags = READ_ONCE(dma) ? 0 : ATA_FLAG_PIO_ONLY };
	const struct ata_port_info *ppi[2] = { NULL, NULL };
	struct ata_host *host;
	int rc;

	(void)ent;
	rc = pcim_enable_device(pdev);
	if (rc)
		return rc;
	for (unsigned int i = 0; i < 2; i++) {
		u8 v = 0;

		pci_read_config_byte(pdev, piix_enable_bits[i].reg, &v);
		if (v & piix_enable_bits[i].mask)
			ppi[i] = &pi;
		else
			dev_info(&pdev->dev, "channel %u disabled by the controller\n", i);
	}
	rc = ata_pci_bmdma_prepare_host(pdev, ppi, &host);
	if (rc)
		return rc;
	pci_set_master(pdev);
	pci_set_drvdata(pdev, host);
	return ata_pci_sff_activate_host(host, ata_bmdma_interrupt);
}

static void piix_remove_one(struct pci_dev *pdev)
{
	ata_host_detach(pci_get_drvdata(pdev));
}

static const struct pci_device_id piix_pci_tbl[] = {
	{ PCI_DEVICE(0x8086, 0x1230) },	/* 82371FB PIIX */
	{ PCI_DEVICE(0x8086, 0x7010) },	/* 82371SB PIIX3 */
	{ PCI_DEVICE(0x8086, 0x7111) },	/* 82371AB/EB/MB PIIX4 */
	{ }
};
MODULE_DEVICE_TABLE(pci, piix_pci_tbl);

static struct pci_driver piix_pci_driver = {
	.name = "ata_piix",
	.id_table = piix_pci_tbl,
	.probe = piix_init_one,
	.remove = piix_remove_one,
};
module_pci_driver(piix_pci_driver);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Exo-OS");
MODULE_DESCRIPTION("Intel PIIX/PIIX3/PIIX4 IDE (legacy ATA) controller");
