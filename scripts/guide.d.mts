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
export declare function parseSpec(spec: string): IncludeSpec;
export declare function extract(text: string, spec: string): string;
export declare function render(markdown: string, read: (path: string) => string): { text: string; problems: Problem[]; includes: string[] };
export declare function guideFiles(): string[];
export declare function readmeFiles(): string[];
export declare function processGuide(options?: { write?: boolean; read?: (path: string) => string }): { file: string; drift: boolean; problems: Problem[]; includes: string[] }[];
