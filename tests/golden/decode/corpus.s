# Instruction corpus for the decoder's golden test (tests/unit/decode-golden.test.ts).
# Assembled by scripts/golden/decode-corpus.sh with GNU as 2.40 (`as --64`); the test reads only
# corpus.objdump.txt, the `objdump -d -M intel -w` listing of the object. Every instruction in
# .text.* sections must decode to the same boundaries and text; everything in .text.unmodelled
# must decode as "unmodelled". Raw `.byte` lines pin encodings gas would not choose itself.
	.intel_syntax noprefix

# ---------------------------------------------------------------- prefixes, nops, endbr
	.section .text.nops, "ax"
nops:
	endbr64
	nop
	xchg ax, ax
	pause
	.byte 0x0f, 0x1f, 0x00
	.byte 0x0f, 0x1f, 0x40, 0x00
	.byte 0x0f, 0x1f, 0x44, 0x00, 0x00
	.byte 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00
	.byte 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00
	.byte 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00
	.byte 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00
	.byte 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00
	.byte 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00
	.byte 0x66, 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00
	.byte 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00
	.irp n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 31, 33
	.nops \n
	.endr
	.p2align 4
	ret
	.p2align 5, 0xcc
	.byte 0x66, 0x66, 0x90
	.byte 0x48, 0x90
	.byte 0x40, 0x90
	.byte 0x44, 0x90
	.byte 0xf3, 0x48, 0x90
	.byte 0x0f, 0x1f, 0xc0
	.byte 0x66, 0x0f, 0x1f, 0xc0
	.byte 0x48, 0x0f, 0x1f, 0x00
	.byte 0x66, 0x48, 0x0f, 0x1f, 0x00
	.byte 0x0f, 0x1f, 0x48, 0x00
	.byte 0x0f, 0x19, 0x00
	.byte 0x0f, 0x1d, 0x00
	.byte 0x0f, 0x1e, 0xfa
	.byte 0x48, 0x0f, 0x1e, 0xfa
	.byte 0xf2, 0x0f, 0x1e, 0xfa
	.byte 0x66, 0xf3, 0x0f, 0x1e, 0xfa
	.byte 0xf3, 0x66, 0x0f, 0x1e, 0xfa
	.byte 0xf3, 0x48, 0x0f, 0x1e, 0xfa
	endbr32
	.byte 0x64, 0x90
	.byte 0x2e, 0x90
	.byte 0x3e, 0x90
	.byte 0x26, 0x90
	.byte 0x36, 0x90
	.byte 0x67, 0x90
	.byte 0xf2, 0x90

# ---------------------------------------------------------------- registers of every size
	.section .text.regs, "ax"
regs:
	.irp r, rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15
	mov \r, rax
	mov rcx, \r
	{load} mov r9, \r
	.endr
	.irp r, eax, ecx, edx, ebx, esp, ebp, esi, edi, r8d, r9d, r10d, r11d, r12d, r13d, r14d, r15d
	mov \r, eax
	{load} mov r11d, \r
	.endr
	.irp r, ax, cx, dx, bx, sp, bp, si, di, r8w, r9w, r10w, r11w, r12w, r13w, r14w, r15w
	mov \r, ax
	mov r12w, \r
	.endr
	.irp r, al, cl, dl, bl, spl, bpl, sil, dil, r8b, r9b, r10b, r11b, r12b, r13b, r14b, r15b
	mov \r, al
	mov r13b, \r
	{load} mov \r, cl
	.endr
	.irp r, ah, ch, dh, bh
	mov \r, al
	mov bl, \r
	{load} mov dh, \r
	.endr
	.byte 0x40, 0x88, 0xc0
	.byte 0x40, 0x88, 0xe0
	.byte 0x40, 0x89, 0xc6
	.byte 0x42, 0x8b, 0x00
	.byte 0x41, 0x8b, 0x05, 0x00, 0x00, 0x00, 0x00
	.byte 0x44, 0x88, 0xc0

# ---------------------------------------------------------------- addressing modes
	.section .text.addr, "ax"
