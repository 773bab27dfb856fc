/** The URL of this file, as `import.meta.url` gives it. */
export const where = (): string => import.meta.url;
