# The demo apps in one image (docker-compose.yml picks the entry point per service). The base image is pinned
# to the Node release of the workspace's `node` devDependency.
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs/testing/package.json libs/testing/
COPY packages/discovery/package.json packages/discovery/
COPY packages/resilience/package.json packages/resilience/
COPY packages/client/package.json packages/client/
COPY packages/gateway/package.json packages/gateway/
COPY apps/demo-orders/package.json apps/demo-orders/
COPY apps/demo-gateway/package.json apps/demo-gateway/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24.21.0-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
USER node
CMD ["node", "apps/demo-gateway/dist/main.js"]
