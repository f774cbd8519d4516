# The project's image, built by docker compose (services spacex-api and functions): the CLI
# (`replay`, `query`, ...) and osls to deploy the functions to the emulator.
FROM node:22.20.0-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: `prepare` would build before the sources are copied, and the embedded
# PostgreSQL binaries are not needed here (compose runs PostgreSQL as its own service).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["--help"]
