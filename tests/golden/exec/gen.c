// SPDX-License-Identifier: GPL-2.0
/*
 * gen.c - execution goldens for the emulator's integer arithmetic, computed
 * on the real CPU. Built and run by generate.sh, which writes arith.json.
 *
 * Each case runs ONE real instruction (assembled by GNU as from the template
 * in the table below) with known registers and RFLAGS, and records the
 * registers and RFLAGS afterwards. The instruction's bytes are read back from
 * this program's own code, so the emulator test can decode and execute the
 * very same bytes.
 *
 * Output: a JSON array, one case per line:
 *
 *   { "op": "add", "size": 8, "asm": "add al, cl", "code": "00c8",
 *     "a": "0x…", "b": "0x…", "cfIn": 0, "flagsIn": "0x202",
 *     "result": "0x…", "flags": "0x…", "mask": "0x8d5" }
 *
 * "op" is the mnemonic, except "imul1" for the one-operand imul ("imul" is
 * the two-operand form imul r, r/m). Shifts and rotates come by CL and by an
 * immediate; an immediate form has "imm" (the count as written) and no b.
 *
 * Register convention (all values are full 64-bit registers, hex strings):
 *   inputs   a = RAX, b = RCX (when the instruction reads it),
 *            d = RDX (when the instruction reads it or writes only part of
 *                it: div/idiv high half, mul/imul1 at 16 bits and up,
 *                cwd/cdq/cqo, the cmpxchg source)
 *   outputs  result = RAX, resultHi = RDX (only if the instruction writes RDX:
 *                mul/imul one-operand and div/idiv at 16/32/64 bits: high half
 *                or remainder; cwd/cdq/cqo), result2 = RCX (only if written:
 *                xadd's source, cmpxchg's destination)
 *   At 8 and 16 bits the upper bits of a register are kept, at 32 bits they
 *   are zeroed: inputs carry a fixed pattern in the bits above the operand so
 *   the test sees which. 8-bit mul/imul/div/idiv use AX only (AH = high half
 *   or remainder), so they have no resultHi.
 *   flagsIn: RFLAGS before (0x202 = IF and the always-one bit, plus a rotating
 *            pattern of CF/PF/AF/ZF/SF/OF); cfIn = flagsIn & 1 (for adc/sbb it
 *            is the point of the case).
 *   flags:   RFLAGS after, as pushfq saw it.
 *   mask:    the flags the Intel SDM defines for this instruction with these
 *            operands (a flag the instruction leaves unchanged is defined: it
 *            must equal flagsIn). Compare only (flags & mask).
 *   fault:   "#DE" for a division the generator did not run because the CPU
 *            would raise a divide error (divisor 0 or quotient too large);
 *            such a case has no result or flags.
 *
 * Deterministic: fixed operand lists, no random numbers, no time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

/* RFLAGS bits */
#define CF 0x001
#define PF 0x004
#define AF 0x010
#define ZF 0x040
#define SF 0x080
#define OF 0x800
#define ARITH (CF | PF | AF | ZF | SF | OF)	/* 0x8d5 */
#define BASE_FLAGS 0x202			/* IF (user mode has it set) + bit 1 */

struct regs {
	uint64_t rax, rcx, rdx, flags;		/* in */
	uint64_t orax, orcx, ordx, oflags;	/* out */
	uint64_t start, end;			/* the instruction's address range */
};

/*
 * Load RAX, RCX, RDX and RFLAGS, run the instruction between labels 1 and 2,
 * save them back. Built with -masm=intel -mno-red-zone (push/pop below rsp
 * would otherwise clobber the red zone).
 */
#define RUN(insn)							\
	asm volatile(							\
		"mov rax, [%0]\n\t"					\
		"mov rcx, [%0+8]\n\t"					\
		"mov rdx, [%0+16]\n\t"					\
		"push qword ptr [%0+24]\n\t"				\
		"popfq\n"						\
		"1:\t" insn "\n"					\
		"2:\tpushfq\n\t"					\
		"pop qword ptr [%0+56]\n\t"				\
		"mov [%0+32], rax\n\t"					\
		"mov [%0+40], rcx\n\t"					\
		"mov [%0+48], rdx\n\t"					\
		"lea rax, 1b[rip]\n\t"					\
		"mov [%0+64], rax\n\t"					\
		"lea rax, 2b[rip]\n\t"					\
		"mov [%0+72], rax\n\t"					\
		: : "r" (r) : "rax", "rcx", "rdx", "memory", "cc")