addr:
	.irp b, rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15
	mov eax, DWORD PTR [\b]
	mov rax, QWORD PTR [\b+0x8]
	mov rax, QWORD PTR [\b-0x8]
	mov rax, QWORD PTR [\b+0x80]
	mov rax, QWORD PTR [\b-0x81]
	mov rax, QWORD PTR [\b+0x7f]
	mov rax, QWORD PTR [\b-0x80]
	mov BYTE PTR [\b+0x12345678], cl
	.endr
	.irp i, rax, rcx, rdx, rbx, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15
	mov eax, DWORD PTR [rbx+\i*1]
	mov eax, DWORD PTR [rsp+\i*2+0x10]
	mov eax, DWORD PTR [rbp+\i*4]
	mov eax, DWORD PTR [r13+\i*8-0x10]
	mov eax, DWORD PTR [r12+\i*8]
	mov eax, DWORD PTR [\i*8+0x1000]
	mov eax, DWORD PTR [\i*4-0x4]
	lea rax, [\i+\i*2]
	.endr
	mov eax, DWORD PTR ds:0x1234
	mov eax, DWORD PTR ds:-16
	mov eax, DWORD PTR ds:0x7fffffff
	mov eax, DWORD PTR ds:-0x80000000
	mov rax, QWORD PTR fs:0x0
	mov rax, QWORD PTR gs:0x28
	mov rax, QWORD PTR gs:[rip+0x0]
	mov eax, DWORD PTR fs:[rax+0x8]
	mov eax, DWORD PTR gs:[rax*8+0x10]
	add QWORD PTR gs:[rbx], 1
	mov rax, QWORD PTR [rip+0x0]
	mov rax, QWORD PTR [rip-0x10]
	mov rax, QWORD PTR [rip+0x7fffffff]
	mov rax, QWORD PTR [rip-0x80000000]
	lea rdi, [rip+0x100]
	cmp QWORD PTR [rip+0x0], 0x12345678
	cmp WORD PTR [rip+0x0], 0x1
	mov BYTE PTR [rip+0x0], 0x12
	test DWORD PTR [rip+0x0], 0x1
	bt QWORD PTR [rip+0x0], 0x3f
	mov eax, DWORD PTR [eax]
	mov eax, DWORD PTR [r8d+ecx*4+0x10]
	mov eax, DWORD PTR [eip+0x10]
	mov eax, DWORD PTR [esp]
	.byte 0x8d, 0x04, 0x60
	.byte 0x8d, 0x04, 0x20
	.byte 0x8d, 0x44, 0x20, 0x01
	.byte 0x8d, 0x04, 0x65, 0x00, 0x00, 0x00, 0x00
	.byte 0x8d, 0x04, 0x05, 0x00, 0x00, 0x00, 0x00
	.byte 0x8d, 0x44, 0x25, 0x00
	.byte 0x42, 0x8d, 0x04, 0x20
	.byte 0x43, 0x8d, 0x04, 0x24
	.byte 0x4b, 0x8d, 0x04, 0xec
	.byte 0x67, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x00
	.byte 0x64, 0x8b, 0x04, 0x25, 0xf0, 0xff, 0xff, 0xff
	.byte 0x2e, 0x8b, 0x00
	.byte 0x3e, 0x8b, 0x00
	.byte 0x26, 0x8b, 0x00
	.byte 0x36, 0x8b, 0x00
	.byte 0x64, 0x65, 0x8b, 0x00
	.byte 0x65, 0x64, 0x8b, 0x00
	.byte 0x2e, 0x8b, 0x04, 0x25, 0x10, 0x00, 0x00, 0x00

# ---------------------------------------------------------------- data movement
	.section .text.mov, "ax"
