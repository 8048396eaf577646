// SPDX-License-Identifier: GPL-2.0
/*
 * PCI Express native hotplug (pciehp), as Linux's drivers/pci/hotplug/
 * pciehp_{core,ctrl,hpc}.c folded into one driver of the port itself: it
 * binds to a PCIe root or downstream port whose slot is hot-plug capable
 * (Slot Capabilities HPC), takes the slot's interrupt (MSI-X or MSI: the
 * PCIe capability's interrupt message number, vector 0 on QEMU's
 * pcie-root-port) and runs the slot's state machine:
 *
 *   OFF --button--> BLINKINGON --button_delay_ms--> POWERON --> ON
 *   ON  --button--> BLINKINGOFF --button_delay_ms--> POWEROFF --> OFF
 *   a second press while blinking cancels; presence or link going away
 *   in ON removes the devices, and a card present (or link up) in OFF
 *   or BLINKINGON enables the slot at once.
 *
 * Enabling powers the slot (Power Controller Control 0), waits for the
 * link (Data Link Layer Link Active when the port reports it) and the
 * function's vendor ID, then pci_scan_slot() adds the functions with
 * BARs from the port's windows; their add uevents make the autoloader
 * load the drivers.  Disabling removes the functions
 * (pci_stop_and_remove_bus_device(): drivers unbind, later calls get
 * -ENODEV), then powers the slot off with the power indicator off.
 *
 * QEMU's model (hw/pci/pcie.c): device_add sets Presence Detect State and
 * DLLLA and signals Presence Detect Changed together with Attention
 * Button Pressed; device_del only presses the attention button and waits
 * for the guest to write the slot off (power controller off and power
 * indicator off), then unplugs the card and signals Presence Detect
 * Changed.  It completes each Slot Control write at once (Command
 * Completed), which pcie_write_cmd() polls.  Interrupts are edge
 * (MSI/MSI-X), sent when an enabled event bit becomes set while none was:
 * the thread clears the status bits it saw and reads again until none is
 * left, or later events would never interrupt.
 *
 * The 5-second wait after a button press (PCIe base spec 6.7.1.5, the
 * operator's chance to cancel) and the 1-second wait after power-off are
 * the button_delay_ms and power_off_delay_ms parameters.
 */
#define pr_fmt(fmt) "pciehp: " fmt

#include <exo/atomic.h>
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/interrupt.h>
#include <exo/jiffies.h>
#include <exo/module.h>
#include <exo/moduleparam.h>
#include <exo/mutex.h>
#include <exo/pci.h>
#include <exo/pci_regs.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/time.h>
#include <exo/workqueue.h>

static unsigned int button_delay_ms = 5000;
module_param(button_delay_ms, uint, 0644);
MODULE_PARM_DESC(button_delay_ms, "wait after an attention button press before acting (spec: 5000)");

static unsigned int power_off_delay_ms = 1000;
module_param(power_off_delay_ms, uint, 0644);
MODULE_PARM_DESC(power_off_delay_ms, "wait after powering a slot off (spec: 1000)");

static unsigned int event_hold_ms;
module_param(event_hold_ms, uint, 0644);
MODULE_PARM_DESC(event_hold_ms, "test only: wait between reading slot events and handling them");

enum slot_state {
	OFF_STATE,
	BLINKINGON_STATE,
	BLINKINGOFF_STATE,
	POWERON_STATE,
	POWEROFF_STATE,
	ON_STATE,
};

static const char *const state_names[] = {
	"off", "blinking-on", "blinking-off", "powering-on", "powering-off", "on",
};

/* Events the driver enables and handles. */
#define SLOT_EVENTS	(PCI_EXP_SLTSTA_ABP | PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_DLLSC)

/**
 * struct controller - one hotplug slot (its port)
 * @pcie: the port
 * @slot_cap: Slot Capabilities
 * @link_active_reporting: the port reports DLLLA (Link Capabilities)
 * @ctrl_lock: serialises Slot Control commands
 * @state_lock: @state and every transition (held across enable/disable)
 * @state: enum slot_state
 * @button_work: the action a button press schedules
 * @irq: the slot interrupt
 * @nr_events: interrupts with events, @nr_enabled/@nr_disabled: transitions
 */