/* One template per instruction form; names are op_size[_iN]. */
#define SIZES(T, name, fmt8, fmt16, fmt32, fmt64)			\
	T(name##_8, fmt8) T(name##_16, fmt16) T(name##_32, fmt32) T(name##_64, fmt64)
#define BIN(T, op)	SIZES(T, op, #op " al, cl", #op " ax, cx", #op " eax, ecx", #op " rax, rcx")
#define UN(T, op)	SIZES(T, op, #op " al", #op " ax", #op " eax", #op " rax")
#define ONE(T, op)	SIZES(T, op, #op " cl", #op " cx", #op " ecx", #op " rcx")
#define SHCL(T, op)	SIZES(T, op, #op " al, cl", #op " ax, cl", #op " eax, cl", #op " rax, cl")
#define SHI(T, op, n)	SIZES(T, op##_i##n, #op " al, " #n, #op " ax, " #n, #op " eax, " #n, #op " rax, " #n)
#define SHIALL(T, op)	SHI(T, op, 0) SHI(T, op, 1) SHI(T, op, 2) SHI(T, op, 7) \
			SHI(T, op, 8) SHI(T, op, 31) SHI(T, op, 63) SHI(T, op, 64)
#define W3(T, op)	T(op##_16, #op " ax, cx") T(op##_32, #op " eax, ecx") T(op##_64, #op " rax, rcx")

#define TEMPLATES(T)							\
	BIN(T, add) BIN(T, adc) BIN(T, sub) BIN(T, sbb)			\
	BIN(T, and) BIN(T, or) BIN(T, xor) BIN(T, cmp) BIN(T, test)	\
	BIN(T, xadd)							\
	SIZES(T, cmpxchg, "cmpxchg cl, dl", "cmpxchg cx, dx",		\
	      "cmpxchg ecx, edx", "cmpxchg rcx, rdx")			\
	UN(T, inc) UN(T, dec) UN(T, neg) UN(T, not)			\
	SHCL(T, shl) SHCL(T, shr) SHCL(T, sar) SHCL(T, rol) SHCL(T, ror)	\
	SHIALL(T, shl) SHIALL(T, shr) SHIALL(T, sar) SHIALL(T, rol) SHIALL(T, ror) \
	W3(T, imul) ONE(T, mul) ONE(T, div) ONE(T, idiv)		\
	T(imul1_8, "imul cl") T(imul1_16, "imul cx")			\
	T(imul1_32, "imul ecx") T(imul1_64, "imul rcx")			\
	W3(T, bt) W3(T, bts) W3(T, btr)					\
	T(cbw_16, "cbw") T(cwde_32, "cwde") T(cdqe_64, "cdqe")		\
	T(cwd_16, "cwd") T(cdq_32, "cdq") T(cqo_64, "cqo")

#define DEFINE(name, text) \
	static __attribute__((noinline)) void run_##name(struct regs *r) { RUN(text); }
TEMPLATES(DEFINE)

struct tmpl {
	const char *name, *text;
	void (*run)(struct regs *);
};
#define ENTRY(name, text) { #name, text, run_##name },
static const struct tmpl templates[] = { TEMPLATES(ENTRY) };

static const struct tmpl *find(const char *name)
{
	for (size_t i = 0; i < sizeof(templates) / sizeof(templates[0]); i++)
		if (!strcmp(templates[i].name, name))
			return &templates[i];
	fprintf(stderr, "gen: no template %s\n", name);
	exit(1);
}

/* ---- operands ----------------------------------------------------------- */

static uint64_t szmask(int size)
{
	return size == 64 ? ~0ULL : (1ULL << size) - 1;
}

static int64_t sx(uint64_t v, int size)	/* sign-extend the low `size` bits */
{
	return size == 64 ? (int64_t)v : (int64_t)(v << (64 - size)) >> (64 - size);
}

/* Edge values and random-looking fixed constants, cut to the operand size. */
static const uint64_t raw_values[] = {
	0, 1, 0x7fffffffffffffffULL /* MAX, cut per size below */, 0 /* MIN */,
	~0ULL, 0x0123456789abcdefULL, 0xdeadbeefcafebabeULL, 0x00000001ffffffffULL,
};
#define NRAW (sizeof(raw_values) / sizeof(raw_values[0]))

static int values(int size, uint64_t *out)
{
	int n = 0;

	for (size_t i = 0; i < NRAW; i++) {
		uint64_t v = raw_values[i] & szmask(size);
		if (i == 2)
			v = szmask(size) >> 1;			/* 0x7f… */
		if (i == 3)
			v = 1ULL << (size - 1);			/* 0x80… */
		int dup = 0;
		for (int j = 0; j < n; j++)
			dup |= out[j] == v;
		if (!dup)
			out[n++] = v;
	}
	return n;
}

/* What the bits above the operand hold in each input register. */
#define UPPER_A 0xa5a5a5a5a5a5a5a5ULL
#define UPPER_B 0x3c3c3c3c3c3c3c3cULL
#define UPPER_D 0x9696969696969696ULL

static uint64_t place(uint64_t v, int size, uint64_t upper)
{
	return (upper & ~szmask(size)) | (v & szmask(size));
}

/* Rotating input flag patterns, so "unchanged" flags are really tested. */
static const uint64_t flag_patterns[] = { 0, ARITH, PF | AF | ZF | SF, CF | OF, ZF, CF | SF };
static unsigned case_no;

static uint64_t next_flags(void)
{
	return BASE_FLAGS | flag_patterns[case_no++ % (sizeof(flag_patterns) / sizeof(flag_patterns[0]))];
}

/* ---- output ------------------------------------------------------------- */

static int first = 1;
static unsigned excluded;

struct io {
	int has_b, has_d, out_d, out_c;	/* which registers are inputs / outputs */
	int imm;			/* an immediate count: 1 + the count, or 0 */
};

static void begin(const char *op, int size, const struct tmpl *t, const struct regs *r,
		  const struct io *io)
{
	printf("%s{\"op\":\"%s\",\"size\":%d,\"asm\":\"%s\"", first ? "[\n" : ",\n",
	       op, size, t->text);
	first = 0;
	/* the instruction's bytes, as the CPU just ran them */
	struct regs probe = *r;
	t->run(&probe);
	printf(",\"code\":\"");
	for (const unsigned char *p = (const unsigned char *)probe.start;
	     p < (const unsigned char *)probe.end; p++)
		printf("%02x", *p);
	printf("\",\"a\":\"0x%llx\"", (unsigned long long)r->rax);
	if (io->has_b)
		printf(",\"b\":\"0x%llx\"", (unsigned long long)r->rcx);
	if (io->has_d)
		printf(",\"d\":\"0x%llx\"", (unsigned long long)r->rdx);
	if (io->imm)
		printf(",\"imm\":%d", io->imm - 1);
	printf(",\"cfIn\":%d,\"flagsIn\":\"0x%llx\"", (int)(r->flags & CF),
	       (unsigned long long)r->flags);
}

/* Run the case and print it. */
static void emit(const char *op, int size, const char *tname, struct regs *r,
		 const struct io *io, uint64_t mask)
{
	const struct tmpl *t = find(tname);

	begin(op, size, t, r, io);
	t->run(r);
	printf(",\"result\":\"0x%llx\"", (unsigned long long)r->orax);
	if (io->out_d)
		printf(",\"resultHi\":\"0x%llx\"", (unsigned long long)r->ordx);
	if (io->out_c)
		printf(",\"result2\":\"0x%llx\"", (unsigned long long)r->orcx);
	printf(",\"flags\":\"0x%llx\",\"mask\":\"0x%llx\"}",
	       (unsigned long long)r->oflags, (unsigned long long)mask);
	/* Registers the instruction must not touch. */
	if ((!io->out_c && r->orcx != r->rcx) || (!io->out_d && r->ordx != r->rdx)) {
		fprintf(stderr, "gen: %s wrote a register it should not\n", t->text);
		exit(1);
	}
}

/* The probe in begin() runs the instruction once: never for a #DE case. */
static void emit_div_fault(const char *op, int size, const char *tname, struct regs *r,
			   const struct io *io)
{
	/* Print without probing: reuse the bytes of a harmless run. */
	struct regs safe = *r;
	safe.rax = 0;				/* 0 / 1 never faults */
	safe.rdx = 0;
	safe.rcx = 1;
	const struct tmpl *t = find(tname);
	t->run(&safe);
	printf("%s{\"op\":\"%s\",\"size\":%d,\"asm\":\"%s\",\"code\":\"", first ? "[\n" : ",\n",
	       op, size, t->text);
	first = 0;
	for (const unsigned char *p = (const unsigned char *)safe.start;
	     p < (const unsigned char *)safe.end; p++)
		printf("%02x", *p);
	printf("\",\"a\":\"0x%llx\",\"b\":\"0x%llx\"", (unsigned long long)r->rax,
	       (unsigned long long)r->rcx);
	if (io->has_d)
		printf(",\"d\":\"0x%llx\"", (unsigned long long)r->rdx);
	printf(",\"cfIn\":%d,\"flagsIn\":\"0x%llx\",\"fault\":\"#DE\"}", (int)(r->flags & CF),
	       (unsigned long long)r->flags);
	excluded++;
}

static const int all_sizes[] = { 8, 16, 32, 64 };
static const int wide_sizes[] = { 16, 32, 64 };

static void tname(char *buf, const char *op, int size, const char *suffix)
{
	sprintf(buf, "%s_%d%s", op, size, suffix ? suffix : "");
}

/* ---- the cases ---------------------------------------------------------- */

/* add adc sub sbb and or xor cmp test xadd cmpxchg, imul (two operands) */
static void binary(const char *op, const char *tmpl, const int *sizes, int nsizes,
		   uint64_t mask, int cf_forced, const struct io *io)
{
	uint64_t v[NRAW];
	char tn[32];

	for (int si = 0; si < nsizes; si++) {
		int size = sizes[si], n = values(size, v);
		tname(tn, tmpl, size, NULL);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++) {
				struct regs r = { 0 };
				r.rax = place(v[i], size, UPPER_A);
				r.rcx = place(v[j], size, UPPER_B);
				/* cmpxchg's source: a value unlike both */
				r.rdx = place(0x5a5a5a5a5a5a5a5aULL ^ v[i], size, UPPER_D);
				r.flags = next_flags();
				if (cf_forced >= 0)
					r.flags = (r.flags & ~(uint64_t)CF) | (uint64_t)cf_forced;
				emit(op, size, tn, &r, io, mask);
			}
	}
}

