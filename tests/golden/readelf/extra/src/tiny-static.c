/* A tiny static executable for the ELF reader's goldens: _start, inline syscalls, no libc. */
static long sys3(long n, long a, long b, long c)
{
    long ret;
    __asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return ret;
}
static const char message[] = "hello from ring 3\n";
char buffer[64];
int calls;

__attribute__((noinline)) long say(const char *s, long n)
{
    calls++;
    return sys3(1, 1, (long)s, n);
}

void _start(void)
{
    for (int i = 0; i < 3; i++) buffer[i] = message[i];
    say(message, sizeof message - 1);
    sys3(60, calls, 0, 0);
    for (;;) {}
}
