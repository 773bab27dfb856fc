/** Types of scripts/check-boundaries.mjs (DEVELOPERS.md's import rules). */
export declare function checkBoundaries(root: string): { workspace: string[]; problems: string[] };