struct controller {
	struct pci_dev *pcie;
	u32 slot_cap;
	bool link_active_reporting;
	bool enabled_port;		/* probe enabled the port (it stays so) */
	struct mutex ctrl_lock;
	struct mutex state_lock;
	enum slot_state state;
	struct delayed_work button_work;
	unsigned int irq;
	unsigned long nr_events, nr_enabled, nr_disabled;
};

#define POWER_CTRL(c)	((c)->slot_cap & PCI_EXP_SLTCAP_PCP)
#define ATTN_BUTTN(c)	((c)->slot_cap & PCI_EXP_SLTCAP_ABP)
#define PWR_LED(c)	((c)->slot_cap & PCI_EXP_SLTCAP_PIP)
#define ATTN_LED(c)	((c)->slot_cap & PCI_EXP_SLTCAP_AIP)

static u16 pciehp_readw(struct controller *ctrl, unsigned int reg)
{
	u16 v = 0xffff;

	pci_read_config_word(ctrl->pcie, ctrl->pcie->pcie_cap + reg, &v);
	return v;
}

static void pciehp_writew(struct controller *ctrl, unsigned int reg, u16 v)
{
	pci_write_config_word(ctrl->pcie, ctrl->pcie->pcie_cap + reg, v);
}

/*
 * Write @cmd into the Slot Control bits @mask and wait (at most 1 s) for
 * Command Completed, which the port sets for every write unless it says
 * it has none (NCCS).  Return: 0, or -ETIMEDOUT (logged).
 */
static int pcie_write_cmd(struct controller *ctrl, u16 cmd, u16 mask)
{
	u16 ctl, sta;
	int ret = 0;

	mutex_lock(&ctrl->ctrl_lock);
	ctl = pciehp_readw(ctrl, PCI_EXP_SLTCTL);
	ctl = (ctl & ~mask) | (cmd & mask);
	pciehp_writew(ctrl, PCI_EXP_SLTCTL, ctl);
	if (!(ctrl->slot_cap & PCI_EXP_SLTCAP_NCCS)) {
		for (unsigned int ms = 0;; ms += 1) {
			sta = pciehp_readw(ctrl, PCI_EXP_SLTSTA);
			if (sta != 0xffff && (sta & PCI_EXP_SLTSTA_CC)) {
				pciehp_writew(ctrl, PCI_EXP_SLTSTA, PCI_EXP_SLTSTA_CC);
				break;
			}
			if (ms >= 1000) {
				dev_err(&ctrl->pcie->dev, "slot control %#06x: command not completed in 1 s\n",
					ctl);
				ret = -ETIMEDOUT;
				break;
			}
			msleep(1);
		}
	}
	mutex_unlock(&ctrl->ctrl_lock);
	return ret;
}

/* Power (PCI_EXP_SLTCTL_PWR_IND_*) and attention indicators; 0 leaves one as is. */
static void pciehp_set_indicators(struct controller *ctrl, u16 pwr, u16 attn)
{
	u16 cmd = 0, mask = 0;

	if (PWR_LED(ctrl) && pwr) {
		cmd |= pwr;
		mask |= PCI_EXP_SLTCTL_PIC;
	}
	if (ATTN_LED(ctrl) && attn) {
		cmd |= attn;
		mask |= PCI_EXP_SLTCTL_AIC;
	}
	if (mask)
		pcie_write_cmd(ctrl, cmd, mask);
}

static bool pciehp_card_present(struct controller *ctrl)
{
	u16 sta = pciehp_readw(ctrl, PCI_EXP_SLTSTA);

	return sta != 0xffff && (sta & PCI_EXP_SLTSTA_PDS);
}

static bool pciehp_link_active(struct controller *ctrl)
{
	u16 lnk = pciehp_readw(ctrl, PCI_EXP_LNKSTA);

	return lnk != 0xffff && (lnk & PCI_EXP_LNKSTA_DLLLA);
}

/* Card present, or (for a port that reports it) its link up. */
static bool pciehp_card_or_link(struct controller *ctrl)
{
	return pciehp_card_present(ctrl) ||
	       (ctrl->link_active_reporting && pciehp_link_active(ctrl));
}

