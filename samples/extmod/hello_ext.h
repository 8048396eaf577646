/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HELLO_EXT_H
#define HELLO_EXT_H

unsigned int hello_count_words(const char *s);

#endif
