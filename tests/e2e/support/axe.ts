// Accessibility checks with axe-core, against WCAG 2.1 A and AA.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const TARGETS_SHOWN = 4;

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

export async function accessibilityViolations(page: Page): Promise<Violation[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  return violations;
}

/** A readable report: rule, impact, help, the first few offending elements and what is wrong. */
export function describeViolations(where: string, violations: Violation[]): string {
  const lines = [`${violations.length} accessibility rule(s) violated on ${where}:`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact ?? 'no impact given'}): ${v.help}  [${v.helpUrl}]`);
    for (const node of v.nodes.slice(0, TARGETS_SHOWN)) {
      lines.push(`    at ${node.target.map(String).join(' >>> ')}`);
    }
    if (v.nodes.length > TARGETS_SHOWN) lines.push(`    … and ${v.nodes.length - TARGETS_SHOWN} more`);
    const summary = v.nodes[0]?.failureSummary?.split('\n').slice(1, 3).join(' ').trim();
    if (summary) lines.push(`    why: ${summary}`);
  }
  return lines.join('\n');
}
