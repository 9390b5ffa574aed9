// The planned book (../shared/design/book-plan.md): every part and chapter with its stable slug.
// Chapters not yet written are listed in the contents as "coming", without a link.
// A slug is a promise: once a chapter is published under it, it never changes.

export type PartId = 'I' | 'II' | 'III';

export interface PlannedChapter {
  number: number;
  slug: string;
  title: string;
}

export interface PlannedPart {
  id: PartId;
  title: string;
  chapters: PlannedChapter[];
}

export interface PlannedMatter {
  slug: string;
  title: string;
}

export const frontMatter: PlannedMatter[] = [{ slug: 'preface', title: 'Preface: the question' }];

export const parts: PlannedPart[] = [
  {
    id: 'I',
    title: 'Two worlds',
    chapters: [
      { number: 1, slug: 'user-and-kernel-mode', title: 'User mode and kernel mode' },
      { number: 2, slug: 'crossing-the-line', title: 'Crossing the line' },
    ],
  },
  {
    id: 'II',
    title: 'How Linux takes a driver in',
    chapters: [
      { number: 3, slug: 'what-a-driver-is', title: 'What a driver is' },
      { number: 4, slug: 'built-in', title: 'Built in' },
      { number: 5, slug: 'the-ko-file', title: 'The .ko file' },
      { number: 6, slug: 'insmod', title: 'insmod: the kernel is the linker' },
      { number: 7, slug: 'symbols-and-relocations', title: 'Symbols and relocations, byte by byte' },
      { number: 8, slug: 'when-loading-fails', title: 'When loading fails' },
      { number: 9, slug: 'finding-the-device', title: 'Finding the device' },
      { number: 10, slug: 'talking-to-the-driver', title: 'Talking to the driver' },
      { number: 11, slug: 'leaving-and-crashing', title: 'Leaving and crashing' },
    ],
  },
  {
    id: 'III',
    title: 'Other kernels, other answers',
    chapters: [
      { number: 12, slug: 'windows', title: 'Windows' },
      { number: 13, slug: 'drivers-as-separate-programs', title: 'Drivers as separate programs' },
      { number: 14, slug: 'who-may-enter-ring-0', title: 'Who may enter ring 0' },
      { number: 15, slug: 'the-whole-answer', title: 'The whole answer' },
    ],
  },
];

export const backMatter: PlannedMatter[] = [
  { slug: 'glossary', title: 'Glossary' },
  { slug: 'instructor-guide', title: 'Instructor guide' },
  { slug: 'references', title: 'References' },
  { slug: 'accessibility', title: 'Accessibility and keyboard guide' },
];

/** Paths the site uses for itself; no chapter or matter slug may take one. */
export const reservedSlugs = ['book', 'lab', 'pagefind', '_astro', 'fonts', '404', 'samples'];

export const plannedChapters: PlannedChapter[] = parts.flatMap((p) => p.chapters);

export function plannedChapter(slug: string): PlannedChapter | undefined {
  return plannedChapters.find((c) => c.slug === slug);
}

export function partOf(slug: string): PlannedPart | undefined {
  return parts.find((p) => p.chapters.some((c) => c.slug === slug));
}
