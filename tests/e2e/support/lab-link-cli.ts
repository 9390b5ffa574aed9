// `tsx tests/e2e/support/lab-link-cli.ts FRAGMENT LAB-IDS`: prints why a deep link is broken, or
// nothing. Playwright's own loader cannot import the emulator (its JSON data needs import
// attributes there), so the link checker asks this in a child process.
import { labLinkProblem } from './lab-links.ts';

const [fragment = '', labs = ''] = process.argv.slice(2);
process.stdout.write(labLinkProblem(fragment, labs ? labs.split(',') : []) ?? '');