/* Card present and, for a port that reports it, its link up. */
static bool pciehp_card_and_link(struct controller *ctrl)
{
	return pciehp_card_present(ctrl) &&
	       (!ctrl->link_active_reporting || pciehp_link_active(ctrl));
}

/* Clear those of @bits that are set: writing 1 to a clear bit is no event. */
static void pciehp_clear_status(struct controller *ctrl, u16 bits)
{
	u16 sta = pciehp_readw(ctrl, PCI_EXP_SLTSTA);

	if (sta != 0xffff && (sta & bits))
		pciehp_writew(ctrl, PCI_EXP_SLTSTA, sta & bits);
}

/*
 * After power-on: the link up (when reported), then function 0's vendor
 * ID readable, each within 1 s (the spec's 100 ms after link-up is the
 * first sleep).  Return: 0, or -ENODEV (logged).
 */
static int pciehp_check_link_status(struct controller *ctrl)
{
	u8 bus = ctrl->pcie->secondary;
	u32 vendor = 0xffff;

	for (unsigned int ms = 0; ctrl->link_active_reporting && !pciehp_link_active(ctrl);
	     ms += 10) {
		if (ms >= 1000) {
			dev_err(&ctrl->pcie->dev, "slot: link did not come up in 1 s\n");
			return -ENODEV;
		}
		msleep(10);
	}
	for (unsigned int ms = 0;; ms += 20) {
		pci_bus_read_config(0, bus, PCI_DEVFN(0, 0), PCI_VENDOR_ID, 2, &vendor);
		if (vendor != 0xffff && vendor != 0)
			return 0;
		if (ms >= 1000) {
			dev_err(&ctrl->pcie->dev, "slot: no function answers on bus %02x\n", bus);
			return -ENODEV;
		}
		msleep(20);
	}
}

static int pciehp_power_on_slot(struct controller *ctrl)
{
	/* Stale status from before power-on must not read as new events. */
	pciehp_clear_status(ctrl, PCI_EXP_SLTSTA_PFD);
	return pcie_write_cmd(ctrl, PCI_EXP_SLTCTL_PWR_ON, PCI_EXP_SLTCTL_PCC);
}

static void pciehp_power_off_slot(struct controller *ctrl)
{
	pcie_write_cmd(ctrl, PCI_EXP_SLTCTL_PWR_OFF, PCI_EXP_SLTCTL_PCC);
}

/*
 * The link coming up and the card settling set Presence Detect Changed
 * and Data Link Layer State Changed during bring-up: they are this
 * card's, not a new one's (Linux drops the same two from its pending
 * events in pciehp_check_link_status()).  A hot-add that lands while the
 * thread still handles the previous removal's presence change is enabled
 * here, and QEMU 7.2 signals it as Presence Detect Changed together with
 * Attention Button Pressed (pcie_cap_slot_plug_cb()): a press pending
 * with the presence change is the hot-add's own, and left set it would
 * read as an operator's press on a slot that is on, which powers the new
 * card off.  Linux keeps that bit and would do the same in this race;
 * outside it, it reads the pair in one pass and its presence change
 * cancels the press's blink (pciehp_ist()), as acking it here does.  No
 * real press is lost under QEMU, which refuses device_del while the
 * power indicator blinks (pcie_cap_slot_unplug_request_cb()), as it does
 * from before the link wait to past this point; on hardware, a press in
 * that window together with a second presence change is dropped, where
 * on a slot about to be on it could only mean powering the new card off.
 */
static void pciehp_ack_bringup_events(struct controller *ctrl)
{
	u16 sta = pciehp_readw(ctrl, PCI_EXP_SLTSTA);
	u16 ack = PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_DLLSC;

	if (sta == 0xffff)
		return;
	if (sta & PCI_EXP_SLTSTA_PDC)
		ack |= PCI_EXP_SLTSTA_ABP;
	if (sta & ack)
		pciehp_writew(ctrl, PCI_EXP_SLTSTA, sta & ack);
}

