// SPDX-License-Identifier: GPL-2.0
/*
 * CMOS real-time clock (MC146818 compatible), a platform driver bound to
 * the "rtc_cmos" device at ports 0x70/0x71.
 *
 * Reading: wait until no update is in progress (register A bit 7), read
 * every field, read them again, and accept only two identical snapshots:
 * an update between the reads would otherwise mix e.g. 59 s with the next
 * minute.  Register B says whether values are BCD and whether the hour is
 * 12-hour with a PM bit.  The century register (0x32) is used when it
 * holds a plausible BCD value, else 20xx is assumed.
 * Index writes keep bit 7 (NMI disable) clear, as firmware leaves it.
 */
#define pr_fmt(fmt) "rtc_cmos: " fmt

#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/platform.h>
#include <exo/rtc.h>
#include <exo/shell.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <asm/io.h>
#include <asm/processor.h>

#define RTC_SECONDS	0x00
#define RTC_MINUTES	0x02
#define RTC_HOURS	0x04
#define RTC_DAY		0x07
#define RTC_MONTH	0x08
#define RTC_YEAR	0x09
#define RTC_REG_A	0x0a
#define RTC_REG_B	0x0b
#define RTC_CENTURY	0x32
#define RTC_A_UIP	0x80
#define RTC_B_24H	0x02
#define RTC_B_BINARY	0x04
#define RTC_PM		0x80

struct cmos_rtc {
	u16 port;
};

static DEFINE_SPINLOCK(rtc_lock);
static struct cmos_rtc *the_rtc;	/* the bound instance, NULL when unbound */

static u8 cmos_read(u16 port, u8 reg)
{
	outb(port, reg & 0x7f);
	return inb(port + 1);
}

static unsigned int bcd2bin(u8 v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

struct cmos_snapshot {
	u8 sec, min, hour, day, mon, year, century;
};

/* One snapshot, taken outside an update cycle.  Return: false on timeout. */
static bool cmos_snapshot(u16 port, struct cmos_snapshot *s)
{
	int spins = 0;

	while (cmos_read(port, RTC_REG_A) & RTC_A_UIP) {
		if (++spins > 1000000)
			return false;
		cpu_relax();
	}
	s->sec = cmos_read(port, RTC_SECONDS);
	s->min = cmos_read(port, RTC_MINUTES);
	s->hour = cmos_read(port, RTC_HOURS);
	s->day = cmos_read(port, RTC_DAY);
	s->mon = cmos_read(port, RTC_MONTH);
	s->year = cmos_read(port, RTC_YEAR);
	s->century = cmos_read(port, RTC_CENTURY);
	return true;
}

static int cmos_read_time(struct cmos_rtc *rtc, struct rtc_time *tm)
{
	struct cmos_snapshot a, b;
	unsigned long flags;
	bool pm, ok = false;
	u8 regb;

	spin_lock_irqsave(&rtc_lock, flags);
	for (int tries = 0; tries < 5 && !ok; tries++)
		ok = cmos_snapshot(rtc->port, &a) && cmos_snapshot(rtc->port, &b) &&
		     !memcmp(&a, &b, sizeof(a));
	regb = cmos_read(rtc->port, RTC_REG_B);
	spin_unlock_irqrestore(&rtc_lock, flags);
	if (!ok) {
		pr_err("the clock did not settle (update in progress for too long)\n");
		return -EIO;
	}
	pm = !(regb & RTC_B_24H) && (a.hour & RTC_PM);
	a.hour &= ~RTC_PM;
	if (!(regb & RTC_B_BINARY)) {
		tm->tm_sec = bcd2bin(a.sec);
		tm->tm_min = bcd2bin(a.min);
		tm->tm_hour = bcd2bin(a.hour);
		tm->tm_mday = bcd2bin(a.day);
		tm->tm_mon = bcd2bin(a.mon);
		tm->tm_year = bcd2bin(a.year);
	} else {
		tm->tm_sec = a.sec;
		tm->tm_min = a.min;
		tm->tm_hour = a.hour;
		tm->tm_mday = a.day;
		tm->tm_mon = a.mon;
		tm->tm_year = a.year;
	}
	if (!(regb & RTC_B_24H))
		tm->tm_hour = (tm->tm_hour % 12) + (pm ? 12 : 0);
	if (a.century >= 0x19 && a.century <= 0x99 && !(regb & RTC_B_BINARY))
		tm->tm_year += bcd2bin(a.century) * 100;
	else
		tm->tm_year += 2000;
	return rtc_valid_tm(tm) ? -EIO : 0;
}

int rtc_read_time(struct rtc_time *tm)
{
	struct cmos_rtc *rtc = READ_ONCE(the_rtc);

	if (!rtc)
		return -ENODEV;
	return cmos_read_time(rtc, tm);
}
EXPORT_SYMBOL(rtc_read_time);

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const u8 days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return days[m - 1] + (m == 2 && is_leap(y));
}