movs:
	mov rax, -1
	mov eax, -1
	mov ax, -1
	mov al, -1
	mov r10d, 0x12345678
	mov r15w, 0x1234
	mov r11b, 0x7f
	mov spl, 1
	movabs rax, 0x1122334455667788
	movabs r13, 0xffffffff80000000
	movabs rcx, 0x0
	mov BYTE PTR [rdi], 1
	mov WORD PTR [rdi], 1
	mov DWORD PTR [rdi], 0x80000000
	mov QWORD PTR [rdi], -1
	mov QWORD PTR [rsp+0x8], 0x7fffffff
	mov QWORD PTR [rbp-0x18], rdi
	mov DWORD PTR [rbp-0x1c], esi
	mov WORD PTR [rbx+0x2], ax
	mov BYTE PTR [r12+0x3], r8b
	mov sil, BYTE PTR [rdi]
	mov r9w, WORD PTR [rsi+rdx*2]
	.byte 0xa0, 0x00, 0x00, 0x60, 0xff, 0xff, 0xff, 0xff, 0xff
	.byte 0xa1, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
	.byte 0x48, 0xa1, 0x00, 0x10, 0x00, 0x81, 0xff, 0xff, 0xff, 0xff
	.byte 0x66, 0xa3, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
	.byte 0xa2, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00
	.byte 0x64, 0x48, 0xa1, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
	.byte 0x67, 0xa0, 0x10, 0x00, 0x00, 0x00
	.byte 0x67, 0x48, 0xa3, 0x00, 0x00, 0x00, 0x80
	mov eax, ds
	mov rax, ds
	mov ax, fs
	mov WORD PTR [rax], fs
	mov ds, eax
	mov ss, ax
	mov es, rax
	mov fs, WORD PTR [rax]
	mov gs, WORD PTR [rbp-0x2]
	movzx eax, BYTE PTR [rdi]
	movzx eax, al
	movzx eax, ah
	movzx r8d, sil
	movzx eax, WORD PTR [rdi]
	movzx rax, ax
	movzx ax, al
	movzx rcx, BYTE PTR [rip+0x0]
	movsx rax, BYTE PTR [rdi]
	movsx eax, ah
	movsx ax, BYTE PTR [rdi]
	movsx rax, ax
	movsx r15d, WORD PTR [r14+0x8]
	movsxd rax, edi
	movsxd rax, DWORD PTR [rdi]
	movsxd r12, r13d
	movsxd rdx, DWORD PTR [rip+0x0]
	.byte 0x63, 0xc7
	lea rax, [rdi+rsi*1]
	lea eax, [rdi+0x1]
	lea ax, [rax]
	lea r8, [rip+0x0]
	lea rsp, [rsp-0x8]
	.byte 0x48, 0x8d, 0x04, 0x25, 0x10, 0x00, 0x00, 0x00
	push rax
	push r12
	push r15
	pop rbx
	pop r8
	push ax
	push r8w
	pop si
	push 1
	push -1
	push 0x1000
	push -0x80000000
	pushw 1
	pushw 0x1234
	push QWORD PTR [rip+0x0]
	push QWORD PTR [rsp+0x8]
	pop QWORD PTR [rdi]
	.byte 0x66, 0xff, 0x30
	.byte 0x66, 0x8f, 0x00
	.byte 0x41, 0x8f, 0xc0
	pushfq
	popfq
	.byte 0x66, 0x9c
	.byte 0x66, 0x9d
	push fs
	push gs
	pop fs
	pop gs
	pushw fs
	popw gs
	cbw
	cwde
	cdqe
	cwd
	cdq
	cqo
	xchg eax, ecx
	xchg ecx, eax
	xchg rcx, rax
	xchg r8, rax
	xchg r8d, eax
	xchg r8w, ax
	xchg r9d, eax
	xchg ax, dx
	xchg rdx, rsi
	xchg [rdi], eax
	xchg [rdi], al
	xchg ah, al
	xchg WORD PTR [rdi], ax
	xchg QWORD PTR [rip+0x0], r11
	lock xchg [rdi], eax
	xadd [rdi], eax
	xadd al, bl
	lock xadd DWORD PTR [rdi], eax
	lock xadd QWORD PTR [rip+0x0], rax
	lock xadd BYTE PTR [rsi], cl
	cmpxchg [rdi], ecx
	cmpxchg cl, dl
	lock cmpxchg QWORD PTR [rdi], rdx
	lock cmpxchg WORD PTR [rdi], dx
	lock cmpxchg BYTE PTR [rdi], cl
	cmpxchg8b QWORD PTR [rdi]
	lock cmpxchg8b QWORD PTR [rdi+0x8]
	cmpxchg16b XMMWORD PTR [rdi]
	lock cmpxchg16b XMMWORD PTR [rsp]
	bswap eax
	bswap r12
	bswap rdi
	.byte 0x48, 0x50
	.byte 0x66, 0x48, 0x50
	.byte 0x48, 0x6a, 0x01
	.byte 0x48, 0x68, 0x01, 0x00, 0x00, 0x00
	.byte 0x66, 0x48, 0x68, 0x01, 0x00, 0x00, 0x00
	.byte 0x48, 0x0f, 0xa0
	.byte 0x66, 0x0f, 0xa1
	.byte 0x48, 0x8c, 0x18
	.byte 0x48, 0x9c
	.byte 0x66, 0x88, 0xc0
	.byte 0x66, 0x48, 0x8b, 0x00
	.byte 0x66, 0x66, 0x8b, 0x00
	.byte 0x66, 0x48, 0x98