/* Power on, wait for the card, add its functions.  state_lock held. */
static int board_added(struct controller *ctrl)
{
	int ret = 0;

	if (POWER_CTRL(ctrl)) {
		ret = pciehp_power_on_slot(ctrl);
		if (ret)
			return ret;
	}
	pciehp_set_indicators(ctrl, PCI_EXP_SLTCTL_PWR_IND_BLINK, 0);
	msleep(100);
	ret = pciehp_check_link_status(ctrl);
	if (!ret) {
		pciehp_ack_bringup_events(ctrl);
		ret = pci_scan_slot(ctrl->pcie, PCI_DEVFN(0, 0));
		ret = ret > 0 ? 0 : ret ? ret : -ENODEV;
		if (ret)
			dev_err(&ctrl->pcie->dev, "slot: no function could be added\n");
	}
	if (ret) {
		if (POWER_CTRL(ctrl))
			pciehp_power_off_slot(ctrl);
		pciehp_set_indicators(ctrl, PCI_EXP_SLTCTL_PWR_IND_OFF, PCI_EXP_SLTCTL_ATTN_IND_ON);
		return ret;
	}
	pciehp_set_indicators(ctrl, PCI_EXP_SLTCTL_PWR_IND_ON, PCI_EXP_SLTCTL_ATTN_IND_OFF);
	return 0;
}

/* Remove the slot's functions, newest (highest) first; then power off. */
static void remove_board(struct controller *ctrl)
{
	for (int fn = 7; fn >= 0; fn--) {
		char name[DEVICE_NAME_LEN];
		struct device *dev;

		snprintf(name, sizeof(name), "%04x:%02x:%02x.%u", 0, ctrl->pcie->secondary, 0, fn);
		dev = bus_find_device_by_name(&pci_bus_type, name);
		if (!dev)
			continue;
		pci_stop_and_remove_bus_device(to_pci_dev(dev));
		put_device(dev);
	}
	if (POWER_CTRL(ctrl)) {
		pciehp_power_off_slot(ctrl);
		if (power_off_delay_ms)
			msleep(power_off_delay_ms);
	}
	/* With power off, QEMU takes the card out now (PCI_EXP_SLTCTL_PIC off). */
	pciehp_set_indicators(ctrl, PCI_EXP_SLTCTL_PWR_IND_OFF, 0);
}

static void pciehp_enable_slot(struct controller *ctrl)
{
	ctrl->state = POWERON_STATE;
	if (board_added(ctrl)) {
		ctrl->state = OFF_STATE;
		return;
	}
	ctrl->state = ON_STATE;
	ctrl->nr_enabled++;
	dev_info(&ctrl->pcie->dev, "slot: card enabled\n");
}

static void pciehp_disable_slot(struct controller *ctrl, const char *why)
{
	ctrl->state = POWEROFF_STATE;
	remove_board(ctrl);
	ctrl->state = OFF_STATE;
	ctrl->nr_disabled++;
	dev_info(&ctrl->pcie->dev, "slot: card disabled (%s)\n", why);
}

/* state_lock held. */
static void pciehp_handle_button_press(struct controller *ctrl)
{
	switch (ctrl->state) {
	case OFF_STATE:
	case ON_STATE:
		ctrl->state = ctrl->state == ON_STATE ? BLINKINGOFF_STATE : BLINKINGON_STATE;
		dev_info(&ctrl->pcie->dev, "slot: button pressed, powering %s in %u ms\n",
			 ctrl->state == BLINKINGOFF_STATE ? "off" : "on", button_delay_ms);
		pciehp_set_indicators(ctrl, PCI_EXP_SLTCTL_PWR_IND_BLINK, PCI_EXP_SLTCTL_ATTN_IND_OFF);
		schedule_delayed_work(&ctrl->button_work, msecs_to_jiffies(button_delay_ms));
		break;
	case BLINKINGON_STATE:
	case BLINKINGOFF_STATE:
		/* Pressed again within the delay: cancel, as the spec says. */
		cancel_delayed_work(&ctrl->button_work);
		ctrl->state = ctrl->state == BLINKINGOFF_STATE ? ON_STATE : OFF_STATE;
		pciehp_set_indicators(ctrl, ctrl->state == ON_STATE ? PCI_EXP_SLTCTL_PWR_IND_ON :
				      PCI_EXP_SLTCTL_PWR_IND_OFF, PCI_EXP_SLTCTL_ATTN_IND_OFF);
		dev_info(&ctrl->pcie->dev, "slot: button press cancelled\n");
		break;
	default:
		dev_err(&ctrl->pcie->dev, "slot: button ignored in state %s\n",
			state_names[ctrl->state]);
		break;
	}
}

