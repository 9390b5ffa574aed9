// SPDX-License-Identifier: GPL-2.0
/*
 * signed.c - a module that carries a signature (Ring Zero).
 *
 * The code is as plain as it gets; what matters is the end of signed.ko.
 * After `strip --strip-debug`, samples/build.sh runs kbuild's
 *
 *     scripts/sign-file sha256 samples/keys/signing_key.pem \
 *                      samples/keys/signing_key.x509 signed.ko
 *
 * which appends a PKCS#7 signature over the whole file, a 12-byte
 * struct module_signature and the magic string "~Module signature appended~\n".
 * The key is the project's TEST key: a kernel only accepts the module if that
 * certificate is in its built-in keyring (the emulated kernel's is; Debian's
 * is not: a real Debian kernel rejects this signature with -ENOKEY and, unless
 * signatures are enforced, loads the module as unsigned).
 */
#include <linux/module.h>

static int __init signed_init(void)
{
	pr_info("signed: loaded\n");
	return 0;
}

static void __exit signed_exit(void)
{
	pr_info("signed: unloaded\n");
}

module_init(signed_init);
module_exit(signed_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ring Zero authors");
MODULE_DESCRIPTION("A module signed with the Ring Zero test key");