# ---------------------------------------------------------------- arithmetic and logic
	.section .text.alu, "ax"
alu:
	.irp op, add, or, adc, sbb, and, sub, xor, cmp
	\op al, cl
	\op ax, cx
	\op eax, ecx
	\op rax, rcx
	{load} \op al, cl
	{load} \op r8w, r9w
	{load} \op eax, ecx
	{load} \op r10, rcx
	\op BYTE PTR [rdi], sil
	\op DWORD PTR [rdi+0x8], eax
	\op QWORD PTR [rbp-0x10], r9
	\op WORD PTR [rax], dx
	\op cl, BYTE PTR [rdi]
	\op eax, DWORD PTR [rip+0x0]
	\op r12, QWORD PTR [rsp+0x18]
	\op al, 0x7f
	\op ax, 0x1234
	\op eax, 0x12345678
	\op rax, -0x12345678
	\op bl, 0x80
	\op r9b, 1
	\op cx, 0x1234
	\op ecx, 0x80
	\op rdx, 0x7fffffff
	\op r11, -0x80000000
	\op ecx, 1
	\op eax, -1
	\op rax, -1
	\op ax, -1
	\op r13w, 0x7f
	\op BYTE PTR [rdi], 1
	\op WORD PTR [rdi], 0x100
	\op DWORD PTR [rdi], 0x100
	\op QWORD PTR [rdi], 0x100
	\op DWORD PTR [rdi], -2
	\op QWORD PTR [rsp+0x10], 8
	\op WORD PTR [rip+0x0], -1
	.endr
	.irp op, add, or, adc, sbb, and, sub, xor
	lock \op DWORD PTR [rdi], eax
	lock \op BYTE PTR [rdi], 1
	lock \op QWORD PTR [rdi], 0x1000
	lock \op WORD PTR [rip+0x0], 2
	.endr
	and rsp, -16
	test al, 1
	test ax, 0x100
	test eax, 0x100
	test rax, 0x100
	test rax, -1
	test BYTE PTR [rdi], 1
	test WORD PTR [rdi], 0x8000
	test QWORD PTR [rdi+0x8], 0x10
	test eax, eax
	test r8b, r8b
	test sil, dil
	test ah, al
	test QWORD PTR [rdi], rax
	test bl, 0x40
	test r10d, 0x12345
	.byte 0xf6, 0xc8, 0x01
	.byte 0xf7, 0x08, 0x01, 0x00, 0x00, 0x00
	.irp op, inc, dec, neg, not
	\op al
	\op ah
	\op r9b
	\op cx
	\op eax
	\op r14
	\op BYTE PTR [rdi]
	\op WORD PTR [rdi]
	\op DWORD PTR [rdi+rcx*4]
	\op QWORD PTR [rip+0x0]
	lock \op QWORD PTR [rdi]
	lock \op BYTE PTR [rsi+0x1]
	.endr
	.irp op, mul, imul, div, idiv
	\op cl
	\op cx
	\op ecx
	\op rcx
	\op r8
	\op BYTE PTR [rdi]
	\op WORD PTR [rdi]
	\op DWORD PTR [rdi]
	\op QWORD PTR [rsp+0x8]
	.endr
	imul eax, ecx
	imul ax, cx
	imul rax, QWORD PTR [rdi]
	imul r12, r13
	imul eax, ecx, 100
	imul eax, ecx, 1000
	imul ax, cx, -1
	imul ax, cx, 0x1234
	imul rax, QWORD PTR [rdi], -1
	imul rdx, rax, 0x7fffffff
	imul r8d, DWORD PTR [rip+0x0], 0x10
	imul r9, QWORD PTR [rip+0x0], 0x12345

# ---------------------------------------------------------------- shifts, rotates, bits
	.section .text.shift, "ax"
