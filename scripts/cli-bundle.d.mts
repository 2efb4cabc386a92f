/** The CLI bundle's entry file under `dist` (default <root>/dist), built first when none is current. */
export function cliBundle(root: string, dist?: string): Promise<string>;

/** esbuild `external` for a build run beside the CLI: every npm package but the ones bundled in. */
export function externalPackages(root: string): string[];

/** The Node flags on scripts/lakesync.mjs's first line: how `lakesync` runs. */
export function launcherNodeFlags(root: string): string[];