static void unary(const char *op, uint64_t mask, int both_cf)
{
	uint64_t v[NRAW];
	char tn[32];
	static const struct io io = { 0 };

	for (int si = 0; si < 4; si++) {
		int size = all_sizes[si], n = values(size, v);
		tname(tn, op, size, NULL);
		for (int i = 0; i < n; i++)
			for (int cf = 0; cf <= both_cf; cf++) {
				struct regs r = { 0 };
				r.rax = place(v[i], size, UPPER_A);
				r.rcx = UPPER_B;
				r.rdx = UPPER_D;
				r.flags = next_flags();
				if (both_cf)
					r.flags = (r.flags & ~(uint64_t)CF) | (uint64_t)cf;
				emit(op, size, tn, &r, &io, mask);
			}
	}
}

static const int counts[] = { 0, 1, 2, 7, 8, 31, 63, 64 };

/* The flags the SDM defines after a shift or rotate (Vol. 2B, SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR). */
static uint64_t shift_mask(const char *op, int size, unsigned count)
{
	unsigned masked = count & (size == 64 ? 63 : 31);
	int rotate = op[0] == 'r';

	if (masked == 0)
		return ARITH;			/* flags not affected */
	if (rotate) {
		/* only CF and OF change; OF is defined for a 1-bit rotate only */
		return masked == 1 ? ARITH : ARITH & ~(uint64_t)OF;
	}
	uint64_t m = SF | ZF | PF | CF;		/* AF undefined for a non-zero count */
	if (masked == 1)
		m |= OF;
	/* CF is undefined for SHL/SHR when the count >= the operand size */
	if (strcmp(op, "sar") && masked >= (unsigned)size)
		m &= ~(uint64_t)CF;
	return m;
}

