# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

# Runtime stage: production dependencies only, non-root, configuration in /conf.
FROM node:20-bookworm-slim
ENV NODE_ENV=production SIDECAL_CONF_DIR=/conf
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=peer with --legacy-peer-deps: i18next names TypeScript as a peer for its typings; without them npm would put
# TypeScript 7 and its native binary (31 MB) in the image. Production dependencies alone: 64 MB.
RUN npm ci --omit=dev --omit=peer --legacy-peer-deps --no-audit --no-fund && npm cache clean --force
# Compiled code in dist/src: it finds assets/ (resource icons) and, from the working directory, templates/.
COPY --from=build /app/dist/src ./dist/src
COPY templates ./templates
COPY assets ./assets
COPY conf /conf
USER node
EXPOSE 8080 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.WEBADMIN_PORT||8000)+'/healthcheck').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node is PID 1's child through tini-less exec form: SIGTERM reaches sidecal, which drains and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
