/** Types of scripts/guide.mjs (the guide's include mechanism). */
export declare const root: string;
export declare const guideDir: string;
export interface IncludeSpec {
  path: string;
  region?: string;
  from?: number;
  to?: number;
}
export interface Problem {
  line: number;
  spec: string;
  message: string;
}
/** One listing: its marker's spec, the file it shows, the lines of that file it shows (1-based). */
export interface IncludeSpan {
  spec: string;
  path: string;
  lines: number[];
}
export interface Rendered {
  text: string;
  problems: Problem[];
  includes: string[];
  includeSpans: IncludeSpan[];
  /** `[program, base]` for each `<!-- builds-on: base -->` marker. */
  buildsOn: [string, string][];
  /** The text of each `<!-- run: ID -->` command. */
  runs: string[];
}
export interface ChapterReport {
  file: string;
  drift: boolean;
  problems: Problem[];
  includes: string[];
  includeSpans: (IncludeSpan & { file: string })[];
  buildsOn: [string, string][];
  runs: string[];
}
export declare function parseSpec(spec: string): IncludeSpec;
export declare function shownLines(text: string, spec: string): number[];
export declare function extract(text: string, spec: string): string;
export declare function codeLines(text: string): number[];
export declare function render(markdown: string, read: (path: string) => string): Rendered;
export declare function guideFiles(): string[];
export declare function readmeFiles(): string[];
export declare function processGuide(options?: { write?: boolean; read?: (path: string) => string }): ChapterReport[];
export declare function checkListings(report: ChapterReport[], read?: (path: string) => string): string[];
