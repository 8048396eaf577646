// SPDX-License-Identifier: GPL-2.0
/*
 * vsnprintf for the kernel: %d %i %u %x %X %o %c %s %p %% with the flags
 * '-', '0', '#', ' ', '+', width and precision (also '*'), and the length
 * modifiers hh h l ll z t.  Extensions: %pS prints symbol+offset [module].
 * Always NUL-terminates when size > 0; returns the length it wanted.
 */
#include <exo/kallsyms.h>
#include <exo/printk.h>
#include <exo/string.h>

struct outbuf {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_str(struct outbuf *o, const char *s, int width, int prec, bool left)
{
	int len = (int)strnlen(s, prec < 0 ? (size_t)-1 : (size_t)prec);

	if (!left)
		for (; width > len; width--)
			put(o, ' ');
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	for (; width > len; width--)
		put(o, ' ');
}

struct numfmt {
	unsigned int base;
	int width;
	int prec;
	bool left, zero, alt, upper, plus, space;
};

static void put_num(struct outbuf *o, unsigned long long v, bool neg, const struct numfmt *f)
{
	const char *digits = f->upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24], sign = 0;
	int n = 0, width = f->width, prec = f->prec;
	const char *prefix = "";

	do {
		tmp[n++] = digits[v % f->base];
		v /= f->base;
	} while (v);
	if (neg)
		sign = '-';
	else if (f->plus)
		sign = '+';
	else if (f->space)
		sign = ' ';
	if (f->alt && f->base == 16)
		prefix = f->upper ? "0X" : "0x";
	else if (f->alt && f->base == 8 && tmp[n - 1] != '0')
		prefix = "0";
	if (prec < n)
		prec = n;
	width -= prec + (sign != 0) + (int)strlen(prefix);
	if (!f->left && !(f->zero && f->prec < 0))
		for (; width > 0; width--)
			put(o, ' ');
	if (sign)
		put(o, sign);
	for (; *prefix; prefix++)
		put(o, *prefix);
	if (!f->left && f->zero && f->prec < 0)
		for (; width > 0; width--)
			put(o, '0');
	for (; prec > n; prec--)
		put(o, '0');
	while (n)
		put(o, tmp[--n]);
	for (; width > 0; width--)
		put(o, ' ');
}

static void put_symbol(struct outbuf *o, unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];

	sprint_symbol(sym, addr);
	put_str(o, sym, 0, -1, false);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		struct numfmt f = { .base = 10, .prec = -1 };
		int lng = 0;
		bool is_signed = false;
		unsigned long long uv = 0;
		long long sv = 0;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++;; fmt++) {
			if (*fmt == '-')
				f.left = true;
			else if (*fmt == '0')
				f.zero = true;
			else if (*fmt == '#')
				f.alt = true;
			else if (*fmt == '+')
				f.plus = true;
			else if (*fmt == ' ')
				f.space = true;
			else
				break;
		}
		if (*fmt == '*') {
			f.width = va_arg(ap, int);
			if (f.width < 0) {
				f.left = true;
				f.width = -f.width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				f.width = f.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			f.prec = 0;
			if (*fmt == '*') {
				f.prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					f.prec = f.prec * 10 + (*fmt++ - '0');
			}
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z' || *fmt == 't')
				lng = 1;
			else if (*fmt == 'h')
				lng = lng > 0 ? lng : lng - 1;
			else
				break;
		}
		switch (*fmt) {
		case 'c':
			put(&o, (char)va_arg(ap, int));
			continue;
		case 's': {
			const char *s = va_arg(ap, const char *);

			put_str(&o, s ? s : "(null)", f.width, f.prec, f.left);
			continue;
		}
		case 'p': {
			void *p = va_arg(ap, void *);

			if (fmt[1] == 'S' || fmt[1] == 's') {
				fmt++;
				put_symbol(&o, (unsigned long)p);
				continue;
			}
			f.base = 16;
			f.alt = true;
			put_num(&o, (unsigned long)p, false, &f);
			continue;
		}
		case '%':
			put(&o, '%');
			continue;
		case 'd':
		case 'i':
			is_signed = true;
			break;
		case 'u':
			break;
		case 'x':
			f.base = 16;
			break;
		case 'X':
			f.base = 16;
			f.upper = true;
			break;
		case 'o':
			f.base = 8;
			break;
		case '\0':
			fmt--;
			continue;
		default:
			put(&o, '%');
			put(&o, *fmt);
			continue;
		}
		if (is_signed) {
			if (lng >= 2)
				sv = va_arg(ap, long long);
			else if (lng == 1)
				sv = va_arg(ap, long);
			else
				sv = va_arg(ap, int);
			if (lng == -1)
				sv = (short)sv;
			else if (lng <= -2)
				sv = (signed char)sv;
			uv = sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv;
			put_num(&o, uv, sv < 0, &f);
		} else {
			if (lng >= 2)
				uv = va_arg(ap, unsigned long long);
			else if (lng == 1)
				uv = va_arg(ap, unsigned long);
			else
				uv = va_arg(ap, unsigned int);
			if (lng == -1)
				uv = (unsigned short)uv;
			else if (lng <= -2)
				uv = (unsigned char)uv;
			put_num(&o, uv, false, &f);
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