/* state_lock held. */
static void pciehp_handle_presence_or_link_change(struct controller *ctrl, u16 events)
{
	bool present;

	/*
	 * A card that was on goes when it is gone or its link is down; a
	 * change that left both as they were (bring-up's own) is no event.
	 */
	if ((ctrl->state == ON_STATE || ctrl->state == BLINKINGOFF_STATE) &&
	    pciehp_card_and_link(ctrl))
		return;
	if (ctrl->state == ON_STATE || ctrl->state == BLINKINGOFF_STATE) {
		cancel_delayed_work(&ctrl->button_work);
		pciehp_disable_slot(ctrl, events & PCI_EXP_SLTSTA_PDC ? "presence changed" :
				    "link down");
	}
	present = pciehp_card_or_link(ctrl);
	if (!present)
		return;
	if (ctrl->state == BLINKINGON_STATE)
		cancel_delayed_work(&ctrl->button_work);
	if (ctrl->state == OFF_STATE || ctrl->state == BLINKINGON_STATE)
		pciehp_enable_slot(ctrl);
}

static void pciehp_handle_events(struct controller *ctrl, u16 events)
{
	mutex_lock(&ctrl->state_lock);
	ctrl->nr_events++;
	if (events & PCI_EXP_SLTSTA_ABP)
		pciehp_handle_button_press(ctrl);
	if (events & (PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_DLLSC))
		pciehp_handle_presence_or_link_change(ctrl, events);
	mutex_unlock(&ctrl->state_lock);
}

static void pciehp_button_work(struct work_struct *work)
{
	struct controller *ctrl = container_of(to_delayed_work(work), struct controller,
					       button_work);

	mutex_lock(&ctrl->state_lock);
	if (ctrl->state == BLINKINGOFF_STATE)
		pciehp_disable_slot(ctrl, "attention button");
	else if (ctrl->state == BLINKINGON_STATE && pciehp_card_or_link(ctrl))
		pciehp_enable_slot(ctrl);
	else if (ctrl->state == BLINKINGON_STATE) {
		/* No card after all (not under QEMU: it refuses device_del while it blinks). */
		ctrl->state = OFF_STATE;
		pciehp_set_indicators(ctrl, PCI_EXP_SLTCTL_PWR_IND_OFF, PCI_EXP_SLTCTL_ATTN_IND_OFF);
	}
	mutex_unlock(&ctrl->state_lock);
}

/*
 * The slot's interrupt thread: collect and clear the status bits until
 * none is left (an event arriving before the clear sends no new MSI),
 * then act on them.
 */
static irqreturn_t pciehp_ist(int irq, void *dev_id)
{
	struct controller *ctrl = dev_id;
	u16 events = 0;

	for (int rounds = 0; rounds < 16; rounds++) {
		u16 sta = pciehp_readw(ctrl, PCI_EXP_SLTSTA);

		if (sta == 0xffff || !(sta & SLOT_EVENTS))
			break;
		pciehp_writew(ctrl, PCI_EXP_SLTSTA, sta & SLOT_EVENTS);
		events |= sta & SLOT_EVENTS;
	}
	if (!events)
		return IRQ_NONE;
	dev_dbg(&ctrl->pcie->dev, "slot events %#06x\n", events);
	/* Widens the window for events that arrive during handling (tests). */
	if (event_hold_ms)
		msleep(event_hold_ms);
	pciehp_handle_events(ctrl, events);
	return IRQ_HANDLED;
}

/* Events on, interrupt on; Command Completed is polled, not interrupting. */
static int pcie_enable_notification(struct controller *ctrl)
{
	u16 cmd = PCI_EXP_SLTCTL_PDCE | PCI_EXP_SLTCTL_HPIE;
	u16 mask = PCI_EXP_SLTCTL_PDCE | PCI_EXP_SLTCTL_ABPE | PCI_EXP_SLTCTL_PFDE |
		   PCI_EXP_SLTCTL_MRLSCE | PCI_EXP_SLTCTL_CCIE | PCI_EXP_SLTCTL_HPIE |
		   PCI_EXP_SLTCTL_DLLSCE;

	if (ATTN_BUTTN(ctrl))
		cmd |= PCI_EXP_SLTCTL_ABPE;
	if (ctrl->link_active_reporting)
		cmd |= PCI_EXP_SLTCTL_DLLSCE;
	return pcie_write_cmd(ctrl, cmd, mask);
}

