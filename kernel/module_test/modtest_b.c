// SPDX-License-Identifier: GPL-2.0
/*
 * Loader test module B: links against module A's exports (a dependency),
 * and proves the driver API of Documentation/driver-api.rst links and
 * works from a module: a timer queues a work, the work completes a
 * completion, a kthread, a mutex and vzalloc().
 */
#include <exo/completion.h>
#include <exo/errno.h>
#include <exo/kthread.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/timer.h>
#include <exo/vmalloc.h>
#include <exo/workqueue.h>
#include "modtest.h"

static struct timer_list timer;
static struct work_struct work;
static DECLARE_COMPLETION(done);
static DEFINE_MUTEX(lock);

static void modtest_b_work(struct work_struct *w)
{
	mutex_lock(&lock);
	complete(&done);
	mutex_unlock(&lock);
}

static void modtest_b_timer(struct timer_list *t)
{
	schedule_work(&work);
}

static int modtest_b_thread(void *arg)
{
	while (!kthread_should_stop())
		msleep(1);
	return 7;
}

/* 0 if the timer -> work -> completion chain, a thread and vzalloc work. */
static int modtest_b_driver_api(void)
{
	struct task_struct *t;
	u8 *buf;

	INIT_WORK(&work, modtest_b_work);
	timer_setup(&timer, modtest_b_timer, 0);
	mod_timer(&timer, jiffies + 1);
	if (!wait_for_completion_timeout(&done, HZ))
		return -ETIMEDOUT;
	buf = vzalloc(8192);
	if (!buf)
		return -ENOMEM;
	if (buf[0] || buf[8191]) {
		vfree(buf);
		return -EIO;
	}
	vfree(buf);
	t = kthread_run(modtest_b_thread, NULL, "modtest_b");
	if (!t)
		return -ENOMEM;
	return kthread_stop(t) == 7 ? 0 : -EIO;
}

int modtest_b_twice(int x)
{
	return modtest_a_add(x, x) + modtest_a_gpl_value() - 42;
}
EXPORT_SYMBOL(modtest_b_twice);

static int __init modtest_b_init(void)
{
	if (modtest_b_twice(2) != 4)
		return -EINVAL;
	return modtest_b_driver_api();
}

static void modtest_b_exit(void)
{
	del_timer_sync(&timer);
	cancel_work_sync(&work);
}

module_init(modtest_b_init);
module_exit(modtest_b_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("loader test: uses module A");
