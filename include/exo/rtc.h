/* SPDX-License-Identifier: GPL-2.0 */
/* Wall-clock time from the real-time clock (CMOS RTC on a PC). */
#ifndef _EXO_RTC_H
#define _EXO_RTC_H

#include <exo/types.h>

struct rtc_time {
	int tm_sec;	/* 0-59 */
	int tm_min;	/* 0-59 */
	int tm_hour;	/* 0-23 */
	int tm_mday;	/* 1-31 */
	int tm_mon;	/* 1-12 (not 0-11 as in struct tm) */
	int tm_year;	/* full year, e.g. 2026 */
};

/**
 * rtc_read_time() - current date and time (UTC as the RTC keeps it)
 * Return: 0; -ENODEV no RTC driver bound; -EIO the clock never settled.
 */
int rtc_read_time(struct rtc_time *tm);

/**
 * rtc_tm_to_time64() - seconds since 1970-01-01 00:00:00 of @tm
 */
s64 rtc_tm_to_time64(const struct rtc_time *tm);

/**
 * rtc_valid_tm() - 0 if every field of @tm is in range, else -EINVAL
 */
int rtc_valid_tm(const struct rtc_time *tm);

#endif /* _EXO_RTC_H */
