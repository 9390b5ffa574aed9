/* A tiny relocatable object for the ELF reader's goldens: functions, data, bss, a common symbol,
   a string constant, a weak and a hidden symbol. */
int counter = 3;
int scratch[16];
int shared_common;
static const char greeting[] = "hello, ring zero\n";
__attribute__((visibility("hidden"))) int hidden_value = 7;
extern int external_thing(const char *);

static int twice(int x) { return x * 2; }
__attribute__((weak)) int maybe(int x) { return x + 1; }

int tiny_entry(int n)
{
    int s = 0;
    for (int i = 0; i < n; i++) s += twice(i) + scratch[i & 15];
    counter += s;
    return external_thing(greeting) + maybe(s) + hidden_value + shared_common;
}
