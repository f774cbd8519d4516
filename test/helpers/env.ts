// Keep test output readable: warnings and errors only, unless a developer asks for more.
process.env.LOG_LEVEL ??= 'warn';
// EMF metric blobs on stdout are for Lambda; the tests that check them (test/e2e) run the handlers in their own processes.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
