/** Types of scripts/shared-data.mjs (where the shared reference histories are). */
export declare function sharedData(): string | undefined;
export declare function requireSharedData(): string;
