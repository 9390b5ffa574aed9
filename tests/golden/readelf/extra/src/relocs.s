# Every relocation type Linux 6.1's x86-64 module loader applies, plus rows without a symbol.
	.text
	.globl	reloc_demo
reloc_demo:
	call	external_fn
	movl	$local_data, %eax
	movq	$local_data+8, %rax
	leaq	local_data(%rip), %rax
	.reloc	., R_X86_64_NONE
	nop
	.reloc	., R_X86_64_NONE, external_fn
	nop
	.reloc	., R_X86_64_NONE, -4
	nop
	ret
	.data
local_data:
	.quad	external_fn
	.quad	external_fn - .
	.quad	local_data - . + 0x100
	.quad	0xffffffffc0000000
	.reloc	., R_X86_64_64, -0x7fffffff
	.quad	0
	.reloc	., R_X86_64_SIZE64, external_fn
	.quad	0
