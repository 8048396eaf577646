// SPDX-License-Identifier: GPL-2.0
/* The second object of hello_ext.ko: a helper hello_main.c calls. */
#include <exo/types.h>
#include "hello_ext.h"

/* Words in @s: runs of characters other than spaces. */
unsigned int hello_count_words(const char *s)
{
	unsigned int n = 0;
	bool in_word = false;

	for (; *s; s++) {
		if (*s == ' ') {
			in_word = false;
		} else if (!in_word) {
			in_word = true;
			n++;
		}
	}
	return n;
}