static void shifts(const char *op)
{
	uint64_t v[NRAW];
	char tn[32];
	static const struct io io_cl = { .has_b = 1 };

	for (int si = 0; si < 4; si++) {
		int size = all_sizes[si], n = values(size, v);
		for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
			for (int i = 0; i < n; i++) {
				struct regs r = { 0 };
				/* by CL: the count register's other bits must not matter */
				r.rax = place(v[i], size, UPPER_A);
				r.rcx = (UPPER_B & ~0xffULL) | counts[c];
				r.rdx = UPPER_D;
				r.flags = next_flags();
				tname(tn, op, size, NULL);
				emit(op, size, tn, &r, &io_cl, shift_mask(op, size, counts[c]));
			}
			/* by an immediate (count 1 assembles to the D0/D1 form) */
			for (int i = 0; i < n; i += 2) {
				struct regs r = { 0 };
				struct io io_imm = { .imm = 1 + counts[c] };
				r.rax = place(v[i], size, UPPER_A);
				r.rcx = UPPER_B;
				r.rdx = UPPER_D;
				r.flags = next_flags();
				/* template names are op_iN_size */
				sprintf(tn, "%s_i%d_%d", op, counts[c], size);
				emit(op, size, tn, &r, &io_imm, shift_mask(op, size, counts[c]));
			}
		}
	}
}

