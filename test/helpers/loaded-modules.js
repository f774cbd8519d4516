// Preloaded into a CLI process by test/integration/cli-bundle.test.ts: at exit, writes the files
// that process loaded (the CommonJS module cache) to LOADED_MODULES_FILE.
const { writeFileSync } = require('node:fs');
process.on('exit', () => writeFileSync(process.env.LOADED_MODULES_FILE, Object.keys(require.cache).join('\n')));