shift:
	.irp op, rol, ror, rcl, rcr, shl, shr, sar
	\op al, 1
	\op ax, 1
	\op eax, 1
	\op rax, 1
	\op r9, 1
	\op BYTE PTR [rdi], 1
	\op DWORD PTR [rdi], 1
	\op dl, cl
	\op dx, cl
	\op edx, cl
	\op rdx, cl
	\op QWORD PTR [rdi+0x8], cl
	\op bh, 4
	\op bx, 4
	\op ebx, 0x1f
	\op rbx, 0x3f
	\op WORD PTR [rip+0x0], 3
	.endr
	sal eax, 1
	sal rcx, 5
	.byte 0xd1, 0xf0
	.byte 0xc0, 0xf1, 0x02
	shld eax, ecx, 3
	shld rax, rcx, cl
	shld WORD PTR [rdi], ax, 4
	shrd rax, rdx, cl
	shrd edx, eax, 0x1f
	shrd QWORD PTR [rip+0x0], r8, 1
	.irp op, bt, bts, btr, btc
	\op eax, ecx
	\op ax, cx
	\op rax, r10
	\op DWORD PTR [rdi], eax
	\op QWORD PTR [rdi], rax
	\op eax, 31
	\op rax, 5
	\op WORD PTR [rdi], 15
	\op QWORD PTR [rip+0x0], 63
	.endr
	.irp op, bts, btr, btc
	lock \op QWORD PTR [rdi], 3
	lock \op DWORD PTR [rdi], eax
	lock \op QWORD PTR [rip+0x0], 0x3
	.endr
	bsf eax, ecx
	bsf ax, cx
	bsr rax, QWORD PTR [rdi]
	bsr r9d, r10d
	tzcnt eax, ecx
	tzcnt rax, QWORD PTR [rdi]
	lzcnt eax, ecx
	lzcnt r8w, r9w
	popcnt eax, ecx
	popcnt rax, rcx
	rep bsf eax, ecx

# ---------------------------------------------------------------- control transfer
	.section .text.branch, "ax"
branch:
	.byte 0xe8, 0xf0, 0xff, 0xff, 0xff
	.byte 0xe9, 0xf0, 0xff, 0xff, 0xff
	.byte 0xeb, 0x80
	call branch
	call far_away
	jmp branch
	jmp far_away
	jmp near_by
near_by:
	{disp32} jmp near_by
	.irp c, o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g
	j\c near_by
	{disp32} j\c near_by
	j\c far_away
	set\c al
	set\c r9b
	set\c sil
	set\c BYTE PTR [rdi]
	cmov\c eax, ecx
	cmov\c r8w, WORD PTR [rsi]
	cmov\c rax, QWORD PTR [rip+0x0]
	.endr
	jc near_by
	jnae near_by
	jz near_by
	jpe near_by
	jmp rax
	jmp r11
	call rax
	call r15
	call QWORD PTR [rax+0x8]
	call QWORD PTR [rip+0x0]
	jmp QWORD PTR [rip+0x0]
	jmp QWORD PTR [rax*8+0x1000]
	jmp QWORD PTR [r12+rbx*8]
	notrack jmp rax
	notrack call QWORD PTR [rax]
	notrack jmp r11
	bnd jmp rax
	bnd call branch
	bnd ret
	bnd je near_by
	.byte 0xf2, 0xeb, 0x00
	.byte 0xf2, 0x3e, 0xff, 0xe0
	.byte 0x3e, 0x2e, 0xff, 0xe0
	.byte 0x2e, 0xe8, 0x00, 0x00, 0x00, 0x00
	.byte 0x2e, 0xe9, 0x00, 0x00, 0x00, 0x00
	.byte 0x2e, 0x74, 0x00
	.byte 0x3e, 0x74, 0x00
	.byte 0x48, 0xe8, 0x00, 0x00, 0x00, 0x00
	.byte 0x48, 0x74, 0x00
	.byte 0x48, 0xff, 0xe0
	.byte 0x48, 0xff, 0xd0
	.byte 0xf3, 0xe8, 0x00, 0x00, 0x00, 0x00
	ret
	ret 8
	ret 0xffff
	.byte 0xf3, 0xc3
	.byte 0x40, 0xc3
	.byte 0x48, 0xc3
	.byte 0x48, 0xc2, 0x01, 0x00
	leave
	.byte 0x66, 0xc9
	.byte 0x48, 0xc9
	enter 0x10, 0
	enter 0x1000, 3
	.byte 0x66, 0xc8, 0x01, 0x00, 0x02
	.byte 0x48, 0xc8, 0x01, 0x00, 0x02
	.byte 0xcb
	.byte 0xca, 0x08, 0x00
	retfq
	.byte 0x66, 0xcb
	.byte 0x48, 0xca, 0x01, 0x00
	loop 1f
