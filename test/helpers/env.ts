// Keep test output readable: warnings and errors only, unless a developer asks for more.
process.env.LOG_LEVEL ??= 'warn';
