# Multi-stage: build with dev dependencies, run with production ones only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# The heap limit of scripts/server-node-options.mjs (an operator's own NODE_OPTIONS replaces it).
ENV NODE_OPTIONS=--max-old-space-size=512
# Two malloc arenas (scripts/server-node-options.mjs: ~10 MiB less RSS at scale).
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
