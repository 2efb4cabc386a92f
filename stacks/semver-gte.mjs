// Stands in for the `semver` package inside handler bundles (handler-bundle.ts aliases it): its only
// callers there are the X-Ray SDK's cls-hooked, which checks `gte(process.versions.node, "8.0.0")`
// at load, and the X-Ray SDK v2 patcher (unused: lakesync traces SDK v3 clients), both with plain
// x.y.z versions. The whole package cost each traced handler 25 KB at init.
export function gte(version, than) {
  const parts = (v) => String(v).replace(/^v/, "").split(/[.+-]/, 3).map(Number);
  const [a, b] = [parts(version), parts(than)];
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}
export default { gte };
