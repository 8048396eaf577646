// SPDX-License-Identifier: GPL-2.0
/*
 * The shell's line editor (keys and contract: include/exo/line_edit.h).
 *
 * Echo: typing at the end of the line echoes the character alone; every
 * other change redraws the line from column 0 (CR, prompt, text, erase to
 * the end of the screen line, cursor back), which any ANSI terminal shows
 * right whatever was on the line before.  That assumes the line fits on
 * one terminal row; a longer one is still edited right, only shown badly.
 */
#include <exo/kernel.h>
#include <exo/line_edit.h>
#include <exo/printk.h>
#include <exo/string.h>

enum { ESC_NONE, ESC_START, ESC_CSI, ESC_SS3 };

#define CTRL(c)		((c) & 0x1f)

static void out(struct line_edit *le, const char *s, size_t n)
{
	if (n)
		le->write(le->ctx, s, n);
}

static void outs(struct line_edit *le, const char *s)
{
	out(le, s, strlen(s));
}

static void cursor_left(struct line_edit *le, unsigned int n)
{
	char seq[16];

	if (n)
		out(le, seq, (size_t)snprintf(seq, sizeof(seq), "\x1b[%uD", n));
}

static void refresh(struct line_edit *le)
{
	outs(le, "\r");
	outs(le, le->prompt);
	out(le, le->buf, le->len);
	outs(le, "\x1b[K");
	cursor_left(le, le->len - le->pos);
}

static void set_line(struct line_edit *le, const char *s, bool overflow)
{
	le->len = (unsigned int)strlcpy(le->buf, s, sizeof(le->buf));
	le->pos = le->len;
	le->overflow = overflow;
	refresh(le);
}

static void insert(struct line_edit *le, char ch)
{
	if (le->len == LINE_EDIT_MAX) {
		if (!le->overflow)
			outs(le, "\a");
		le->overflow = true;
		return;
	}
	memmove(le->buf + le->pos + 1, le->buf + le->pos, le->len - le->pos + 1);
	le->buf[le->pos++] = ch;
	le->len++;
	/* The rest of the line moves right: print it, come back. */
	out(le, le->buf + le->pos - 1, le->len - le->pos + 1);
	cursor_left(le, le->len - le->pos);
}

/*
 * A line emptied by hand (Ctrl-U, erasing it all) is a new start: what was
 * dropped from the old one no longer matters.
 */
static void forget_overflow(struct line_edit *le)
{
	if (!le->len)
		le->overflow = false;
}

/* Delete @n characters at @from (from + n <= len); the cursor goes to @from. */
static void delete_range(struct line_edit *le, unsigned int from, unsigned int n)
{
	if (!n)
		return;
	memmove(le->buf + from, le->buf + from + n, le->len - from - n + 1);
	le->len -= n;
	le->pos = from;
	forget_overflow(le);
	refresh(le);
}

static void backspace(struct line_edit *le)
{
	if (!le->pos)
		return;
	if (le->pos < le->len) {
		delete_range(le, le->pos - 1, 1);
		return;
	}
	le->buf[--le->len] = 0;
	le->pos--;
	outs(le, "\b \b");
	forget_overflow(le);
}

static void kill_word(struct line_edit *le)
{
	unsigned int i = le->pos;

	while (i && le->buf[i - 1] == ' ')
		i--;
	while (i && le->buf[i - 1] != ' ')
		i--;
	delete_range(le, i, le->pos - i);
}

static void kill_to_end(struct line_edit *le)
{
	if (le->pos == le->len)
		return;
	le->buf[le->pos] = 0;
	le->len = le->pos;
	outs(le, "\x1b[K");
	forget_overflow(le);
}

static void move_to(struct line_edit *le, unsigned int pos)
{
	if (pos < le->pos)
		cursor_left(le, le->pos - pos);
	else
		out(le, le->buf + le->pos, pos - le->pos);	/* reprint to move right */
	le->pos = pos;
}

