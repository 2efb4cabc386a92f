/** The CLI bundle's entry file under `dist` (default <root>/dist), built first when none is current. */
export function cliBundle(root: string, dist?: string): Promise<string>;
