// Mirrors esbuild's `text` loader: an imported .sql file is its text.
module.exports = {
  process: (source) => ({ code: `module.exports = ${JSON.stringify(source)};` }),
};