int rtc_valid_tm(const struct rtc_time *tm)
{
	if (tm->tm_year < 1970 || tm->tm_year > 9999 || tm->tm_mon < 1 || tm->tm_mon > 12 ||
	    tm->tm_mday < 1 || tm->tm_mday > month_days(tm->tm_year, tm->tm_mon) ||
	    tm->tm_hour < 0 || tm->tm_hour > 23 || tm->tm_min < 0 || tm->tm_min > 59 ||
	    tm->tm_sec < 0 || tm->tm_sec > 59)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL(rtc_valid_tm);

s64 rtc_tm_to_time64(const struct rtc_time *tm)
{
	s64 days = 0;

	for (int y = 1970; y < tm->tm_year; y++)
		days += is_leap(y) ? 366 : 365;
	for (int m = 1; m < tm->tm_mon; m++)
		days += month_days(tm->tm_year, m);
	days += tm->tm_mday - 1;
	return ((days * 24 + tm->tm_hour) * 60 + tm->tm_min) * 60 + tm->tm_sec;
}
EXPORT_SYMBOL(rtc_tm_to_time64);

static void cmos_unpublish(void *data)
{
	WRITE_ONCE(the_rtc, NULL);
}

static int cmos_probe(struct platform_device *pdev)
{
	struct resource *io = platform_get_resource(pdev, IORESOURCE_IO, 0);
	struct rtc_time tm;
	struct cmos_rtc *rtc;
	int ret;

	if (!io || resource_size(io) < 2)
		return -EINVAL;
	if (the_rtc)
		return -EBUSY;		/* one CMOS clock per machine */
	rtc = devm_kzalloc(&pdev->dev, sizeof(*rtc), GFP_KERNEL);
	if (!rtc)
		return -ENOMEM;
	rtc->port = io->start;
	ret = cmos_read_time(rtc, &tm);
	if (ret)
		return ret == -EIO ? -ENODEV : ret;
	ret = devm_add_action(&pdev->dev, cmos_unpublish, NULL);
	if (ret)
		return ret;
	WRITE_ONCE(the_rtc, rtc);
	platform_set_drvdata(pdev, rtc);
	dev_info(&pdev->dev, "%04d-%02d-%02d %02d:%02d:%02d UTC\n", tm.tm_year, tm.tm_mon,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

static struct platform_driver cmos_driver = {
	.driver = { .name = "rtc_cmos" },
	.probe = cmos_probe,
};
module_platform_driver(cmos_driver);

static int cmd_date(int argc, char **argv)
{
	struct rtc_time tm;
	int ret = rtc_read_time(&tm);

	if (ret) {
		printk("date: no clock (%d)\n", ret);
		return ret;
	}
	printk("%04d-%02d-%02d %02d:%02d:%02d UTC (%lld)\n", tm.tm_year, tm.tm_mon, tm.tm_mday,
	       tm.tm_hour, tm.tm_min, tm.tm_sec, rtc_tm_to_time64(&tm));
	return 0;
}
DEFINE_SHELL_CMD(date, "date and time from the RTC", cmd_date);