static void pcie_disable_notification(struct controller *ctrl)
{
	pcie_write_cmd(ctrl, 0, PCI_EXP_SLTCTL_PDCE | PCI_EXP_SLTCTL_ABPE | PCI_EXP_SLTCTL_PFDE |
		       PCI_EXP_SLTCTL_MRLSCE | PCI_EXP_SLTCTL_CCIE | PCI_EXP_SLTCTL_HPIE |
		       PCI_EXP_SLTCTL_DLLSCE);
}

/* A port whose slot can do native hotplug?  Return: 0 or -ENODEV. */
static int pciehp_port_usable(struct pci_dev *pdev, u32 *slot_cap)
{
	int type = pci_pcie_type(pdev);
	u16 flags = 0;

	if (type != PCI_EXP_TYPE_ROOT_PORT && type != PCI_EXP_TYPE_DOWNSTREAM)
		return -ENODEV;
	pci_read_config_word(pdev, pdev->pcie_cap + PCI_EXP_FLAGS, &flags);
	if (!(flags & PCI_EXP_FLAGS_SLOT))
		return -ENODEV;
	pci_read_config_dword(pdev, pdev->pcie_cap + PCI_EXP_SLTCAP, slot_cap);
	if (!(*slot_cap & PCI_EXP_SLTCAP_HPC) || !pdev->secondary)
		return -ENODEV;
	return 0;
}

static int pciehp_request_irq(struct controller *ctrl)
{
	struct pci_dev *pdev = ctrl->pcie;
	u16 flags = 0;
	int ret, irq;

	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX | PCI_IRQ_MSI);
	if (ret < 0) {
		dev_err(&pdev->dev, "no MSI-X or MSI for the slot: %d\n", ret);
		return ret;
	}
	/* The slot signals on its message number, which must be the vector we have. */
	pci_read_config_word(pdev, pdev->pcie_cap + PCI_EXP_FLAGS, &flags);
	if ((flags & PCI_EXP_FLAGS_IRQ) >> 9) {
		dev_err(&pdev->dev, "slot interrupt message %u beyond the vector allocated\n",
			(flags & PCI_EXP_FLAGS_IRQ) >> 9);
		pci_free_irq_vectors(pdev);
		return -ENODEV;
	}
	irq = pci_irq_vector(pdev, 0);
	ret = irq < 0 ? irq : request_threaded_irq(irq, NULL, pciehp_ist, IRQF_ONESHOT,
						    "pciehp", ctrl);
	if (ret) {
		pci_free_irq_vectors(pdev);
		return ret;
	}
	ctrl->irq = irq;
	return 0;
}


/* Powered (or without power control) and with a function on the secondary bus. */
static bool pciehp_slot_enumerated(struct controller *ctrl)
{
	char name[DEVICE_NAME_LEN];
	struct device *dev;

	if (POWER_CTRL(ctrl) && (pciehp_readw(ctrl, PCI_EXP_SLTCTL) & PCI_EXP_SLTCTL_PCC))
		return false;
	snprintf(name, sizeof(name), "%04x:%02x:00.0", 0, ctrl->pcie->secondary);
	dev = bus_find_device_by_name(&pci_bus_type, name);
	put_device(dev);
	return dev != NULL;
}

/*
 * The slot as the port driver finds it (Linux's pciehp_check_presence()):
 * ON only with a card that is powered and enumerated; a card present but
 * unpowered or without a function is brought up from button_work, out of
 * probe, as if its button had been pressed with no delay.  Events on.
 * state_lock held.
 */
