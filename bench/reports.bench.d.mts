export function synthetic(repoRoot: string, n: number): import('../src/reporters/types.js').Report;
export function run(ctx: { repoRoot: string; log: (line: string) => void }): Promise<void>;
