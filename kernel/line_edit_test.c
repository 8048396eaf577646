// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the shell's line editor: byte sequences as terminals send them
 * go in, the resulting line and status are checked, and the echo is played
 * on a model terminal (one row: printable bytes, BS, CR, LF, BEL, ESC [ K,
 * ESC [ n D, ESC [ H ESC [ 2 J) whose row and cursor must show the prompt
 * and the line with the cursor where the editor has it.
 */
#include <exo/ktest.h>
#include <exo/line_edit.h>
#include <exo/string.h>

#define PROMPT	"> "
#define COLS	400

struct term {
	char row[COLS + 1];
	unsigned int col;
	unsigned int bells, lines;	/* BELs, LFs seen */
	unsigned int esc, arg;		/* ESC [ n parsing */
	bool bad;			/* a byte the model does not know */
};

static void term_byte(struct term *tm, char c)
{
	if (tm->esc == 1) {
		tm->esc = c == '[' ? 2 : 0;
		tm->arg = 0;
		tm->bad |= c != '[';
		return;
	}
	if (tm->esc == 2) {
		if (c >= '0' && c <= '9') {
			tm->arg = tm->arg * 10 + (unsigned int)(c - '0');
			return;
		}
		tm->esc = 0;
		if (c == 'K')
			memset(tm->row + tm->col, ' ', COLS - tm->col);
		else if (c == 'D')
			tm->col -= tm->arg < tm->col ? tm->arg : tm->col;
		else if (c == 'H')
			tm->col = 0;
		else if (c == 'J' && tm->arg == 2)
			memset(tm->row, ' ', COLS);
		else
			tm->bad = true;
		return;
	}
	switch (c) {
	case 0x1b:
		tm->esc = 1;
		break;
	case '\r':
		tm->col = 0;
		break;
	case '\n':
		tm->lines++;
		tm->col = 0;
		memset(tm->row, ' ', COLS);
		break;
	case '\b':
		if (tm->col)
			tm->col--;
		break;
	case '\a':
		tm->bells++;
		break;
	default:
		if (c < ' ' || c > '~' || tm->col >= COLS)
			tm->bad = true;
		else
			tm->row[tm->col++] = c;
	}
}

static void term_write(void *ctx, const char *s, size_t n)
{
	while (n--)
		term_byte(ctx, *s++);
}

struct fixture {
	struct line_edit le;
	struct term tm;
};

static struct fixture fx;

static int le_init(struct ktest *t)
{
	memset(&fx.tm, 0, sizeof(fx.tm));
	memset(fx.tm.row, ' ', COLS);
	line_edit_init(&fx.le, PROMPT, term_write, &fx.tm);
	line_edit_start(&fx.le);
	return 0;
}

/* Feed @s; the status of its last byte. */
static enum line_edit_status feed(const char *s)
{
	enum line_edit_status st = LINE_EDIT_MORE;

	while (*s)
		st = line_edit_feed(&fx.le, (unsigned char)*s++);
	return st;
}

/* The screen shows the prompt and the line, nothing after, cursor in place. */
static void expect_screen(struct ktest *t)
{
	size_t p = strlen(PROMPT);

	KTEST_EXPECT_FALSE(t, fx.tm.bad);
	KTEST_EXPECT_EQ(t, memcmp(fx.tm.row, PROMPT, p), 0);
	KTEST_EXPECT_EQ(t, memcmp(fx.tm.row + p, fx.le.buf, fx.le.len), 0);
	KTEST_EXPECT_NULL(t, memchr_inv(fx.tm.row + p + fx.le.len, ' ',
					COLS - p - fx.le.len));
	KTEST_EXPECT_EQ(t, fx.tm.col, p + fx.le.pos);
}

/* Feed @in, which must leave the line being edited as @want. */
#define EXPECT_EDIT(t, in, want) do {					\
	KTEST_EXPECT_EQ(t, feed(in), LINE_EDIT_MORE);			\
	KTEST_EXPECT_EQ(t, strcmp(fx.le.buf, want), 0);		\
	expect_screen(t);						\
} while (0)

/* Feed @in, which must end with the line @want entered. */
#define EXPECT_LINE(t, in, want) do {					\
	KTEST_EXPECT_EQ(t, feed(in), LINE_EDIT_DONE);			\
	KTEST_EXPECT_EQ(t, strcmp(fx.le.buf, want), 0);		\
	line_edit_start(&fx.le);					\
} while (0)

static void test_typing(struct ktest *t)
{
	EXPECT_EDIT(t, "help", "help");
	KTEST_EXPECT_EQ(t, fx.le.pos, 4);
	EXPECT_LINE(t, "\r", "help");
	EXPECT_LINE(t, "ls -v\n", "ls -v");
	/* CR LF is one line end, not two. */
	EXPECT_LINE(t, "a\r", "a");
	EXPECT_EDIT(t, "\nb", "b");
	EXPECT_LINE(t, "\r", "b");
	EXPECT_EDIT(t, "\n", "");
	/* Tab with nothing to complete rings; control and 8-bit bytes are dropped. */
	EXPECT_EDIT(t, "x\ty\x07\x0f\x1c\x80\xffz", "xyz");
	KTEST_EXPECT_EQ(t, fx.tm.bells, 1);
	KTEST_EXPECT_EQ(t, fx.tm.lines, 4);
}

static void test_cursor_keys(struct ktest *t)
{
	/* Left, then insert in the middle. */
	EXPECT_EDIT(t, "abd\x1b[Dc", "abcd");
	KTEST_EXPECT_EQ(t, fx.le.pos, 3);
	/* Right stops at the end; Left at the start. */
	EXPECT_EDIT(t, "\x1b[C\x1b[C\x1b[C", "abcd");
	KTEST_EXPECT_EQ(t, fx.le.pos, 4);
	EXPECT_EDIT(t, "\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D", "abcd");
	KTEST_EXPECT_EQ(t, fx.le.pos, 0);
	/* Home and End in their four spellings, and Ctrl-A/E, Ctrl-B/F. */
	EXPECT_EDIT(t, "\x1b[F>\x1b[H<", "<abcd>");
	EXPECT_EDIT(t, "\x1b[4~1\x1b[1~0", "0<abcd>1");
	EXPECT_EDIT(t, "\x1bOF3\x1bOH2", "20<abcd>13");
	EXPECT_EDIT(t, "\x1b[8~5\x1b[7~4", "420<abcd>135");
	EXPECT_EDIT(t, "\x05" "7\x01" "6", "6420<abcd>1357");
	EXPECT_EDIT(t, "\x06\x06" "_\x02\x02" "-", "64-2_0<abcd>1357");
	/* SS3 arrows (application cursor mode) and modified arrows. */
	EXPECT_EDIT(t, "\x1bOC\x1b[1;5C+", "64-2_+0<abcd>1357");
	EXPECT_LINE(t, "\r", "64-2_+0<abcd>1357");
}

static void test_deleting(struct ktest *t)
{
	/* Backspace (DEL and BS) at the end and in the middle. */
	EXPECT_EDIT(t, "abcdef\x7f\x08", "abcd");
	EXPECT_EDIT(t, "\x1b[D\x1b[D\x7f", "acd");
	KTEST_EXPECT_EQ(t, fx.le.pos, 1);
	/* Delete and Ctrl-D delete under the cursor; not past the end. */
	EXPECT_EDIT(t, "\x1b[3~", "ad");
	EXPECT_EDIT(t, "\x04\x04\x1b[3~", "a");
	/* Backspace at the start does nothing. */
	EXPECT_EDIT(t, "\x01\x7f", "a");
	EXPECT_LINE(t, "\r", "a");
	/* Ctrl-U: to the start; Ctrl-K: to the end. */
	EXPECT_EDIT(t, "one two three\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x15", "three");
	KTEST_EXPECT_EQ(t, fx.le.pos, 0);
	EXPECT_EDIT(t, "\x1b[C\x1b[C\x0b", "th");
	/* Ctrl-W: the word before the cursor and the spaces after it. */
	EXPECT_LINE(t, "\x05\x15\r", "");
	EXPECT_EDIT(t, "insmod  edu  \x17", "insmod  ");
	EXPECT_EDIT(t, "\x17", "");
	EXPECT_EDIT(t, "a b c\x1b[D\x17", "a c");
	/* Ctrl-C drops the line. */
	KTEST_EXPECT_EQ(t, feed("\x03"), LINE_EDIT_CANCEL);
	line_edit_start(&fx.le);
	EXPECT_EDIT(t, "\x0c", "");
}

static void test_unknown_sequences(struct ktest *t)
{
	/* Page Up, F5, bracketed paste marks, a private mode: nothing of them lands. */
	EXPECT_EDIT(t, "a\x1b[5~b\x1b[15~c\x1b[200~d\x1b[201~\x1b[?25he", "abcde");
	/* Alt+x (ESC x) drops the x; ESC then Enter still ends the line. */
	EXPECT_EDIT(t, "\x1bx", "abcde");
	EXPECT_LINE(t, "\x1b\r", "abcde");
	/* A control byte inside a sequence ends it and acts. */
	EXPECT_LINE(t, "q\x1b[1\r", "q");
}

static void test_history(struct ktest *t)
{
	EXPECT_LINE(t, "one\r", "one");
	EXPECT_LINE(t, "two\r", "two");
	EXPECT_LINE(t, "two\r", "two");	/* not stored twice */
	EXPECT_LINE(t, "\r", "");		/* empty: not stored */
	EXPECT_EDIT(t, "new", "new");
	EXPECT_EDIT(t, "\x1b[A", "two");
	EXPECT_EDIT(t, "\x1b[A", "one");
	EXPECT_EDIT(t, "\x1b[A", "one");	/* the oldest stays */
	EXPECT_EDIT(t, "\x1b[B", "two");
	EXPECT_EDIT(t, "\x1b[B", "new");	/* back to the line being typed */
	EXPECT_EDIT(t, "\x1b[B", "new");
	/* A recalled line is edited, then entered; Ctrl-P/N move too. */
	EXPECT_EDIT(t, "\x10\x10\x0e", "two");
	EXPECT_LINE(t, "\x7f" "o\r", "two");
	EXPECT_LINE(t, "\x1b[A\x1b[A" "!\r", "one!");
	EXPECT_EDIT(t, "\x1b[A", "one!");
	EXPECT_EDIT(t, "\x1b[A", "two");
}

static void test_history_ring(struct ktest *t)
{
	char line[16];

	for (unsigned int i = 0; i < LINE_EDIT_HISTORY + 4; i++) {
		snprintf(line, sizeof(line), "c%u\r", i);
		KTEST_ASSERT_EQ(t, feed(line), LINE_EDIT_DONE);
		line_edit_start(&fx.le);
	}
	for (unsigned int i = 0; i < LINE_EDIT_HISTORY + 2; i++)
		feed("\x1b[A");
	/* Only the newest LINE_EDIT_HISTORY lines are kept. */
	snprintf(line, sizeof(line), "c%d", 4);
	KTEST_EXPECT_EQ(t, strcmp(fx.le.buf, line), 0);
	expect_screen(t);
}

static void test_too_long(struct ktest *t)
{
	enum line_edit_status st = LINE_EDIT_MORE;

	/* 5000 characters: the first LINE_EDIT_MAX kept, one bell, refused. */
	for (int i = 0; i < 5000; i++)
		st = line_edit_feed(&fx.le, 'a' + i % 26);
	KTEST_EXPECT_EQ(t, st, LINE_EDIT_MORE);
	KTEST_EXPECT_EQ(t, fx.le.len, LINE_EDIT_MAX);
	KTEST_EXPECT_EQ(t, strlen(fx.le.buf), LINE_EDIT_MAX);
	KTEST_EXPECT_EQ(t, fx.tm.bells, 1);
	/* Shortened by hand, it is still not what was typed. */
	feed("\x7f\x7f\x7f");
	KTEST_EXPECT_EQ(t, feed("\r"), LINE_EDIT_TOO_LONG);
	line_edit_start(&fx.le);
	/* Not in the history; the next line is fine. */
	EXPECT_EDIT(t, "\x1b[A", "");
	EXPECT_LINE(t, "ok\r", "ok");
	/* Emptied by hand (Ctrl-U), the line is a new one. */
	for (int i = 0; i < 5000; i++)
		line_edit_feed(&fx.le, 'a' + i % 26);
	KTEST_EXPECT_EQ(t, fx.tm.bells, 2);
	EXPECT_LINE(t, "\x15help\r", "help");
	/* So is one erased to nothing with backspace. */
	for (int i = 0; i < LINE_EDIT_MAX + 1; i++)
		line_edit_feed(&fx.le, 'y');
	for (int i = 0; i < LINE_EDIT_MAX; i++)
		line_edit_feed(&fx.le, 0x7f);
	EXPECT_LINE(t, "ok\r", "ok");
	/* A line of exactly LINE_EDIT_MAX characters is accepted. */
	for (int i = 0; i < LINE_EDIT_MAX; i++)
		line_edit_feed(&fx.le, 'x');
	KTEST_EXPECT_EQ(t, feed("\r"), LINE_EDIT_DONE);
	KTEST_EXPECT_EQ(t, strlen(fx.le.buf), LINE_EDIT_MAX);
	KTEST_EXPECT_EQ(t, fx.tm.bells, 3);
}

static const char *const words[] = {
	"help", "hexdump", "insmod", "ip", "ktest", "ls", "lsmod", "loglevel", NULL
};

static const char *word(void *ctx, unsigned int i)
{
	return i < ARRAY_SIZE(words) ? words[i] : NULL;
}

/*
 * Tab, step by step: the keys, then the line being edited, the cursor,
 * and the bells and line feeds so far (a listing is two: the list, then
 * the line again).  End, Ctrl-U (\x05\x15) start a step on an empty line.
 */
static const struct {
	const char *keys, *line;
	unsigned int pos, bells, lines;
} tab_steps[] = {
	/* A unique prefix completes, with a space after it. */
	{ "ins\t",                         "insmod ",     7, 0, 0 },
	/* Ambiguous: the common part goes in, then Tab lists the candidates. */
	{ "\x05\x15h\t",                   "he",          2, 0, 0 },
	{ "\t",                            "he",          2, 0, 2 },
	{ "x\t",                           "hexdump ",    8, 0, 2 },
	/* A whole word that prefixes another is still ambiguous. */
	{ "\x05\x15ls\t",                  "ls",          2, 0, 4 },
	/* No match, arguments: the bell; an empty line lists every word. */
	{ "\x05\x15zz\t",                  "zz",          2, 1, 4 },
	{ "\x05\x15insmod e\t",            "insmod e",    8, 2, 4 },
	{ "\x05\x15\t",                    "",            0, 2, 6 },
	/* Leading blanks: the first word after them completes. */
	{ "\x05\x15  ins\t",                "  insmod ",   9, 2, 6 },
	/* Mid-line: the word completes, the cursor steps over the space. */
	{ "\x05\x15kt x\x01\x1b[C\x1b[C\t", "ktest x",     6, 2, 6 },
	{ "\x05\x15lo lo\x01\x1b[C\x1b[C\t", "loglevel lo", 9, 2, 6 },
};

static void test_completion(struct ktest *t)
{
	line_edit_set_completion(&fx.le, word, NULL);
	for (unsigned int i = 0; i < ARRAY_SIZE(tab_steps); i++) {
		EXPECT_EDIT(t, tab_steps[i].keys, tab_steps[i].line);
		KTEST_EXPECT_EQ(t, fx.le.pos, tab_steps[i].pos);
		KTEST_EXPECT_EQ(t, fx.tm.bells, tab_steps[i].bells);
		KTEST_EXPECT_EQ(t, fx.tm.lines, tab_steps[i].lines);
	}
	EXPECT_LINE(t, "\r", "loglevel lo");
	/* Completing into a full line stops at its end, with one bell. */
	for (int i = 0; i < LINE_EDIT_MAX - 4; i++)
		line_edit_feed(&fx.le, ' ');
	KTEST_EXPECT_EQ(t, feed("\x01ins\t"), LINE_EDIT_MORE);
	KTEST_EXPECT_EQ(t, fx.le.len, LINE_EDIT_MAX);
	KTEST_EXPECT_EQ(t, strncmp(fx.le.buf, "insm ", 5), 0);
	KTEST_EXPECT_EQ(t, fx.tm.bells, 3);
	KTEST_EXPECT_EQ(t, feed("\r"), LINE_EDIT_TOO_LONG);
}

static struct ktest_case line_edit_cases[] = {
	KTEST_CASE(test_typing),
	KTEST_CASE(test_cursor_keys),
	KTEST_CASE(test_deleting),
	KTEST_CASE(test_unknown_sequences),
	KTEST_CASE(test_history),
	KTEST_CASE(test_history_ring),
	KTEST_CASE(test_too_long),
	KTEST_CASE(test_completion),
	{}
};

static struct ktest_suite line_edit_suite = {
	.name = "line_edit",
	.cases = line_edit_cases,
	.init = le_init,
};
KTEST_SUITE(line_edit_suite);
