/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Line editor of the kernel shell (kernel/line_edit.c): turns the bytes a
 * terminal sends into a line, with cursor movement, deletion and a history,
 * and echoes what the terminal must show.
 *
 * Keys (ANSI/VT100 sequences as xterm, the Linux console and QEMU's serial
 * send them; Ctrl keys as Emacs and readline bind them):
 *
 *   Left, Right, Ctrl-B, Ctrl-F    move by a character
 *   Home, End, Ctrl-A, Ctrl-E      move to the start, the end
 *   Backspace (DEL or BS), Delete, Ctrl-D   delete before, under the cursor
 *   Ctrl-U, Ctrl-K                 delete to the start, to the end
 *   Ctrl-W                         delete the word before the cursor
 *   Up, Down, Ctrl-P, Ctrl-N       older, newer history entry
 *   Tab                            complete the command name
 *   Ctrl-C                         drop the line
 *   Ctrl-L                         clear the screen, redraw the line
 *   Enter (CR, LF or CR LF)        end the line
 *
 * Tab completes the first word from the candidates
 * line_edit_set_completion() gave: a unique match is completed and a
 * space added; several get their common part, or, if that adds nothing,
 * are listed below the line; no match (or the cursor past the first word)
 * rings the bell.  Other control bytes, bytes above 0x7e and
 * escape sequences it does not know are ignored (whole: the parameters
 * and final byte of an unknown sequence never reach the line).  A line
 * may hold LINE_EDIT_MAX characters; typing more rings the bell once and
 * marks the line, which Enter then refuses (LINE_EDIT_TOO_LONG) rather
 * than hand over a line that is not what was typed.
 *
 * The editor does no I/O of its own: it is fed bytes and writes through a
 * callback, so that tests can drive it (kernel/line_edit_test.c).
 */
#ifndef _EXO_LINE_EDIT_H
#define _EXO_LINE_EDIT_H

#include <exo/types.h>

#define LINE_EDIT_MAX		255	/* characters of a line */
#define LINE_EDIT_HISTORY	32	/* lines remembered */

enum line_edit_status {
	LINE_EDIT_MORE,		/* the line goes on: feed the next byte */
	LINE_EDIT_DONE,		/* Enter: the line is in ->buf */
	LINE_EDIT_CANCEL,	/* Ctrl-C: the line was dropped */
	LINE_EDIT_TOO_LONG,	/* Enter on a line that overflowed: refused */
};

struct line_edit {
	char buf[LINE_EDIT_MAX + 1];	/* the line, NUL-terminated */
	unsigned int len, pos;		/* characters, cursor (0..len) */
	bool overflow;			/* characters were dropped */
	bool last_cr;			/* the previous byte ended a line with CR */
	u8 esc;				/* escape-sequence state */
	unsigned int esc_arg;		/* first numeric parameter of a CSI */
	bool esc_more;			/* past a ';': further parameters ignored */
	/* History: a ring of the last lines, newest at hist_next - 1. */
	char hist[LINE_EDIT_HISTORY][LINE_EDIT_MAX + 1];
	unsigned int hist_count, hist_next;
	unsigned int browse;		/* 0: the new line; k: k-th newest entry */
	char scratch[LINE_EDIT_MAX + 1];	/* the new line while browsing */
	bool scratch_overflow;
	const char *prompt;
	const char *(*candidate)(void *ctx, unsigned int i);	/* Tab's words */
	void *cand_ctx;
	void (*write)(void *ctx, const char *s, size_t n);
	void *ctx;
};

/**
 * line_edit_init() - set up an editor with an empty history
 * @le: the editor
 * @prompt: printed before each line (kept: must outlive @le)
 * @write: called with what the terminal must show
 * @ctx: passed to @write
 */
void line_edit_init(struct line_edit *le, const char *prompt,
		    void (*write)(void *ctx, const char *s, size_t n), void *ctx);

/**
 * line_edit_set_completion() - give Tab the words it completes
 * @le: the editor
 * @candidate: returns the @i-th word (i = 0, 1, ...), NULL after the last;
 *	the words must outlive @le's use of them
 * @ctx: passed to @candidate
 *
 * Without it (after line_edit_init()), Tab only rings the bell.
 */
void line_edit_set_completion(struct line_edit *le,
			      const char *(*candidate)(void *ctx, unsigned int i), void *ctx);

/**
 * line_edit_start() - begin a new, empty line and print the prompt
 * @le: the editor
 */
void line_edit_start(struct line_edit *le);

/**
 * line_edit_feed() - process one byte from the terminal
 * @le: the editor, after line_edit_start()
 * @c: the byte (0..255)
 *
 * On LINE_EDIT_DONE the line is in @le->buf and, if not empty and not the
 * same as the newest entry, was added to the history.  After any status
 * but LINE_EDIT_MORE, call line_edit_start() before feeding more.
 * Return: what the byte did to the line.
 */
enum line_edit_status line_edit_feed(struct line_edit *le, int c);

#endif