/* mul, imul (one operand): RDX:RAX (AX at 8 bits) = RAX * RCX */
static void multiply(const char *op, const char *tmpl)
{
	uint64_t v[NRAW];
	char tn[32];

	for (int si = 0; si < 4; si++) {
		int size = all_sizes[si], n = values(size, v);
		/* RDX is listed as an input: at 16 bits its upper bits survive */
		struct io io = { .has_b = 1, .has_d = size != 8, .out_d = size != 8 };
		tname(tn, tmpl, size, NULL);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++) {
				struct regs r = { 0 };
				r.rax = place(v[i], size, UPPER_A);
				r.rcx = place(v[j], size, UPPER_B);
				r.rdx = UPPER_D;
				r.flags = next_flags();
				emit(op, size, tn, &r, &io, CF | OF);
			}
	}
}

/* div, idiv: (high:low) / RCX; #DE cases are listed, not run */
static void divide(const char *op)
{
	uint64_t v[NRAW];
	char tn[32];
	int sign = op[0] == 'i';

	for (int si = 0; si < 4; si++) {
		int size = all_sizes[si], n = values(size, v);
		uint64_t m = szmask(size);
		struct io io = { .has_b = 1, .has_d = size != 8, .out_d = size != 8 };
		tname(tn, op, size, NULL);
		for (int i = 0; i < n; i++)
			for (int h = 0; h < 3; h++)
				for (int j = 0; j < n; j++) {
					uint64_t lo = v[i], hi, divisor = v[j];
					/*
					 * high half: 0, 1, then 0x5a… (div) or all ones (idiv);
					 * 0 and all ones include what cqo/cdq/cwd would make
					 */
					if (h == 0)
						hi = 0;
					else if (h == 1)
						hi = 1;
					else
						hi = sign ? m : 0x5a5a5a5a5a5a5a5aULL & m;
					struct regs r = { 0 };
					if (size == 8) {
						r.rax = place(lo | hi << 8, 16, UPPER_A);
						r.rdx = UPPER_D;
					} else {
						r.rax = place(lo, size, UPPER_A);
						r.rdx = place(hi, size, UPPER_D);
					}
					r.rcx = place(divisor, size, UPPER_B);
					r.flags = next_flags();
					/* Would the CPU raise #DE? Decide in 128-bit arithmetic. */
					int fault;
					if (divisor == 0) {
						fault = 1;
					} else if (!sign) {
						unsigned __int128 num = ((unsigned __int128)hi << size) | lo;
						fault = num / divisor > m;
					} else {
						__int128 num = (__int128)sx(hi, size) * ((__int128)1 << size)
							       + (__int128)lo;
						__int128 q = num / sx(divisor, size);
						__int128 lim = (__int128)1 << (size - 1);
						fault = q >= lim || q < -lim;
					}
					if (fault)
						emit_div_fault(op, size, tn, &r, &io);
					else
						emit(op, size, tn, &r, &io, 0);
				}
	}
}

