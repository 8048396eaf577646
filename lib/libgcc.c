// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers the compiler may call instead of emitting an instruction the
 * baseline x86-64 lacks (we do not link libgcc into a freestanding kernel).
 */
int __popcountdi2(long v);

int __popcountdi2(long v)
{
	unsigned long x = (unsigned long)v;

	x = x - ((x >> 1) & 0x5555555555555555UL);
	x = (x & 0x3333333333333333UL) + ((x >> 2) & 0x3333333333333333UL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fUL;
	return (int)((x * 0x0101010101010101UL) >> 56);
}
