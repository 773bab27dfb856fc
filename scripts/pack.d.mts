/** Types of scripts/pack.mjs (`npm run pack`). */
export interface WorkspacePackage {
  dir: string;
  pkg: { name: string; version: string; private?: boolean; bin?: Record<string, string>; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
}
export interface Tarball {
  name: string;
  version: string;
  file: string;
}
export declare function workspacePackages(): WorkspacePackage[];
export declare function tarballName(pkg: { name: string; version: string }): string;
export declare function packedManifest(file: string): { name: string; version: string; dependencies?: Record<string, string>; [key: string]: unknown };
export declare function workspaceClosure(name: string, all?: WorkspacePackage[]): Set<string>;
export declare function tarballProblems(file: string, p: WorkspacePackage, all?: WorkspacePackage[]): Promise<string[]>;
export declare function packAll(out: string): Promise<{ tarballs: Tarball[]; problems: string[] }>;