static const char *hist_entry(const struct line_edit *le, unsigned int k)
{
	return le->hist[(le->hist_next + LINE_EDIT_HISTORY - k) % LINE_EDIT_HISTORY];
}

static void history_move(struct line_edit *le, bool older)
{
	if (older) {
		if (le->browse == le->hist_count)
			return;
		if (!le->browse) {
			strlcpy(le->scratch, le->buf, sizeof(le->scratch));
			le->scratch_overflow = le->overflow;
		}
		le->browse++;
	} else {
		if (!le->browse)
			return;
		le->browse--;
	}
	if (le->browse)
		set_line(le, hist_entry(le, le->browse), false);
	else
		set_line(le, le->scratch, le->scratch_overflow);
}

static void history_add(struct line_edit *le)
{
	if (!le->len || (le->hist_count && !strcmp(hist_entry(le, 1), le->buf)))
		return;
	strlcpy(le->hist[le->hist_next], le->buf, sizeof(le->hist[0]));
	le->hist_next = (le->hist_next + 1) % LINE_EDIT_HISTORY;
	if (le->hist_count < LINE_EDIT_HISTORY)
		le->hist_count++;
}

/* The @i-th completion candidate, or NULL past the last. */
static const char *candidate(struct line_edit *le, unsigned int i)
{
	return le->candidate ? le->candidate(le->cand_ctx, i) : NULL;
}