static int pciehp_check_presence(struct controller *ctrl)
{
	bool present = pciehp_card_present(ctrl);
	int ret;

	ctrl->state = present && pciehp_slot_enumerated(ctrl) ? ON_STATE : OFF_STATE;
	ret = pcie_enable_notification(ctrl);
	if (ret || ctrl->state == ON_STATE)
		return ret;
	if (present) {
		ctrl->state = BLINKINGON_STATE;
		schedule_delayed_work(&ctrl->button_work, 0);
	} else if (POWER_CTRL(ctrl)) {
		/* An empty slot stays off until a card comes. */
		pciehp_power_off_slot(ctrl);
		pciehp_set_indicators(ctrl, PCI_EXP_SLTCTL_PWR_IND_OFF, PCI_EXP_SLTCTL_ATTN_IND_OFF);
	}
	return 0;
}

static int pciehp_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct controller *ctrl;
	u32 slot_cap = 0, lnkcap = 0;
	int ret;

	if (pciehp_port_usable(pdev, &slot_cap))
		return -ENODEV;
	ctrl = kzalloc(sizeof(*ctrl), GFP_KERNEL);
	if (!ctrl)
		return -ENOMEM;
	ctrl->pcie = pdev;
	ctrl->slot_cap = slot_cap;
	pci_read_config_dword(pdev, pdev->pcie_cap + PCI_EXP_LNKCAP, &lnkcap);
	ctrl->link_active_reporting = lnkcap & PCI_EXP_LNKCAP_DLLLARC;
	mutex_init(&ctrl->ctrl_lock);
	mutex_init(&ctrl->state_lock);
	INIT_DELAYED_WORK(&ctrl->button_work, pciehp_button_work);
	pci_set_drvdata(pdev, ctrl);
	/*
	 * The port forwards the slot's memory windows and, as a bus master,
	 * its card's DMA and its own MSI writes.
	 */
	ctrl->enabled_port = !pci_is_enabled(pdev);
	if (ctrl->enabled_port) {
		ret = pci_enable_device(pdev);
		if (ret)
			goto free;
	}
	pci_set_master(pdev);
	/* Old events mean nothing now: what is in the slot is read below. */
	pciehp_clear_status(ctrl, SLOT_EVENTS | PCI_EXP_SLTSTA_CC | PCI_EXP_SLTSTA_PFD |
			    PCI_EXP_SLTSTA_MRLSC);
	ret = pciehp_request_irq(ctrl);
	if (ret)
		goto disable;
	mutex_lock(&ctrl->state_lock);
	ret = pciehp_check_presence(ctrl);
	mutex_unlock(&ctrl->state_lock);
	if (ret)
		goto irq;
	dev_info(&pdev->dev, "slot #%u: %s, power control %s, attention button %s, IRQ %u\n",
		 slot_cap >> 19, state_names[ctrl->state], POWER_CTRL(ctrl) ? "yes" : "no",
		 ATTN_BUTTN(ctrl) ? "yes" : "no", ctrl->irq);
	return 0;
irq:
	free_irq(ctrl->irq, ctrl);
	pci_free_irq_vectors(pdev);
disable:
	if (ctrl->enabled_port)
		pci_disable_device(pdev);
free:
	pci_set_drvdata(pdev, NULL);
	kfree(ctrl);
	return ret;
}

/* The slot's card stays as it is: only the controller goes. */
static void pciehp_remove(struct pci_dev *pdev)
{
	struct controller *ctrl = pci_get_drvdata(pdev);

	pcie_disable_notification(ctrl);
	free_irq(ctrl->irq, ctrl);
	/* No thread can queue it again now. */
	cancel_delayed_work_sync(&ctrl->button_work);
	pci_free_irq_vectors(pdev);
	/*
	 * The port stays enabled, Bus Master on, as Linux's port driver
	 * leaves it: a powered card behind it keeps its windows and DMA.
	 * A later probe finds it enabled and does not count it again.
	 */
	kfree(ctrl);
}

static const struct pci_device_id pciehp_ids[] = {
	{ PCI_DEVICE_CLASS(PCI_CLASS_BRIDGE_PCI << 8, 0xffff00) },
	{ }
};
MODULE_DEVICE_TABLE(pci, pciehp_ids);

static struct pci_driver pciehp_driver = {
	.name = "pciehp",
	.id_table = pciehp_ids,
	.probe = pciehp_probe,
	.remove = pciehp_remove,
};

module_pci_driver(pciehp_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("PCI Express native hotplug controller");