/* bt, bts, btr with a register bit offset (taken modulo the operand size) */
static void bittest(const char *op)
{
	uint64_t v[NRAW];
	char tn[32];
	static const uint64_t offsets[] = { 0, 1, 7, 15, 16, 31, 32, 63, 69, ~0ULL };
	static const struct io io = { .has_b = 1 };

	for (int si = 0; si < 3; si++) {
		int size = wide_sizes[si], n = values(size, v);
		tname(tn, op, size, NULL);
		for (int i = 0; i < n; i++)
			for (size_t j = 0; j < sizeof(offsets) / sizeof(offsets[0]); j++) {
				struct regs r = { 0 };
				r.rax = place(v[i], size, UPPER_A);
				r.rcx = place(offsets[j], size, UPPER_B);
				r.rdx = UPPER_D;
				r.flags = next_flags();
				/* CF = the bit; ZF unaffected; OF SF AF PF undefined */
				emit(op, size, tn, &r, &io, CF | ZF);
			}
	}
}

/* cbw cwde cdqe (RAX from AL/AX/EAX), cwd cdq cqo (RDX from the sign of RAX) */
static void convert(const char *op, int size, int writes_d)
{
	uint64_t v[NRAW];
	char tn[32];
	struct io io = { .has_d = writes_d, .out_d = writes_d };
	int src = writes_d ? size : size / 2;	/* the bits that are read */
	int n = values(src, v);

	tname(tn, op, size, NULL);
	for (int i = 0; i < n; i++) {
		struct regs r = { 0 };
		r.rax = place(v[i], src, UPPER_A);
		r.rcx = UPPER_B;
		r.rdx = UPPER_D;
		r.flags = next_flags();
		emit(op, size, tn, &r, &io, ARITH);	/* no flag is affected */
	}
}

int main(void)
{
	static const struct io rw = { .has_b = 1 }, rw_x = { .has_b = 1, .out_c = 1 },
		cx = { .has_b = 1, .has_d = 1, .out_c = 1 };
	const uint64_t logic = CF | OF | SF | ZF | PF;	/* AF undefined */

	binary("add", "add", all_sizes, 4, ARITH, -1, &rw);
	binary("adc", "adc", all_sizes, 4, ARITH, 0, &rw);
	binary("adc", "adc", all_sizes, 4, ARITH, 1, &rw);
	binary("sub", "sub", all_sizes, 4, ARITH, -1, &rw);
	binary("sbb", "sbb", all_sizes, 4, ARITH, 0, &rw);
	binary("sbb", "sbb", all_sizes, 4, ARITH, 1, &rw);
	binary("and", "and", all_sizes, 4, logic, -1, &rw);
	binary("or", "or", all_sizes, 4, logic, -1, &rw);
	binary("xor", "xor", all_sizes, 4, logic, -1, &rw);
	binary("cmp", "cmp", all_sizes, 4, ARITH, -1, &rw);
	binary("test", "test", all_sizes, 4, logic, -1, &rw);
	binary("xadd", "xadd", all_sizes, 4, ARITH, -1, &rw_x);
	binary("cmpxchg", "cmpxchg", all_sizes, 4, ARITH, -1, &cx);
	unary("inc", ARITH, 1);		/* CF unaffected: try both */
	unary("dec", ARITH, 1);
	unary("neg", ARITH, 0);
	unary("not", ARITH, 0);		/* no flag affected */
	shifts("shl");
	shifts("shr");
	shifts("sar");
	shifts("rol");
	shifts("ror");
	binary("imul", "imul", wide_sizes, 3, CF | OF, -1, &rw);	/* imul r, r/m */
	multiply("imul1", "imul1");					/* imul r/m */
	multiply("mul", "mul");
	divide("div");
	divide("idiv");
	bittest("bt");
	bittest("bts");
	bittest("btr");
	convert("cbw", 16, 0);
	convert("cwde", 32, 0);
	convert("cdqe", 64, 0);
	convert("cwd", 16, 1);
	convert("cdq", 32, 1);
	convert("cqo", 64, 1);
	printf("\n]\n");
	fprintf(stderr, "gen: %u cases, %u of them #DE (not run)\n", case_no, excluded);
	return 0;
}