/* Characters @a and @b have in common from the start. */
static unsigned int common_prefix(const char *a, const char *b)
{
	unsigned int n = 0;

	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

/* Show the candidates starting with the @n characters at @word, then the line again. */
static void list_candidates(struct line_edit *le, const char *word, unsigned int n)
{
	const char *c;

	outs(le, "\n");
	for (unsigned int i = 0; (c = candidate(le, i)); i++) {
		if (strncmp(c, word, n))
			continue;
		outs(le, c);
		outs(le, "  ");
	}
	outs(le, "\n");
	refresh(le);
}

/*
 * Tab: complete the command name before the cursor (after any leading
 * blanks, which the shell skips too).  One candidate: its rest and a
 * space go in.  Several: their common part goes in, and if there is none
 * to add they are listed.  No candidate, or the cursor past the first
 * word (arguments are not completed): the bell.
 */
static void complete(struct line_edit *le)
{
	unsigned int start = 0, n, matches = 0, common = 0;
	const char *c, *word, *first = NULL;

	while (start < le->pos && le->buf[start] == ' ')
		start++;
	word = le->buf + start;
	n = le->pos - start;
	if (memchr(word, ' ', n)) {
		outs(le, "\a");
		return;
	}
	for (unsigned int i = 0; (c = candidate(le, i)); i++) {
		if (strncmp(c, word, n))
			continue;
		if (!matches++) {
			first = c;
			common = (unsigned int)strlen(c);
		} else {
			common = min(common, common_prefix(first, c));
		}
	}
	if (!matches) {
		outs(le, "\a");
		return;
	}
	for (unsigned int i = n; i < common && !le->overflow; i++)
		insert(le, first[i]);
	if (matches == 1) {
		if (le->pos == le->len || le->buf[le->pos] != ' ')
			insert(le, ' ');
		else
			move_to(le, le->pos + 1);
	} else if (common == n) {
		list_candidates(le, word, n);
	}
}

/* A cursor or editing key: the final byte of a CSI or SS3 sequence. */
static void key(struct line_edit *le, int final, unsigned int arg)
{
	switch (final) {
	case 'A':
		history_move(le, true);
		break;
	case 'B':
		history_move(le, false);
		break;
	case 'C':
		if (le->pos < le->len)
			move_to(le, le->pos + 1);
		break;
	case 'D':
		if (le->pos)
			move_to(le, le->pos - 1);
		break;
	case 'H':
		move_to(le, 0);
		break;
	case 'F':
		move_to(le, le->len);
		break;
	case '~':
		if (arg == 1 || arg == 7)
			move_to(le, 0);
		else if (arg == 4 || arg == 8)
			move_to(le, le->len);
		else if (arg == 3 && le->pos < le->len)
			delete_range(le, le->pos, 1);
		break;
	}
}

/*
 * One byte of an escape sequence.  Return: true if it was consumed; false
 * for a control byte, which ends the sequence and is then handled as itself.
 */
static bool escape(struct line_edit *le, int c)
{
	if (c < 0x20 || c == 0x7f) {
		le->esc = ESC_NONE;
		return false;
	}
	switch (le->esc) {
	case ESC_START:
		le->esc = c == '[' ? ESC_CSI : c == 'O' ? ESC_SS3 : ESC_NONE;
		le->esc_arg = 0;
		le->esc_more = false;
		break;	/* any other byte: Alt+key, dropped */
	case ESC_SS3:
		le->esc = ESC_NONE;
		key(le, c, 0);
		break;
	case ESC_CSI:
		if (c >= '0' && c <= '9') {
			if (!le->esc_more && le->esc_arg < 10000)
				le->esc_arg = le->esc_arg * 10 + (unsigned int)(c - '0');
		} else if (c == ';') {
			le->esc_more = true;	/* modifiers: Ctrl-Right is Right */
		} else if (c >= 0x40) {
			le->esc = ESC_NONE;
			key(le, c, le->esc_arg);
		}	/* other parameter and intermediate bytes: skipped */
		break;
	}
	return true;
}

static enum line_edit_status end_line(struct line_edit *le)
{
	outs(le, "\n");
	if (le->overflow)
		return LINE_EDIT_TOO_LONG;
	history_add(le);
	return LINE_EDIT_DONE;
}

enum line_edit_status line_edit_feed(struct line_edit *le, int c)
{
	bool after_cr = le->last_cr;

	c &= 0xff;
	le->last_cr = false;
	if (le->esc && escape(le, c))
		return LINE_EDIT_MORE;
	switch (c) {
	case '\r':
		le->last_cr = true;
		return end_line(le);
	case '\n':
		/* The LF of a CR LF: the line already ended. */
		return after_cr ? LINE_EDIT_MORE : end_line(le);
	case 0x1b:
		le->esc = ESC_START;
		break;
	case CTRL('C'):
		outs(le, "^C\n");
		return LINE_EDIT_CANCEL;
	case 0x7f:
	case CTRL('H'):
		backspace(le);
		break;
	case CTRL('D'):
		key(le, '~', 3);
		break;
	case CTRL('A'):
		key(le, 'H', 0);
		break;
	case CTRL('E'):
		key(le, 'F', 0);
		break;
	case CTRL('B'):
		key(le, 'D', 0);
		break;
	case CTRL('F'):
		key(le, 'C', 0);
		break;
	case CTRL('P'):
		key(le, 'A', 0);
		break;
	case CTRL('N'):
		key(le, 'B', 0);
		break;
	case CTRL('U'):
		delete_range(le, 0, le->pos);
		break;
	case CTRL('K'):
		kill_to_end(le);
		break;
	case CTRL('W'):
		kill_word(le);
		break;
	case CTRL('L'):
		outs(le, "\x1b[H\x1b[2J");
		refresh(le);
		break;
	case '\t':
		complete(le);
		break;
	default:
		if (c >= ' ' && c < 0x7f)
			insert(le, (char)c);
		break;
	}
	return LINE_EDIT_MORE;
}

void line_edit_start(struct line_edit *le)
{
	le->buf[0] = 0;
	le->len = le->pos = 0;
	le->overflow = false;
	le->esc = ESC_NONE;
	le->browse = 0;
	outs(le, le->prompt);
}

void line_edit_set_completion(struct line_edit *le,
			      const char *(*candidate)(void *ctx, unsigned int i), void *ctx)
{
	le->candidate = candidate;
	le->cand_ctx = ctx;
}

void line_edit_init(struct line_edit *le, const char *prompt,
		    void (*write)(void *ctx, const char *s, size_t n), void *ctx)
{
	memset(le, 0, sizeof(*le));
	le->prompt = prompt;
	le->write = write;
	le->ctx = ctx;
}
