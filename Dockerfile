# The demo apps in one image (docker-compose.yml picks the entry point per service: demo-gateway by default,
# `node apps/demo-orders/dist/main.js` for orders).
#
# BASE_IMAGE: the published default is the official Node image of the workspace's `node` devDependency (pinned to
# a patch release, checked by scripts/check-compose.mjs). Any Debian-like image with `node` and `npm` on PATH and a
# `node` user works: `npm run test:compose` passes a local one built offline (scripts/compose/local-images.sh).
ARG BASE_IMAGE=node:24.21.0-bookworm-slim

# Build stage: every dependency, then the TypeScript build, then only production dependencies are kept.
FROM ${BASE_IMAGE} AS build
WORKDIR /app
# Every workspace's package.json (scripts/check-compose.mjs fails when one is missing), so `npm ci` checks each
# against the lock file as CI does (a missing one is linked from the lock alone, unchecked), and this layer is
# rebuilt only when dependencies change.
COPY package.json package-lock.json ./
COPY libs/testing/package.json libs/testing/
COPY packages/common/package.json packages/common/
COPY packages/discovery/package.json packages/discovery/
COPY packages/resilience/package.json packages/resilience/
COPY packages/client/package.json packages/client/
COPY packages/gateway/package.json packages/gateway/
COPY apps/demo-orders/package.json apps/demo-orders/
COPY apps/demo-gateway/package.json apps/demo-gateway/
# No install scripts: the only ones are dev tools' (the `node` binary, swc, esbuild), and the build needs only tsc.
RUN npm ci --no-audit --no-fund --ignore-scripts
# Only what the build reads, so editing scripts or docs does not rebuild the image.
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs libs
COPY packages packages
COPY apps apps
RUN npm run build && npm prune --omit=dev --no-audit --no-fund --ignore-scripts

# Runtime stage: production dependencies and the built workspaces (no dev tools, no test helpers), as non-root.
FROM ${BASE_IMAGE}
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/packages packages
COPY --from=build /app/apps apps
USER node
EXPOSE 3000
# The image has no curl: Node asks the app's own /_nestmesh/health (200 passing; 429/503 unhealthy).
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/_nestmesh/health', { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/demo-gateway/dist/main.js"]