1:	loope 1f
1:	loopne 1b
	jrcxz 1b
	jecxz 1f
1:
	.byte 0x67, 0xe2, 0x00
	.byte 0x48, 0xe3, 0x00
	.skip 0x100, 0x90
far_away:
	int3

# ---------------------------------------------------------------- string instructions and I/O
	.section .text.string, "ax"
string:
	movsb
	movsw
	movsd
	movsq
	rep movsb
	rep movsw
	rep movsd
	rep movsq
	stosb
	stosq
	rep stosb
	rep stosw
	rep stosd
	rep stosq
	lodsb
	lodsw
	lodsd
	lodsq
	rep lodsq
	scasb
	scasq
	repne scasb
	repe scasd
	cmpsb
	cmpsq
	repe cmpsb
	repne cmpsw
	insb
	insw
	insd
	rep insb
	outsb
	outsw
	outsd
	rep outsd
	.byte 0x66, 0xf3, 0xab
	.byte 0xf3, 0x66, 0xab
	.byte 0xf2, 0xa5
	.byte 0xf2, 0xf3, 0xa4
	.byte 0xf3, 0xf3, 0xa4
	.byte 0x64, 0xa4
	.byte 0x65, 0xf3, 0x48, 0xa5
	.byte 0x2e, 0xa4
	.byte 0x67, 0xa4
	.byte 0x67, 0xf3, 0x48, 0xab
	.byte 0x41, 0xa4
	.byte 0x48, 0xa4
	.byte 0x44, 0xab
	xlat
	.byte 0x67, 0xd7
	.byte 0x64, 0xd7
	in al, 0x60
	in ax, 0x60
	in eax, 0xff
	out 0x80, al
	out 0x80, ax
	out 0x0, eax
	in al, dx
	in ax, dx
	in eax, dx
	out dx, al
	out dx, ax
	out dx, eax
	.byte 0x66, 0xe4, 0x60
	.byte 0x48, 0xe5, 0x60
	.byte 0x48, 0xed
	.byte 0x41, 0xec

# ---------------------------------------------------------------- system instructions
	.section .text.system, "ax"
system:
	syscall
	sysretq
	.byte 0x0f, 0x07
	.byte 0x66, 0x0f, 0x07
	sysenter
	.byte 0x0f, 0x35
	.byte 0x48, 0x0f, 0x35
	int 0x80
	int 0x3
	int3
	int1
	iretq
	.byte 0xcf
	.byte 0x66, 0xcf
	.byte 0x66, 0x48, 0xcf
	hlt
	cli
	sti
	clc
	stc
	cmc
	cld
	std
	lahf
	sahf
	swapgs
	stac
	clac
	ud2
	.byte 0x66, 0x0f, 0x0b
	.byte 0xf3, 0x0f, 0x0b
	ud1 eax, DWORD PTR [rdi]
	ud0 ecx, ebx
	rdmsr
	wrmsr
	rdtsc
	rdtscp
	rdpmc
	cpuid
	monitor
	mwait
	xgetbv
	xsetbv
	clts
	invd
	wbinvd
	invlpg [rax]
	invlpg [rip+0x0]
	invlpg [r8+0x1000]
	.byte 0x0f, 0x01, 0x3c, 0x24
	mov rax, cr0
	mov rcx, cr2
	mov rdx, cr3
	mov r12, cr4
	mov rax, cr8
	mov cr0, rax
	mov cr3, rdi
	mov cr4, r9
	mov cr8, r15
	.byte 0x0f, 0x20, 0x00
	.byte 0x48, 0x0f, 0x22, 0xd8
	.byte 0x66, 0x0f, 0x20, 0xc0
	lgdt [rax]
	lidt [rip+0x0]
	sgdt [rsp]
	sidt [rdi+0x10]
	.byte 0x66, 0x0f, 0x01, 0x10
	.byte 0x48, 0x0f, 0x01, 0x10
	ltr ax
	ltr WORD PTR [rdi]
	lldt dx
	lldt WORD PTR [rax]
	str eax
	str rax
	str ax
	str WORD PTR [rax]
	sldt eax
	sldt WORD PTR [rax]
	verr ax
	verw WORD PTR [rax]
	smsw eax
	smsw WORD PTR [rax]
	lmsw ax
	lmsw WORD PTR [rax]
	.byte 0x48, 0x0f, 0x00, 0xd8
	lfence
	mfence
	sfence
	.byte 0x0f, 0xae, 0xe9
	clflush BYTE PTR [rdi]
	clflush BYTE PTR [rip+0x0]
	prefetcht0 [rax]
	prefetcht1 [rax+0x40]
	prefetcht2 [rip+0x0]
	prefetchnta [rsi]
	prefetchw [rdi]
	prefetch [rdi]
	.byte 0x66, 0x0f, 0x0d, 0x08
	.byte 0x48, 0x0f, 0x0b
	.byte 0x48, 0xcd, 0x03
	.byte 0x48, 0x0f, 0x05
	.byte 0x41, 0x0f, 0x05
	.byte 0x48, 0x0f, 0xa2
	.byte 0x48, 0xf4
	.byte 0x48, 0xcc
	.byte 0x66, 0xcd, 0x80
	.byte 0x48, 0x0f, 0x01, 0xf8
	.byte 0x48, 0x0f, 0x34

