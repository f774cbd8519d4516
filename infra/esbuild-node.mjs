// esbuild settings for code this repository runs with Node from a checkout (the CLI, the
// benchmark): one bundle, dependencies left in node_modules, SQL files imported as text.
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  packages: 'external',
  loader: { '.sql': 'text' },
  logLevel: 'warning',
};
