import { codeToHtml } from 'shiki';
import { describe, expect, it } from 'vitest';
import config from '../../astro.config.mjs';

// Every colour Shiki gives a token, in the book's languages, must reach WCAG AA (4.5:1) against
// the code block's background, in both themes.
const samples: Record<string, string> = {
  c: '// a comment\n#include <linux/module.h>\nstatic int __init hello_init(void) { pr_info("hi %d\\n", 42); return 0; }\nmodule_init(hello_init);',
  asm: '# comment\n  movq $60, %rax   ; exit\n  syscall\n1: .quad 0x10',
  sh: '# build and load\nsudo insmod hello.ko && dmesg | tail -n 2 "$x"',
  make: '# kbuild\nobj-m += hello.o\nall:\n\t$(MAKE) -C $(KDIR) M=$(PWD) modules',
  yaml: '# front matter\ntitle: "x"\nminutes: 40\nok: true',
  ts: '// TS\nexport const n: number = 0x1f; const s = `t${n}`; /* c */ class A {}',
  json: '{ "a": [1, true, null, "s"] }',
  diff: '--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new',
};

const channel = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
function rgb(hex: string, over?: number[]): number[] {
  const h = hex.replace('#', '');
  const full = h.length <= 4 ? [...h].map((d) => d + d).join('') : h;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
  const a = full.length === 8 ? parseInt(full.slice(6, 8), 16) / 255 : 1;
  return [r!, g!, b!].map((v, i) => (over ? v * a + over[i]! * (1 - a) : v));
}
const luminance = (c: number[]) => 0.2126 * channel(c[0]! / 255) + 0.7152 * channel(c[1]! / 255) + 0.0722 * channel(c[2]! / 255);
export function contrast(fg: string, bg: string): number {
  const b = rgb(bg);
  const [l1, l2] = [luminance(rgb(fg, b)), luminance(b)].sort((x, y) => y - x);
  return (l1! + 0.05) / (l2! + 0.05);
}

describe('code blocks', () => {
  const themes = config.markdown!.shikiConfig!.themes as { light: string; dark: string };

  it('measure contrast the WCAG way', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  for (const mode of ['light', 'dark'] as const) {
    it(`keep every token at 4.5:1 or more in the ${mode} theme (${themes[mode]})`, async () => {
      const failures: string[] = [];
      for (const [lang, code] of Object.entries(samples)) {
        const html = await codeToHtml(code, { lang, themes, defaultColor: false });
        const bg = new RegExp(`--shiki-${mode}-bg:(#[0-9a-fA-F]+)`).exec(html)![1]!;
        const colours = new Set([...html.matchAll(new RegExp(`--shiki-${mode}:(#[0-9a-fA-F]+)`, 'g'))].map((m) => m[1]!));
        expect(colours.size).toBeGreaterThan(1);
        for (const fg of colours) {
          const ratio = contrast(fg, bg);
          if (ratio < 4.5) failures.push(`${lang}: ${fg} on ${bg} is ${ratio.toFixed(2)}:1`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