# ---------------------------------------------------------------- HLE, lock and prefix spelling
	.section .text.hle, "ax"
hle:
	xacquire lock add DWORD PTR [rdi], 1
	xrelease lock add DWORD PTR [rdi], 1
	xacquire lock xadd DWORD PTR [rdi], eax
	xrelease lock cmpxchg QWORD PTR [rdi], rcx
	xacquire xchg DWORD PTR [rdi], eax
	xrelease xchg QWORD PTR [rdi], rax
	xrelease mov DWORD PTR [rdi], eax
	xrelease mov BYTE PTR [rdi], 1
	xrelease lock inc BYTE PTR [rdi]
	xrelease lock not BYTE PTR [rdi]
	xrelease lock bts DWORD PTR [rdi], eax
	xrelease lock bts DWORD PTR [rdi], 1
	xrelease lock cmpxchg8b QWORD PTR [rdi]
	.byte 0xf2, 0x87, 0xc0
	.byte 0xf2, 0x88, 0x07
	.byte 0xf2, 0x0f, 0xb1, 0x0f
	.byte 0xf3, 0x89, 0x07
	.byte 0xf2, 0x89, 0x07
	.byte 0xf3, 0x0f, 0xaf, 0xc0
	.byte 0xf0, 0xf0, 0x01, 0x07
	.byte 0xf3, 0x3e, 0xff, 0xe0

# ---------------------------------------------------------------- valid, but outside the model
	.section .text.unmodelled, "ax"
unmodelled:
	fld st(0)
	fwait
	movups xmm0, xmm1
	movdqa xmm0, XMMWORD PTR [rdi]
	vzeroupper
	vpaddd ymm0, ymm1, ymm2
	vpaddd zmm0, zmm1, zmm2
	pshufb xmm0, xmm1
	rdrand eax
	rdseed rax
	xbegin unmodelled
	xabort 1
	xend
	vmcall
	fxsave [rax]
	ldmxcsr [rax]
	wrfsbase rax
	rdgsbase rax
	lar eax, cx
	lsl eax, cx
	.byte 0x48, 0x0f, 0xb2, 0x07
	mov rax, dr7
	mov dr7, rax
	rsm
	rdpkru
	movbe eax, DWORD PTR [rdi]
	crc32 eax, cl
	emms
	rdsspq rax
	getsec
	vmovdqu64 zmm1{k1}{z}, ZMMWORD PTR [rax+rbx*8+0x40]
	vpshufd ymm0, YMMWORD PTR [rip+0x10], 0x1b
	vpalignr xmm0, xmm1, xmm2, 3
	vpermq ymm1, ymm2, 0x4e
	pshufd xmm0, xmm1, 0x1b
	palignr xmm0, XMMWORD PTR [rsp+0x8], 4
	vzeroall
	.byte 0x0f, 0x0f, 0xc1, 0x9e
	cvtsi2sd xmm0, rax
	fxch st(1)
	fistp QWORD PTR [rbp-0x10]
	femms
	emms
	clflushopt [rdi]
	clwb [rdi]
	xsave64 [rsp]
	vmlaunch
